{#- A table, not a view: several models and a dozen tests read it, and a view would
    redo its work for each of them (on a million rows, seconds every time). -#}
{{ config(materialized='table') }}

{#- One row per review of our own brand with the customer the identity map
    (int_customer_identities) resolves it to and the rule that matched. Competitors'
    reviews (int_reviews_branded) stop here: they feed the brand benchmarks only. -#}
with

reviews as {{ not_materialized() }} (

    select * from {{ ref('int_reviews_branded') }}
    where is_own_brand

),

identities as {{ not_materialized() }} (

    select * from {{ ref('int_customer_identities') }}
    where source_type = 'review'

),

final as (

    select
        reviews.*,
        identities.customer_id,
        identities.match_rule as customer_match_method
    from reviews
    left join identities
        on reviews.platform_review_id = identities.source_record_id

)

select * from final
