{#- The shared body of a satisfaction metric table (metrics_nps, metrics_csat,
    metrics_ces), the CTEs after the model's own import CTE of fct_feedback_items (named
    by feedback_items_cte): one instrument's items, fanned out into every
    period and segment cell (metric_cells), aggregated per cell, scored, compared with the
    same segment's previous period, and keyed by metric_row_id. The model passes only its
    measure, as SQL select-list fragments (no trailing comma), one per stage:

    - item_measures: {column: expression on fct_feedback_items} carried into the cells;
    - item_filter: which of the instrument's items count;
    - cell_aggregates: aggregates per cell besides n = count(*);
    - scores: per-cell expressions on those aggregates;
    - comparisons: expressions on this_period and previous_period (the previous value,
      the change's z as change_z_column);
    - measure_outputs: the final columns between n and is_small_sample;
    - change_outputs: the final columns between previous_period_start and
      is_change_significant.

    A cell is a small sample below var small_sample_min responses, and a change is
    significant only between two cells that are not (is_change_significant). -#}
{% macro period_segment_metric(
    instrument,
    item_measures,
    item_filter,
    cell_aggregates,
    scores,
    comparisons,
    change_z_column,
    measure_outputs,
    change_outputs,
    feedback_items_cte='feedback_items'
) -%}
{{ instrument }}_items as (

    select
        occurred_at,
        channel,
        touchpoint,
        product,
        location,
        source,
        {%- for column, expression in item_measures.items() %}
        {{ expression }} as {{ column }}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ feedback_items_cte }}
    where instrument = '{{ instrument }}'
        and {{ item_filter }}

),

cells as (

    {{ metric_cells(instrument ~ '_items', item_measures.keys() | list) }}

),

cell_aggregates as (

    select
        period_grain,
        period_start,
        segment_type,
        segment_value,
        count(*) as n,
        {{ cell_aggregates }}
    from cells
    group by
        period_grain,
        period_start,
        segment_type,
        segment_value

),

scored as (

    select
        *,
        {{ scores }},
        n < {{ var('small_sample_min') }} as is_small_sample,
        {{ previous_period_start('period_grain', 'period_start') }} as previous_period_start
    from cell_aggregates

),

compared as (

    select
        this_period.*,
        previous_period.is_small_sample as previous_is_small_sample,
        {{ comparisons }}
    from scored as this_period
    left join scored as previous_period
        on this_period.period_grain = previous_period.period_grain
        and this_period.segment_type = previous_period.segment_type
        and this_period.segment_value = previous_period.segment_value
        and this_period.previous_period_start = previous_period.period_start

),

final as (

    select
        {{ surrogate_key(['period_grain', 'period_start', 'segment_type', 'segment_value']) }} as metric_row_id,
        period_grain,
        period_start,
        segment_type,
        segment_value,
        cast(n as {{ dbt.type_bigint() }}) as n,
        {{ measure_outputs }},
        is_small_sample,
        previous_period_start,
        {{ change_outputs }},
        {{ is_change_significant(change_z_column, 'is_small_sample', 'previous_is_small_sample') }} as is_change_significant
    from compared

)

select * from final
{%- endmacro %}
