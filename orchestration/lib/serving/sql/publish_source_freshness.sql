-- Per source, its latest load that reached staging and how old it was when the copy was
-- published, judged against the raw tables' freshness windows (orchestration/freshness.py).
insert into pipeline.source_freshness
with per_source as (
    select
        source,
        count(*) as loads,
        coalesce(sum(rows_loaded), 0) as rows_loaded,
        max(finished_at) as last_loaded_at,
        arg_max(load_name, finished_at) as last_load_name,
        date_diff('second', max(finished_at), $published_at) / 3600.0 as hours_since_last_load
    from freshness_loads
    group by source
)

select
    source,
    loads,
    rows_loaded,
    last_loaded_at,
    last_load_name,
    hours_since_last_load,
    $warn_after_hours as warn_after_hours,
    $fail_after_hours as fail_after_hours,
    case
        when hours_since_last_load > $fail_after_hours then 'failed'
        when hours_since_last_load > $warn_after_hours then 'warn'
        else 'fresh'
    end as freshness_status
from per_source
