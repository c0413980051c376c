-- The load ledger without error texts (which can quote file contents).
create table pipeline.load_ledger as
select
    load_id,
    file_name,
    file_hash,
    file_size,
    source,
    format,
    target_table,
    rows_in,
    rows_loaded,
    rows_quarantined,
    status,
    started_at,
    finished_at
from warehouse.raw.load_ledger
