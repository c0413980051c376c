-- Tables and views of the warehouse schemas that are published, in a stable order. A
-- view (fct_feedback_items reads int_feedback_items) is written out as a table, so the
-- copy stands alone.
select schema_name, table_name
from duckdb_tables()
where database_name = 'warehouse'
    and list_contains($schemas, schema_name)
    and not temporary
union all
select schema_name, view_name
from duckdb_views()
where database_name = 'warehouse'
    and list_contains($schemas, schema_name)
    and not temporary
    and not internal
order by schema_name, table_name
