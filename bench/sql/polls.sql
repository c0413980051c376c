-- Poll results: four options per poll for polls $first_id .. $first_id + $rows - 1.
with polls as (
    select
        range as poll_number,
        (hash(range, $seed, 'poll') >> 1)::bigint as poll_hash,
        timestamp '2024-01-01' + to_seconds(((hash(range, $seed, 'started') >> 1)::bigint % 63072000)::bigint) as started_at
    from range($first_id, $first_id + $rows)
)

select
    'bp-' || poll_number as poll_id,
    ['x', 'facebook', 'instagram', 'tiktok', 'linkedin'][1 + poll_hash % 5] as platform,
    'How do you like shopping with us?' as question,
    option_position,
    ['Love it', 'It is fine', 'Needs work', 'Have not tried it'][option_position] as option_label,
    hash(poll_number, option_position, $seed) % 500 as votes,
    'closed' as voting_status,
    strftime(started_at, '%Y-%m-%dT%H:%M:%SZ') as started_at,
    strftime(started_at + interval 1 day, '%Y-%m-%dT%H:%M:%SZ') as ends_at,
    ['mobile_shopping', 'delivery', 'products', 'stores'][1 + (poll_hash >> 8) % 4] as topic
from polls
cross join range(1, 5) as options(option_position)
order by poll_number, option_position
