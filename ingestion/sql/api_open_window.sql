insert into raw.api_windows (
    window_id, vendor, endpoint, cursor_before, pages, rows_loaded, status, started_at
)
values ($window_id, $vendor, $endpoint, $cursor_before, 0, 0, 'running', $started_at)
