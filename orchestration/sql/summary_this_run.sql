-- What the run loaded itself (its raw steps name it in the ledger): a run that overlaps
-- another counts only its own loads. A file fails once per version in the ledger, so the
-- files failing now are those whose latest attempt failed, whichever run made it.
select
    count(*) filter (where status in ('loaded', 'held') and run_id = $run_id) as files_loaded,
    coalesce(
        sum(rows_loaded) filter (where status in ('loaded', 'held') and run_id = $run_id), 0
    ) as rows_loaded,
    coalesce(
        sum(rows_quarantined) filter (where status in ('loaded', 'held') and run_id = $run_id),
        0
    ) as rows_quarantined,
    (
        select count(*)
        from (
            select file_name, arg_max(status, started_at) as latest_status
            from raw.load_ledger
            where status not in ('skipped_duplicate', 'skipped')
            group by file_name
        )
        where latest_status = 'failed'
    ) as files_failed,
    count(*) filter (where status = 'held' and run_id = $run_id) as files_held,
from raw.load_ledger
