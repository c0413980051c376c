-- Data rows of a Qualtrics relationship export ($first_id .. $first_id + $rows - 1), in the
-- column order of ingestion.sample_data.surveys.QUALTRICS_COLUMNS. Values are derived from
-- hash(row, seed, salt), so the same seed always gives the same file.
with numbered as (
    select
        range as row_number,
        (hash(range, $seed) >> 1)::bigint as row_hash,
        -- a latent satisfaction 0..1 that the scored items follow, like real respondents
        ((hash(range, $seed, 'satisfaction') >> 1)::bigint % 1000) / 1000.0 as satisfaction,
        timestamp '2024-01-01' + to_seconds(((hash(range, $seed, 'moment') >> 1)::bigint % 63072000)::bigint) as started_at,
        60 + (hash(range, $seed, 'duration') >> 1)::bigint % 400 as duration_seconds
    from range($first_id, $first_id + $rows)
),

answers as (
    select
        *,
        row_hash % 100 < 60 as is_customer,
        row_hash % 7 as noise,
        least(10, greatest(0, round(satisfaction * 10 + (row_hash % 5) - 2)))::integer as nps,
        least(5, greatest(1, round(1 + satisfaction * 4 + (row_hash % 3) - 1)))::integer as five_point
    from numbered
)

select
    strftime(started_at, '%Y-%m-%d %H:%M:%S') as "StartDate",
    strftime(started_at + to_seconds(duration_seconds), '%Y-%m-%d %H:%M:%S') as "EndDate",
    '0' as "Status",
    concat_ws('.', 10 + row_hash % 200, row_hash % 251, (row_hash >> 8) % 251, (row_hash >> 16) % 251) as "IPAddress",
    '100' as "Progress",
    duration_seconds::varchar as "Duration (in seconds)",
    '1' as "Finished",
    strftime(started_at + to_seconds(duration_seconds + 1), '%Y-%m-%d %H:%M:%S') as "RecordedDate",
    'R_b' || lpad(row_number::varchar, 14, '0') as "ResponseId",
    case when is_customer then 'Surname' || (row_hash % 997) end as "RecipientLastName",
    case when is_customer then 'Name' || (row_hash % 499) end as "RecipientFirstName",
    case when is_customer then 'person' || (row_hash % $customers) || '@example.com' end as "RecipientEmail",
    case when is_customer then 'C' || lpad((row_hash % $customers + 1)::varchar, 7, '0') end as "ExternalReference",
    null as "LocationLatitude",
    null as "LocationLongitude",
    case when is_customer then 'email' else 'anonymous' end as "DistributionChannel",
    ['EN', 'FI', 'DE', 'FR', 'ET'][1 + row_hash % 5] as "UserLanguage",
    nps as "Q1",
    five_point as "Q2",
    least(7, greatest(1, round(1 + satisfaction * 6 + noise % 3 - 1)))::integer as "Q3",
    least(5, greatest(1, five_point + noise % 3 - 1)) as "Q4_1",
    least(5, greatest(1, five_point + (noise + 1) % 3 - 1)) as "Q4_2",
    least(5, greatest(1, five_point + (noise + 2) % 3 - 1)) as "Q4_3",
    1 + (row_hash >> 4) % 5 as "Q4_4",
    1 + (row_hash >> 12) % 5 as "Q4_5",
    case when satisfaction < 0.3 then 1 else 2 end as "Q5",
    1 + (row_hash >> 20) % 4 as "Q6",
    five_point as "Q7_1",
    6 - five_point as "Q7_2",
    least(5, greatest(1, five_point + noise % 2)) as "Q7_3",
    case when row_hash % 10 < 6 then
        ['Delivery was fast and the parcel arrived a day early.',
         'Checkout failed three times in a row.',
         'Customer support answered within an hour and solved my problem.',
         'The jacket is of excellent quality and still looks new.',
         'The app crashes every time I open the basket.'][1 + (row_hash >> 24) % 5]
    end as "Q8_TEXT",
    ['delivery', 'checkout', 'support', 'product', 'website'][1 + (row_hash >> 28) % 5] as touchpoint,
    ['footwear', 'outerwear', 'backpacks', 'camping', 'accessories'][1 + (row_hash >> 32) % 5] as product,
    ['web', 'app', 'Helsinki', 'Berlin', 'Paris'][1 + (row_hash >> 36) % 5] as location
from answers
order by row_number
