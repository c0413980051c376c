-- Loads of one raw table whose rows no longer match the load ledger:
-- rows_in <> rows_loaded + rows_quarantined, or rows in the table <> rows_loaded, or rows
-- of a load the ledger does not know.
-- {table} is a quoted identifier from RECONCILED_TABLES; the target name is bound.
with ledger as (
    select
        load_id,
        file_name,
        rows_in,
        rows_loaded,
        rows_quarantined
    from raw.load_ledger
    where status in ('loaded', 'held') and target_table = $target_table
),

table_counts as (
    select
        _load_id as load_id,
        count(*) as rows_in_table
    from {table}
    where not starts_with(_load_id, 'api:')  -- API windows: reconcile_api_windows.sql
    group by _load_id
),

compared as (
    select
        coalesce(ledger.load_id, table_counts.load_id) as load_id,
        ledger.file_name,
        ledger.rows_in,
        ledger.rows_loaded,
        ledger.rows_quarantined,
        coalesce(table_counts.rows_in_table, 0) as rows_in_table
    from ledger
    full outer join table_counts on ledger.load_id = table_counts.load_id
)

select
    load_id,
    coalesce(file_name, '(no loaded ledger entry)') as file_name,
    rows_in,
    rows_loaded,
    rows_quarantined,
    rows_in_table
from compared
where (
    rows_loaded is null
    -- A load recorded against another table may write rows here too (a Shopify order's
    -- customer): the ledger counts its main table's rows only.
    and load_id not in (
        select load_id from raw.load_ledger where status in ('loaded', 'held')
    )
)
or rows_in is distinct from rows_loaded + rows_quarantined
or rows_in_table <> rows_loaded
order by file_name, load_id
