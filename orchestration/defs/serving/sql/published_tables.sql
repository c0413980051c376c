-- Base tables of the warehouse schemas that are published, in a stable order.
select schema_name, table_name
from duckdb_tables()
where database_name = 'warehouse'
    and list_contains(?, schema_name)
    and not temporary
order by schema_name, table_name
