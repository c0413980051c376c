{#- Review ratings of every brand (fct_brand_reviews) by month, quarter and all time,
    per platform and all platforms pooled (`all`): n, average, a smoothed average (shrunk
    toward the platform's all-time mean over every brand, with var
    review_rating_prior_weight reviews of prior weight), the shares of 1-2 and 4-5 stars,
    and on each competitor's row our own brand's difference in the same cell (ours minus
    theirs): average rating with its 95% interval (Welch), the 4-5 star share with its
    interval (two proportions), their z and whether they are significant (|z| > 1.96,
    neither cell a small sample). Our own rows carry no difference. -#}
{%- set grains = ['month', 'quarter', 'all_time'] -%}

with

brand_reviews as {{ not_materialized() }} (

    select * from {{ ref('fct_brand_reviews') }}

),

reviews as (

    select * from brand_reviews
    where rating is not null

),

rated as (

    select
        brand,
        is_own_brand,
        platform,
        rating,
        occurred_at
    from reviews
    union all
    select
        brand,
        is_own_brand,
        'all' as platform,
        rating,
        occurred_at
    from reviews

),

first_day as (

    select min(cast(occurred_at as date)) as all_time_start
    from rated

),

cells as (

    {%- for grain in grains %}
    select
        '{{ grain }}' as period_grain,
        {% if grain == 'all_time' -%}
        first_day.all_time_start
        {%- else -%}
        cast({{ dbt.date_trunc(grain, 'rated.occurred_at') }} as date)
        {%- endif %} as period_start,
        rated.*
    from rated
    cross join first_day
        {%- if not loop.last %}
    union all
        {%- endif %}
    {%- endfor %}

),

cell_stats as (

    select
        period_grain,
        period_start,
        brand,
        is_own_brand,
        platform,
        count(*) as n,
        sum(rating) as rating_sum,
        sum(rating * rating) as rating_sum_of_squares,
        sum(case when rating <= 2 then 1 else 0 end) as low_count,
        sum(case when rating >= 4 then 1 else 0 end) as high_count
    from cells
    group by
        period_grain,
        period_start,
        brand,
        is_own_brand,
        platform

),

platform_priors as (

    select
        platform,
        avg(rating) as prior_mean
    from rated
    group by platform

),

scored as (

    select
        cell_stats.*,
        cell_stats.rating_sum / cell_stats.n as average_rating,
        {{ standard_deviation_from_sums('cell_stats.n', 'cell_stats.rating_sum', 'cell_stats.rating_sum_of_squares') }}
            as rating_sd,
        cell_stats.high_count * 1.0 / cell_stats.n as high_share,
        platform_priors.prior_mean,
        cell_stats.n < {{ var('small_sample_min') }} as is_small_sample
    from cell_stats
    inner join platform_priors
        on cell_stats.platform = platform_priors.platform

),

compared as (

    select
        brands.*,
        own.brand as own_brand,
        own.n as own_n,
        own.average_rating as own_average_rating,
        own.high_share as own_high_share,
        own.average_rating - brands.average_rating as rating_difference,
        sqrt(
            own.rating_sd * own.rating_sd / own.n
            + brands.rating_sd * brands.rating_sd / brands.n
        ) as rating_difference_se,
        own.high_share - brands.high_share as high_share_difference,
        sqrt(
            own.high_share * (1 - own.high_share) / own.n
            + brands.high_share * (1 - brands.high_share) / brands.n
        ) as high_share_difference_se,
        own.is_small_sample as own_is_small_sample
    from scored as brands
    left join scored as own
        on not brands.is_own_brand
        and own.is_own_brand
        and brands.period_grain = own.period_grain
        and brands.period_start = own.period_start
        and brands.platform = own.platform

),

final as (

    select
        {{ surrogate_key(['period_grain', 'period_start', 'brand', 'platform']) }} as benchmark_row_id,
        period_grain,
        period_start,
        brand,
        is_own_brand,
        platform,
        cast(n as {{ dbt.type_bigint() }}) as n,
        {{ round_metric('average_rating') }} as average_rating,
        {{ round_metric(smoothed_average('rating_sum', 'n', 'prior_mean', var('review_rating_prior_weight'))) }}
            as smoothed_average_rating,
        {{ round_metric(share_percent('low_count', 'n')) }} as low_rating_share,
        {{ round_metric(share_percent('high_count', 'n')) }} as high_rating_share,
        is_small_sample,
        own_brand,
        cast(own_n as {{ dbt.type_bigint() }}) as own_n,
        {{ round_metric('own_average_rating') }} as own_average_rating,
        {{ round_metric('rating_difference') }} as rating_difference,
        {{ round_metric('rating_difference - 1.96 * rating_difference_se') }} as rating_difference_ci_lower,
        {{ round_metric('rating_difference + 1.96 * rating_difference_se') }} as rating_difference_ci_upper,
        {{ round_metric('rating_difference / nullif(rating_difference_se, 0)') }} as rating_difference_z,
        case when own_brand is not null then
            {{ is_change_significant('rating_difference / nullif(rating_difference_se, 0)', 'is_small_sample', 'own_is_small_sample') }}
        end as is_rating_difference_significant,
        {{ round_metric('100 * high_share_difference') }} as high_rating_share_difference,
        {{ round_metric('100 * (high_share_difference - 1.96 * high_share_difference_se)') }}
            as high_rating_share_difference_ci_lower,
        {{ round_metric('100 * (high_share_difference + 1.96 * high_share_difference_se)') }}
            as high_rating_share_difference_ci_upper,
        case when own_brand is not null then
            {{ is_change_significant('high_share_difference / nullif(high_share_difference_se, 0)', 'is_small_sample', 'own_is_small_sample') }}
        end as is_high_rating_share_difference_significant
    from compared

)

select * from final
