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

    Incremental: rebuilt whole it was the slowest node of a daily run. A survey text
    depends on its own item and on the NPS and CSAT items of its response, so a run redoes
    every text of each response with an item int_feedback_items (re)wrote since this
    model's last run (an item scored_at later than this model's newest scored_at), and
    every text when the survey registry was replaced since (an outcome item unregistered
    there is deleted without its response's other items being rewritten) or the
    review_brands seed names a new own brand. Reviews, ours and competitors', are few:
    they are redone whole. Texts whose item is gone or has no text any more are deleted
    after the insert. A change of this SQL needs a full refresh. A table stored before
    scored_at existed gets the column first (DuckDB cannot add it after the deletes of
    the same transaction) and has every text redone. -#}
{{
    config(
        materialized=incremental_materialization(),
        incremental_strategy='delete+insert',
        unique_key='feedback_item_id',
        on_schema_change='append_new_columns',
        pre_hook=[
            "{% if is_incremental() and not this_has_column('scored_at') %}alter table {{ this }} add column scored_at {{ dbt.type_timestamp() }}{% endif %}",
            "{% if is_incremental() %}delete from {{ this }} where channel <> 'survey'{% endif %}"
        ],
        post_hook=[
            "{% if is_incremental() %}{{ delete_rows_gone_upstream(ref('int_feedback_items'), 'feedback_item_id', stored_rows=\"channel = 'survey'\", upstream_rows=\"channel = 'survey' and text_value is not null and trim(text_value) <> ''\") }}{% endif %}"
        ]
    )
}}

with

feedback_items as {{ not_materialized() }} (

    {#- Read several times: materialised, DuckDB would copy every item (26 s at M). -#}
    select * from {{ ref('int_feedback_items') }}

),

review_brands as {{ not_materialized() }} (

    select * from {{ ref('review_brands') }}

),

branded_reviews as {{ not_materialized() }} (

    select * from {{ ref('int_reviews_branded') }}

),

-- noqa: disable=ST03
survey_registry as {{ not_materialized() }} (

    {#- Read by incremental runs only (when it was replaced last): a first build leaves it
        unused. -#}
    select * from {{ ref('stg_surveys__registry') }}

),
-- noqa: enable=ST03

own_brand as (

    select brand from review_brands
    where is_own_brand
    -- review_brands holds one own brand: any row is that row.
    limit 1  -- noqa: AM09

),

{% if is_incremental() %}

seen as (

    {#- The start of this model's last run. Every text is redone instead when the registry
        was replaced since (ingestion replaces it whole, and only when it changed) or the
        seed names another own brand. -#}
    {%- if this_has_column('scored_at') %}
    select
        case
            when (select max(survey_registry.loaded_at) from survey_registry) > max(stored.scored_at)
                or (
                    select own_texts.brand
                    from {{ this }} as own_texts
                    where own_texts.is_own_brand
                    -- every own text carries the one own brand: any row is that row.
                    limit 1  -- noqa: AM09
                ) <> (select own_brand.brand from own_brand)
                then cast('1900-01-01' as {{ dbt.type_timestamp() }})
            else coalesce(max(stored.scored_at), cast('1900-01-01' as {{ dbt.type_timestamp() }}))
        end as texts_seen
    from {{ this }} as stored
    {%- else %}
    {#- A table stored before the stamp existed: every text is redone. #}
    select cast('1900-01-01' as {{ dbt.type_timestamp() }}) as texts_seen
    {%- endif %}

),

touched_responses as (

    select distinct survey_response_id
    from feedback_items
    where channel = 'survey'
        and scored_at > (select seen.texts_seen from seen)

),

survey_items as (

    {#- Every item of a touched response: its texts and the outcome items they go with. -#}
    select feedback_items.*
    from feedback_items
    inner join touched_responses
        on feedback_items.survey_response_id = touched_responses.survey_response_id
    where feedback_items.channel = 'survey'

),

{% else %}

survey_items as (

    select * from feedback_items
    where channel = 'survey'

),

{% endif %}

own_items as (

    select * from survey_items

    union all

    select * from feedback_items
    where channel <> 'survey'

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
    from own_items
    where text_value is not null
        and trim(text_value) <> ''

    union all

    select * from competitor_reviews

),

survey_outcome_items as (

    {#- The first NPS item (on 0..10) and the first scored CSAT item of each response
        with a text, by item id. -#}
    select
        survey_items.survey_response_id,
        survey_items.instrument,
        survey_items.nps_group,
        survey_items.is_top_box,
        {{ oriented_score('survey_items.score_value', 'survey_items.scale_min', 'survey_items.scale_max', 'survey_items.direction') }}
            <= survey_items.scale_min + 1 as is_bottom_box,
        row_number() over (
            partition by survey_items.survey_response_id, survey_items.instrument
            order by survey_items.item_id
        ) as item_rank
    from survey_items
    where (
            (survey_items.instrument = 'nps' and survey_items.nps_group is not null)
            or (survey_items.instrument = 'csat' and survey_items.score_value is not null)
        )
        and survey_items.survey_response_id in (
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
        case when weak_label is not null then outcome_source end as label_source,
        {#- When the run that (re)wrote this row started: what the next run redoes is
            what int_feedback_items rewrote after it. -#}
        {{ run_started_timestamp() }} as scored_at
    from labelled

)

select * from final
