update raw.api_windows
set
    cursor_after = $cursor_after,
    pages = $pages,
    rows_loaded = $rows_loaded,
    status = $status,
    error = $error,
    finished_at = $finished_at
where window_id = $window_id
