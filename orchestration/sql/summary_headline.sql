-- Headline figures over the whole history: the all_time, overall row of each metric mart.
select
    (select nps from marts.metrics_nps
        where period_grain = 'all_time' and segment_type = 'overall') as nps,
    (select n from marts.metrics_nps
        where period_grain = 'all_time' and segment_type = 'overall') as nps_n,
    (select csat from marts.metrics_csat
        where period_grain = 'all_time' and segment_type = 'overall') as csat,
    (select n from marts.metrics_csat
        where period_grain = 'all_time' and segment_type = 'overall') as csat_n,
    (select ces from marts.metrics_ces
        where period_grain = 'all_time' and segment_type = 'overall') as ces,
    (select n from marts.metrics_ces
        where period_grain = 'all_time' and segment_type = 'overall') as ces_n,
    (select repeat_purchase_rate from marts.metrics_repeat_purchase
        where window_grain = 'all_time' and segment_type = 'overall') as repeat_purchase_rate,
    (select customers from marts.metrics_repeat_purchase
        where window_grain = 'all_time' and segment_type = 'overall') as customers
