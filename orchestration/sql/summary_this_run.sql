select
    count(*) filter (where status = 'loaded') as files_loaded,
    coalesce(sum(rows_loaded) filter (where status = 'loaded'), 0) as rows_loaded,
    coalesce(sum(rows_quarantined) filter (where status = 'loaded'), 0) as rows_quarantined,
    count(*) filter (where status = 'failed') as files_failed,
from raw.load_ledger
where started_at >= $since
