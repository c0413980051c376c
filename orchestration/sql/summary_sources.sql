select
    coalesce(format, source, 'unknown') as source,
    count(*) filter (where status = 'loaded') as files_loaded,
    count(*) filter (where status = 'failed') as files_failed,
    coalesce(sum(rows_loaded) filter (where status = 'loaded'), 0) as rows_loaded,
    coalesce(sum(rows_quarantined) filter (where status = 'loaded'), 0) as rows_quarantined,
from raw.load_ledger
where status in ('loaded', 'failed')
group by all
order by source
