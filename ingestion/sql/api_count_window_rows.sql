-- Add one page's inserted and replaced rows (staged_window_rows) to each window's counts.
insert into raw.api_window_rows as recorded
select
    window_id,
    table_name,
    sum(rows_loaded) as rows_loaded,
    sum(rows_replaced) as rows_replaced,
from staged_window_rows
group by window_id, table_name
on conflict (window_id, table_name) do update set
    rows_loaded = recorded.rows_loaded + excluded.rows_loaded,
    rows_replaced = recorded.rows_replaced + excluded.rows_replaced
