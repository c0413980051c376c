-- API windows whose rows in one raw table no longer match what the window recorded:
-- the table must hold the rows the window inserted less those later pages replaced, and a
-- finished window's rows_loaded must be the sum of its rows over every table.
-- {table} is a quoted identifier from RECONCILED_TABLES; the table name is bound.
with window_totals as (
    select
        window_id,
        sum(rows_loaded) as rows_loaded_all_tables,
    from raw.api_window_rows
    group by window_id
),

recorded as (
    select
        windows.window_id,
        windows.status,
        windows.rows_loaded as window_rows_loaded,
        window_totals.rows_loaded_all_tables,
        window_rows.rows_loaded,
        window_rows.rows_replaced,
    from raw.api_windows as windows
    inner join raw.api_window_rows as window_rows
        on windows.window_id = window_rows.window_id
    inner join window_totals
        on windows.window_id = window_totals.window_id
    where window_rows.table_name = $table_name
        and windows.status <> 'dropped'  -- removed on request with its rows
),

table_counts as (
    select
        _load_id as window_id,
        count(*) as rows_in_table,
    from {table}
    where starts_with(_load_id, 'api:')
    group by _load_id
),

compared as (
    select
        coalesce(recorded.window_id, table_counts.window_id) as window_id,
        recorded.status,
        recorded.window_rows_loaded,
        recorded.rows_loaded_all_tables,
        recorded.rows_loaded,
        recorded.rows_replaced,
        coalesce(table_counts.rows_in_table, 0) as rows_in_table,
    from recorded
    full outer join table_counts on recorded.window_id = table_counts.window_id
)

select
    window_id,
    status,
    window_rows_loaded,
    rows_loaded_all_tables,
    rows_loaded,
    rows_replaced,
    rows_in_table,
from compared
where rows_loaded is null
    or rows_in_table <> rows_loaded - rows_replaced
    or (status in ('loaded', 'failed') and window_rows_loaded <> rows_loaded_all_tables)
order by window_id
