{#- Every review of every brand, ours and our competitors' (seed review_brands): the
    brand, platform, place, rating, masked text and reply. feedback_item_id is the key
    fct_feedback_items gives our own reviews, so text analytics keyed on it covers both. -#}
with

reviews as {{ not_materialized() }} (

    select * from {{ ref('int_reviews_branded') }}

),

final as (

    select
        {{ surrogate_key(["'review'", 'platform', 'review_id']) }} as feedback_item_id,
        platform_review_id,
        brand,
        is_own_brand,
        platform,
        review_id,
        product,
        location,
        cast(rating as {{ type_double() }}) as rating,
        body as text_value,
        language,
        created_at as occurred_at,
        reply_body is not null as is_replied,
        replied_at
    from reviews

)

select * from final
