{#- Review ratings by platform, period and segment (overall, product, location): count,
    average on the native 1..5 scale, distribution by star, shares of 1-2 and 4-5 stars,
    and a smoothed average that shrinks small cells toward the platform's own all-time
    mean (METRICS.md, Review ratings). platform 'all' pools every platform. -#}
with

feedback_items as {{ not_materialized() }} (

    select * from {{ ref('fct_feedback_items') }}

),

ratings as (

    select
        source as platform,
        product,
        location,
        score_value as rating,
        occurred_at
    from feedback_items
    where instrument = 'star_rating'
        and score_value is not null

),

rated_items as (

    {#- Every review counts for its platform and once more for all platforms pooled. -#}
    select
        platform,
        product,
        location,
        rating,
        occurred_at
    from ratings
    union all
    select
        'all' as platform,
        product,
        location,
        rating,
        occurred_at
    from ratings

),

platform_priors as (

    {#- The prior a small cell is shrunk toward: its platform's all-time mean. -#}
    select
        platform,
        avg(rating) as prior_mean
    from rated_items
    group by platform

),

cells as (

    {{ metric_cells('rated_items', ['platform', 'rating'], ['overall', 'product', 'location']) }}

),

cell_stats as (

    select
        period_grain,
        period_start,
        platform,
        segment_type,
        segment_value,
        count(*) as n,
        sum(rating) as rating_sum,
        sum(case when rating < 1.5 then 1 else 0 end) as one_star_count,
        sum(case when rating >= 1.5 and rating < 2.5 then 1 else 0 end) as two_star_count,
        sum(case when rating >= 2.5 and rating < 3.5 then 1 else 0 end) as three_star_count,
        sum(case when rating >= 3.5 and rating < 4.5 then 1 else 0 end) as four_star_count,
        sum(case when rating >= 4.5 then 1 else 0 end) as five_star_count,
        sum(case when rating <= 2 then 1 else 0 end) as low_rating_count,
        sum(case when rating >= 4 then 1 else 0 end) as high_rating_count
    from cells
    group by
        period_grain,
        period_start,
        platform,
        segment_type,
        segment_value

),

final as (

    select
        {{ surrogate_key(['cell_stats.period_grain', 'cell_stats.period_start', 'cell_stats.platform', 'cell_stats.segment_type', 'cell_stats.segment_value']) }} as metric_row_id,
        cell_stats.period_grain,
        cell_stats.period_start,
        cell_stats.platform,
        cell_stats.segment_type,
        cell_stats.segment_value,
        cast(cell_stats.n as {{ dbt.type_bigint() }}) as n,
        {{ round_metric('cell_stats.rating_sum * 1.0 / cell_stats.n') }} as average_rating,
        {{ round_metric(smoothed_average(
            'cell_stats.rating_sum', 'cell_stats.n',
            'platform_priors.prior_mean', var('review_rating_prior_weight')
        )) }} as smoothed_average_rating,
        {{ round_metric('platform_priors.prior_mean') }} as prior_mean_rating,
        cast({{ var('review_rating_prior_weight') }} as {{ type_double() }}) as prior_weight,
        cast(cell_stats.one_star_count as {{ dbt.type_bigint() }}) as one_star_count,
        cast(cell_stats.two_star_count as {{ dbt.type_bigint() }}) as two_star_count,
        cast(cell_stats.three_star_count as {{ dbt.type_bigint() }}) as three_star_count,
        cast(cell_stats.four_star_count as {{ dbt.type_bigint() }}) as four_star_count,
        cast(cell_stats.five_star_count as {{ dbt.type_bigint() }}) as five_star_count,
        {{ round_metric(share_percent('cell_stats.low_rating_count', 'cell_stats.n')) }} as low_rating_share,
        {{ round_metric(share_percent('cell_stats.high_rating_count', 'cell_stats.n')) }} as high_rating_share,
        cell_stats.n < {{ var('small_sample_min') }} as is_small_sample
    from cell_stats
    inner join platform_priors
        on cell_stats.platform = platform_priors.platform

)

select * from final
