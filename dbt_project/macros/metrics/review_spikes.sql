{#- The days on which one platform's count of low (1-2 star) or high (4-5 star) reviews
    exceeds multiplier times its trailing daily mean over the trailing_days before (days
    without reviews count as zero) and is at least min_count; days without a full
    trailing window of the platform's history are not judged. One row per such day,
    platform and band, with its count, the trailing mean and a reason. Read by the
    review_rating_spikes test and by the alert conditions. -#}
{% macro review_rating_spike_days(model, column_name, platform_column, time_column, spike_multiplier, spike_min_count, window_days) -%}
with

rated as (

    select
        {{ platform_column }} as platform,
        case
            when {{ column_name }} <= 2 then 'low (1-2 stars)'
            when {{ column_name }} >= 4 then 'high (4-5 stars)'
            else 'middle'
        end as rating_band,
        cast({{ time_column }} as date) as review_date
    from {{ model }}
    where {{ column_name }} is not null
        and {{ time_column }} is not null

),

daily as (

    select
        platform,
        rating_band,
        review_date,
        cast({{ dbt.datediff("cast('2000-01-01' as date)", 'review_date', 'day') }} as {{ dbt.type_int() }}) as day_number,
        count(*) as review_count
    from rated
    group by
        platform,
        rating_band,
        review_date

),

platform_starts as (

    select
        platform,
        min(day_number) as first_day_number
    from daily
    group by platform

),

trailing_means as (

    select
        daily.platform,
        daily.rating_band,
        daily.review_date,
        daily.day_number,
        daily.review_count,
        coalesce(sum(daily.review_count) over (
            partition by daily.platform, daily.rating_band
            order by daily.day_number
            range between {{ window_days }} preceding and 1 preceding
        ), 0) * 1.0 / {{ window_days }} as trailing_daily_mean,
        daily.day_number - platform_starts.first_day_number as history_days
    from daily
    inner join platform_starts
        on daily.platform = platform_starts.platform

),

final as (

    select
        platform,
        review_date,
        rating_band,
        review_count,
        trailing_daily_mean,
        {{ dbt.concat([
            "'review spike: '",
            "cast(review_count as " ~ dbt.type_string() ~ ")",
            "' '",
            "rating_band",
            "' reviews on '",
            "platform",
            "', over " ~ spike_multiplier ~ " x the trailing " ~ window_days ~ "-day daily mean of '",
            "cast(round(cast(trailing_daily_mean as " ~ dbt.type_numeric() ~ "), 2) as " ~ dbt.type_string() ~ ")",
        ]) }} as reason
    from trailing_means
    where rating_band <> 'middle'
        and history_days >= {{ window_days }}
        and review_count >= {{ spike_min_count }}
        and review_count > {{ spike_multiplier }} * trailing_daily_mean

)

select * from final
{%- endmacro %}
