insert into freshness_loads
select
    vendor as source,
    endpoint || ' ' || window_id as load_name,
    rows_loaded,
    finished_at
from warehouse.raw.api_windows
where status = 'loaded' and finished_at is not null
