{#- Every target of the seed `targets` against the scorecard: for each period of the
    target's grain that starts within its validity, the metric's value, 95% interval and
    n, the target, the gap (value minus target) and a status: `met` when the whole
    interval is on the good side of the target (above a floor, below a ceiling: the
    metric's direction decides), `missed` when it is wholly on the other side, and
    `not_distinguishable` when the target lies inside the interval (or the cell has no
    interval). period_recency counts the target's periods back from the latest (1). -#}
with

targets as {{ not_materialized() }} (

    select * from {{ ref('targets') }}

),

scorecard as {{ not_materialized() }} (

    select * from {{ ref('metrics_scorecard') }}

),

matched as (

    select
        targets.target_id,
        targets.metric,
        targets.segment_type,
        targets.segment_value,
        targets.period_grain,
        scorecard.period_start,
        scorecard.higher_is_better,
        scorecard.n,
        scorecard.metric_value,
        scorecard.ci_lower,
        scorecard.ci_upper,
        scorecard.is_small_sample,
        cast(targets.target_value as {{ type_double() }}) as target_value,
        targets.description as target_description
    from targets
    inner join scorecard
        on targets.metric = scorecard.metric
        and targets.segment_type = scorecard.segment_type
        and targets.segment_value = scorecard.segment_value
        and targets.period_grain = scorecard.period_grain
    where (targets.valid_from is null or scorecard.period_start >= targets.valid_from)
        and (targets.valid_to is null or scorecard.period_start <= targets.valid_to)

),

final as (

    select
        {{ surrogate_key(['target_id', 'period_start']) }} as target_row_id,
        target_id,
        metric,
        segment_type,
        segment_value,
        period_grain,
        period_start,
        cast(row_number() over (partition by target_id order by period_start desc) as integer)
            as period_recency,
        higher_is_better,
        n,
        metric_value,
        ci_lower,
        ci_upper,
        target_value,
        {{ round_metric('metric_value - target_value') }} as gap,
        {{ compare_interval_with('ci_lower', 'ci_upper', 'target_value', 'higher_is_better', 'met', 'missed') }}
            as status,
        is_small_sample,
        target_description
    from matched

)

select * from final
