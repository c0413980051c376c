select
    count(*) filter (where status in ('loaded', 'held')) as files_loaded,
    coalesce(sum(rows_loaded) filter (where status in ('loaded', 'held')), 0) as rows_loaded,
    coalesce(sum(rows_quarantined) filter (where status in ('loaded', 'held')), 0)
        as rows_quarantined,
    count(*) filter (where status = 'failed') as files_failed,
    count(*) filter (where status = 'held') as files_held,
from raw.load_ledger
where started_at >= $since
