{#- Published industry figures (seed industry_benchmarks) against our own all-time,
    overall value of the same metric: the difference (ours minus theirs) with the interval
    our sample gives it (a published figure carries no interval we could use, so it is
    taken as exact), whether the difference is significant (the figure lies outside our
    95% interval, and our cell is not a small sample), and which side we are on. The
    figures come from other markets and years: read them as context, not as targets. -#}
with

benchmarks as {{ not_materialized() }} (

    select * from {{ ref('industry_benchmarks') }}

),

scorecard as {{ not_materialized() }} (

    select * from {{ ref('metrics_scorecard') }}

),

ours as (

    select * from scorecard
    where period_grain = 'all_time'
        and segment_type = 'overall'

),

final as (

    select
        benchmarks.benchmark_id,
        benchmarks.metric,
        benchmarks.industry,
        cast(benchmarks.benchmark_value as {{ type_double() }}) as benchmark_value,
        benchmarks.source,
        cast(benchmarks.year as integer) as benchmark_year,
        benchmarks.url,
        ours.period_start as our_period_start,
        ours.n as our_n,
        ours.metric_value as our_value,
        ours.ci_lower as our_ci_lower,
        ours.ci_upper as our_ci_upper,
        {{ round_metric('ours.metric_value - benchmarks.benchmark_value') }} as difference,
        {{ round_metric('ours.ci_lower - benchmarks.benchmark_value') }} as difference_ci_lower,
        {{ round_metric('ours.ci_upper - benchmarks.benchmark_value') }} as difference_ci_upper,
        coalesce(
            not ours.is_small_sample
            and (ours.ci_lower > benchmarks.benchmark_value or ours.ci_upper < benchmarks.benchmark_value),
            false
        ) as is_significant,
        case
            when ours.metric_value is null then 'no_data'
            when ours.is_small_sample then 'not_distinguishable'
            else {{ compare_interval_with('ours.ci_lower', 'ours.ci_upper', 'benchmarks.benchmark_value', 'ours.higher_is_better', 'better', 'worse') }}
        end as comparison
    from benchmarks
    left join ours
        on benchmarks.metric = ours.metric

)

select * from final
