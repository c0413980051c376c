insert into marts.dim_customer_lifetime_value
select
    customer_id,
    as_of_date,
    repeat_purchase_days,
    recency_days,
    age_days,
    historic_net_spend,
    probability_alive,
    expected_purchases,
    expected_average_value,
    predicted_value,
    horizon_days,
    model_status
from customer_lifetime_value_rows
