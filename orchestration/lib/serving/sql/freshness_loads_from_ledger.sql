insert into freshness_loads
select
    coalesce(source, format, 'unknown') as source,
    file_name as load_name,
    rows_loaded,
    finished_at
from warehouse.raw.load_ledger
where status = 'loaded' and finished_at is not null
