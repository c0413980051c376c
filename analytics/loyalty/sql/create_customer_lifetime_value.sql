-- Written whole on every run by analytics.loyalty.lifetime_value; no dbt model reads it.
create schema if not exists marts;
create or replace table marts.dim_customer_lifetime_value (
    customer_id varchar primary key,
    as_of_date date not null,
    repeat_purchase_days integer not null,
    recency_days integer not null,
    age_days integer not null,
    historic_net_spend decimal(18, 2) not null,
    probability_alive double,
    expected_purchases double,
    expected_average_value decimal(18, 2),
    predicted_value decimal(18, 2),
    horizon_days integer not null,
    model_status varchar not null
);
