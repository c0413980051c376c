-- Orders $first_id .. $first_id + $rows - 1 of customers 1 .. $customers.
with numbered as (
    select
        range as order_number,
        (hash(range, $seed, 'order') >> 1)::bigint as row_hash,
        timestamp '2024-01-01' + to_seconds(((hash(range, $seed, 'ordered') >> 1)::bigint % 63072000)::bigint) as ordered_at,
        round(10 + ((hash(range, $seed, 'amount') >> 1)::bigint % 25000) / 100.0, 2) as gross_amount
    from range($first_id, $first_id + $rows)
),

priced as (
    select
        *,
        case when row_hash % 5 = 0 then round(gross_amount * 0.1, 2) else 0 end as discount_amount
    from numbered
)

select
    'O' || lpad(order_number::varchar, 8, '0') as order_id,
    'C' || lpad((1 + (row_hash >> 4) % $customers)::varchar, 7, '0') as customer_id,
    strftime(ordered_at, '%Y-%m-%dT%H:%M:%SZ') as ordered_at,
    case when row_hash % 50 = 0 then 'refunded' else 'completed' end as status,
    'EUR' as currency,
    printf('%.2f', gross_amount) as gross_amount,
    printf('%.2f', discount_amount) as discount_amount,
    printf('%.2f', gross_amount - discount_amount) as net_amount,
    ['web', 'app', 'store'][1 + (row_hash >> 8) % 3] as channel,
    ['web', 'app', 'Helsinki', 'Berlin', 'Paris'][1 + (row_hash >> 8) % 5] as location,
    ['footwear', 'outerwear', 'backpacks', 'camping', 'accessories'][1 + (row_hash >> 12) % 5] as product_category
from priced
order by order_number
