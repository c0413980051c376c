-- The latest evaluation of every asset check, one list per column (zipped by unnest).
insert into pipeline.check_results
select
    unnest($asset_key),
    unnest($check_name),
    unnest($is_blocking),
    unnest($outcome),
    unnest($severity),
    unnest($description),
    unnest($failed_rows),
    unnest($run_id),
    unnest($evaluated_at)
