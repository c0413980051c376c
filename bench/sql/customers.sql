-- Customers $first_id .. $first_id + $rows - 1; every tenth was referred by an earlier one.
with numbered as (
    select
        range as customer_number,
        (hash(range, $seed, 'customer') >> 1)::bigint as row_hash,
        timestamp '2023-06-01' + to_seconds(((hash(range, $seed, 'signup') >> 1)::bigint % 50000000)::bigint) as signed_up_at
    from range($first_id, $first_id + $rows)
)

select
    'C' || lpad(customer_number::varchar, 7, '0') as customer_id,
    'person' || (customer_number - 1) || '@example.com' as email,
    '+35840' || lpad((row_hash % 10000000)::varchar, 7, '0') as phone,
    'Name' || (row_hash % 499) as first_name,
    'Surname' || (row_hash % 997) as last_name,
    strftime(signed_up_at, '%Y-%m-%dT%H:%M:%SZ') as signed_up_at,
    ['FI', 'DE', 'FR', 'EE', 'RO'][1 + (row_hash >> 4) % 5] as country,
    ['Helsinki', 'Berlin', 'Paris', 'Tallinn', 'Bucharest'][1 + (row_hash >> 4) % 5] as city,
    strftime(date '1950-01-01' + ((row_hash >> 8) % 20000)::integer, '%Y-%m-%d') as birth_date,
    case when customer_number > 10 and row_hash % 10 = 0
        then 'C' || lpad((1 + (row_hash >> 16) % (customer_number - 1))::varchar, 7, '0')
    end as referred_by_customer_id
from numbered
order by customer_number
