-- Generic review CSV rows ($first_id .. $first_id + $rows - 1), seeded by hash.
with numbered as (
    select
        range as row_number,
        (hash(range, $seed, 'review') >> 1)::bigint as row_hash,
        timestamp '2024-01-01' + to_seconds(((hash(range, $seed, 'created') >> 1)::bigint % 63072000)::bigint) as created_at
    from range($first_id, $first_id + $rows)
)

select
    'bv-' || lpad(row_number::varchar, 9, '0') as review_id,
    ['trustpilot', 'google', 'yelp', 'app_store', 'google_play'][1 + row_hash % 5] as platform,
    ['footwear', 'outerwear', 'backpacks', 'camping', 'accessories'][1 + (row_hash >> 4) % 5] as product,
    ['web', 'app', 'Helsinki', 'Berlin', 'Paris'][1 + (row_hash >> 8) % 5] as location,
    1 + (row_hash >> 12) % 5 as rating,
    ['Great shop', 'Okay overall', 'Will buy again', 'Disappointed'][1 + (row_hash >> 16) % 4] as title,
    ['Comfortable from day one, fast delivery.',
     'Waited 20 minutes at the till.',
     'The seams of the backpack gave way after two weeks.',
     'Fair prices and the member discount is a nice extra.'][1 + (row_hash >> 20) % 4] as body,
    ['en', 'fi', 'de', 'fr'][1 + (row_hash >> 24) % 4] as language,
    'Reviewer ' || (row_hash % 9973) as reviewer_name,
    case when row_hash % 10 < 3 then 'person' || (row_hash % $customers) || '@example.com' end as reviewer_email,
    case when row_hash % 10 < 2 then 'C' || lpad((row_hash % $customers + 1)::varchar, 7, '0') end as customer_reference,
    strftime(created_at, '%Y-%m-%dT%H:%M:%SZ') as created_at,
    case when row_hash % 4 = 0 then 'Thank you for your feedback.' end as reply_body,
    case when row_hash % 4 = 0 then strftime(created_at + interval 2 day, '%Y-%m-%dT%H:%M:%SZ') end as replied_at
from numbered
order by row_number
