{#- One row per text (a survey comment or a review body) with what the text scorer and
    the text marts need: the segments, the vendor's language, a hash of the text (the
    scorer rescores a text whose hash changed) and the outcome the text goes with: the
    review's stars or the survey response's NPS group and CSAT answer.

    weak_label is what the sentiment model learns from (analytics/text/sentiment.py):
    1-2 stars, an NPS detractor or a CSAT answer in the bottom two boxes is negative;
    4-5 stars, a promoter or a top-two-box CSAT is positive. Three stars and NPS passives
    are left out: a middling score goes with mixed, indifferent or even warm text (the
    sample's passives praise), so it would teach the model little as a label; a text is
    neutral when its score lands in the neutral band instead. A response's NPS answer
    decides before its CSAT answer, which is used only when the response has no NPS one.

    Competitors' reviews (int_reviews_branded, not our brand) are texts too, so the
    brand benchmarks can say what competitors are praised for; brand and is_own_brand
    tell them apart, and the text metrics read our own texts only.

    A table, not a view: the scorer and fct_feedback_text both read it, and a view would
    join the survey outcomes out of every feedback item twice per run. -#}
{{
    config(
        materialized='table'
    )
}}

with

feedback_items as (

    select * from {{ ref('int_feedback_items') }}

),

review_brands as (

    select * from {{ ref('review_brands') }}

),

branded_reviews as (

    select * from {{ ref('int_reviews_branded') }}

),

own_brand as (

    select brand from review_brands
    where is_own_brand
    -- review_brands holds one own brand: any row is that row.
    limit 1  -- noqa: AM09

),

competitor_reviews as (

    {#- The key fct_brand_reviews gives every review, ours and theirs. -#}
    select
        {{ surrogate_key(["'review'", 'platform', 'review_id']) }} as feedback_item_id,
        platform as source,
        'review' as channel,
        cast(null as {{ dbt.type_string() }}) as survey_id,
        cast(null as {{ dbt.type_string() }}) as survey_response_id,
        body as text_value,
        language as vendor_language,
        cast(null as {{ dbt.type_string() }}) as customer_id,
        cast(null as {{ dbt.type_string() }}) as touchpoint,
        product,
        location,
        created_at as occurred_at,
        cast(rating as {{ type_double() }}) as rating,
        brand,
        false as is_own_brand
    from branded_reviews
    where not is_own_brand
        and body is not null
        and trim(body) <> ''

),

texts as (

    select
        feedback_item_id,
        source,
        channel,
        survey_id,
        survey_response_id,
        text_value,
        language as vendor_language,
        customer_id,
        touchpoint,
        product,
        location,
        occurred_at,
        case when instrument = 'star_rating' then score_value end as rating,
        (select own_brand.brand from own_brand) as brand,
        true as is_own_brand
    from feedback_items
    where text_value is not null
        and trim(text_value) <> ''

    union all

    select * from competitor_reviews

),

survey_outcome_items as (

    {#- The first NPS item (on 0..10) and the first scored CSAT item of each response
        with a text, by item id. -#}
    select
        feedback_items.survey_response_id,
        feedback_items.instrument,
        feedback_items.nps_group,
        feedback_items.is_top_box,
        {{ oriented_score('feedback_items.score_value', 'feedback_items.scale_min', 'feedback_items.scale_max', 'feedback_items.direction') }}
            <= feedback_items.scale_min + 1 as is_bottom_box,
        row_number() over (
            partition by feedback_items.survey_response_id, feedback_items.instrument
            order by feedback_items.item_id
        ) as item_rank
    from feedback_items
    where feedback_items.channel = 'survey'
        and (
            (feedback_items.instrument = 'nps' and feedback_items.nps_group is not null)
            or (feedback_items.instrument = 'csat' and feedback_items.score_value is not null)
        )
        and feedback_items.survey_response_id in (
            select texts.survey_response_id
            from texts
            where texts.survey_response_id is not null
        )

),

survey_outcomes as (

    select
        survey_response_id,
        max(case when instrument = 'nps' then nps_group end) as nps_group,
        max(case when instrument = 'csat' and is_top_box then 1 else 0 end) = 1 as is_csat_top_box,
        max(case when instrument = 'csat' and is_bottom_box then 1 else 0 end) = 1 as is_csat_bottom_box,
        max(case when instrument = 'csat' then 1 else 0 end) = 1 as has_csat
    from survey_outcome_items
    where item_rank = 1
    group by survey_response_id

),

labelled as (

    select
        texts.*,
        survey_outcomes.nps_group,
        case when survey_outcomes.has_csat then survey_outcomes.is_csat_top_box end as is_csat_top_box,
        case
            when texts.rating <= 2 then 'negative'
            when texts.rating >= 4 then 'positive'
            when survey_outcomes.nps_group = 'detractor' then 'negative'
            when survey_outcomes.nps_group = 'promoter' then 'positive'
            when survey_outcomes.nps_group is not null then null
            when survey_outcomes.is_csat_bottom_box then 'negative'
            when survey_outcomes.is_csat_top_box then 'positive'
        end as weak_label,
        case
            when texts.rating is not null then 'star_rating'
            when survey_outcomes.nps_group is not null then 'nps'
            when survey_outcomes.has_csat then 'csat'
        end as outcome_source
    from texts
    left join survey_outcomes
        on texts.survey_response_id = survey_outcomes.survey_response_id

),

final as (

    select
        feedback_item_id,
        source,
        channel,
        survey_id,
        text_value,
        md5(text_value) as text_hash,
        vendor_language,
        customer_id,
        touchpoint,
        product,
        location,
        occurred_at,
        rating,
        brand,
        is_own_brand,
        nps_group,
        is_csat_top_box,
        weak_label,
        case when weak_label is not null then outcome_source end as label_source
    from labelled

)

select * from final
