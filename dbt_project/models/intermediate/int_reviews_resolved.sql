{#- One row per review with the customer it resolves to: the customer reference first,
    then an email hash that belongs to exactly one customer. -#}
with

reviews as (

    select * from {{ ref('stg_reviews__reviews') }}

),

customers as (

    select * from {{ ref('stg_commerce__customers') }}

),

customers_by_email as (

    select
        email_hash,
        min(customer_id) as customer_id
    from customers
    where email_hash is not null
    group by email_hash
    having count(*) = 1

),

final as (

    select
        reviews.*,
        coalesce(customers_by_reference.customer_id, customers_by_email.customer_id) as customer_id,
        case
            when customers_by_reference.customer_id is not null then 'customer_reference'
            when customers_by_email.customer_id is not null then 'email_hash'
        end as customer_match_method
    from reviews
    left join customers as customers_by_reference
        on reviews.customer_reference = customers_by_reference.customer_id
    left join customers_by_email
        on reviews.reviewer_email_hash = customers_by_email.email_hash

)

select * from final
