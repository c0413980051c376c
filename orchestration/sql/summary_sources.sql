select
    coalesce(format, source, 'unknown') as source,
    count(*) filter (where status in ('loaded', 'held')) as files_loaded,
    count(*) filter (where status = 'failed') as files_failed,
    coalesce(sum(rows_loaded) filter (where status in ('loaded', 'held')), 0) as rows_loaded,
    coalesce(sum(rows_quarantined) filter (where status in ('loaded', 'held')), 0)
        as rows_quarantined,
    count(*) filter (where status = 'held') as files_held,
from raw.load_ledger
where status in ('loaded', 'held', 'failed')
group by all
order by source
