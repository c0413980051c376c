insert into history.repeat_purchase_daily (
    as_of_date, window_grain, window_start, segment_type, segment_value,
    customers, repeat_customers, repeat_purchase_rate, is_small_sample
)
values (
    $as_of_date, $window_grain, $window_start, $segment_type, $segment_value,
    $customers, $repeat_customers, $repeat_purchase_rate, $is_small_sample
)
