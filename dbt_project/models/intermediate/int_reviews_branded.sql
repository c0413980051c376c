{#- One row per review of any brand: the brand its place belongs to (seed review_brands,
    matched on the platform and the review's location or product), and whether that is
    our own brand. A review no competitor row claims is ours. -#}
with

reviews as {{ not_materialized() }} (

    select * from {{ ref('stg_reviews__reviews') }}

),

brands as {{ not_materialized() }} (

    select * from {{ ref('review_brands') }}

),

own_brand as (

    select brand
    from brands
    where is_own_brand

),

location_places as (

    select platform, match_value, brand
    from brands
    where match_column = 'location'

),

product_places as (

    select platform, match_value, brand
    from brands
    where match_column = 'product'

),

final as (

    select
        reviews.*,
        coalesce(location_places.brand, product_places.brand, own_brand.brand) as brand,
        location_places.brand is null and product_places.brand is null as is_own_brand
    from reviews
    cross join own_brand
    left join location_places
        on reviews.platform = location_places.platform
        and reviews.location = location_places.match_value
    left join product_places
        on reviews.platform = product_places.platform
        and reviews.product = product_places.match_value

)

select * from final
