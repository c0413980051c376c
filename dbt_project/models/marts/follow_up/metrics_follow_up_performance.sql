{#- How well the team follows up, by month the cases opened (and all time), overall, per
    channel and per owner: cases, responses and resolutions, the share answered and the
    share resolved within their channel's target (Wilson 95% intervals), the median hours
    to the first response and to resolution, and what is still open or past due.
    A case counts towards a within-target share once it can be judged: it was answered
    (resolved), or its due time has passed without. -#}
with

cases as {{ not_materialized() }} (

    select * from {{ ref('fct_follow_up_cases') }}

),

judged as (

    select
        *,
        is_responded or due_at < evaluated_at as is_response_judged,
        status = 'resolved' or resolution_due_at < evaluated_at as is_resolution_judged,
        cast({{ dbt.date_trunc('month', 'opened_at') }} as date) as opened_month
    from cases

),

first_month as (

    select min(opened_month) as all_time_start
    from judged

),

cells as (

    {%- for grain in ['month', 'all_time'] %}
        {%- for segment_type in ['overall', 'channel', 'owner'] %}
    select
        '{{ grain }}' as period_grain,
        {% if grain == 'all_time' -%}
        first_month.all_time_start
        {%- else -%}
        judged.opened_month
        {%- endif %} as period_start,
        '{{ segment_type }}' as segment_type,
        {% if segment_type == 'overall' -%}
        'all'
        {%- else -%}
        judged.{{ segment_type }}
        {%- endif %} as segment_value,
        judged.*
    from judged
    cross join first_month
            {%- if not loop.last %}
    union all
            {%- endif %}
        {%- endfor %}
        {%- if not loop.last %}
    union all
        {%- endif %}
    {%- endfor %}

),

aggregated as (

    select
        period_grain,
        period_start,
        segment_type,
        segment_value,
        count(*) as cases,
        sum(case when is_responded then 1 else 0 end) as responded_cases,
        sum(case when is_response_judged then 1 else 0 end) as response_judged_cases,
        sum(case when is_response_judged and is_response_within_target then 1 else 0 end)
            as responded_within_target,
        sum(case when status = 'resolved' then 1 else 0 end) as resolved_cases,
        sum(case when is_resolution_judged then 1 else 0 end) as resolution_judged_cases,
        sum(case when is_resolution_judged and is_resolution_within_target then 1 else 0 end)
            as resolved_within_target,
        sum(case when status in ('open', 'responded') then 1 else 0 end) as open_cases,
        sum(case when is_past_due then 1 else 0 end) as past_due_cases,
        {{ loyalty_median('hours_to_first_response') }} as median_hours_to_first_response,
        {{ loyalty_median('hours_to_resolution') }} as median_hours_to_resolution
    from cells
    group by
        period_grain,
        period_start,
        segment_type,
        segment_value

),

final as (

    select
        {{ surrogate_key(['period_grain', 'period_start', 'segment_type', 'segment_value']) }} as metric_row_id,
        period_grain,
        period_start,
        segment_type,
        segment_value,
        cast(cases as {{ dbt.type_bigint() }}) as cases,
        cast(responded_cases as {{ dbt.type_bigint() }}) as responded_cases,
        cast(response_judged_cases as {{ dbt.type_bigint() }}) as response_judged_cases,
        cast(responded_within_target as {{ dbt.type_bigint() }}) as responded_within_target,
        {{ round_metric(share_percent('responded_within_target', 'response_judged_cases')) }}
            as response_within_target_share,
        {{ round_metric('100 * ' ~ wilson_lower('responded_within_target', 'response_judged_cases')) }}
            as response_within_target_ci_lower,
        {{ round_metric('100 * ' ~ wilson_upper('responded_within_target', 'response_judged_cases')) }}
            as response_within_target_ci_upper,
        cast(resolved_cases as {{ dbt.type_bigint() }}) as resolved_cases,
        cast(resolution_judged_cases as {{ dbt.type_bigint() }}) as resolution_judged_cases,
        cast(resolved_within_target as {{ dbt.type_bigint() }}) as resolved_within_target,
        {{ round_metric(share_percent('resolved_within_target', 'resolution_judged_cases')) }}
            as resolution_within_target_share,
        {{ round_metric('100 * ' ~ wilson_lower('resolved_within_target', 'resolution_judged_cases')) }}
            as resolution_within_target_ci_lower,
        {{ round_metric('100 * ' ~ wilson_upper('resolved_within_target', 'resolution_judged_cases')) }}
            as resolution_within_target_ci_upper,
        cast(open_cases as {{ dbt.type_bigint() }}) as open_cases,
        cast(past_due_cases as {{ dbt.type_bigint() }}) as past_due_cases,
        {{ round_metric('median_hours_to_first_response', 2) }} as median_hours_to_first_response,
        {{ round_metric('median_hours_to_resolution', 2) }} as median_hours_to_resolution,
        response_judged_cases < {{ var('small_sample_min') }} as is_small_sample
    from aggregated

)

select * from final
