-- Repeat purchase rate as it stood at the end of each day (one daily partition each).
create schema if not exists history;
create table if not exists history.repeat_purchase_daily (
    as_of_date date not null,
    window_grain varchar not null,
    window_start date,
    segment_type varchar not null,
    segment_value varchar,
    customers bigint not null,
    repeat_customers bigint not null,
    repeat_purchase_rate double,
    is_small_sample boolean not null
);
