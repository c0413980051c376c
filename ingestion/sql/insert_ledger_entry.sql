insert into raw.load_ledger (
    load_id, file_name, file_hash, file_size, encoding, source, format, target_table,
    rows_in, rows_loaded, rows_quarantined, status, error, started_at, finished_at, run_id
)
values (
    $load_id, $file_name, $file_hash, $file_size, $encoding, $source, $format, $target_table,
    $rows_in, $rows_loaded, $rows_quarantined, $status, $error, $started_at, $finished_at,
    $run_id
)
