-- The stored table's columns in order: name, DuckDB type, nullable.
select
    column_name,
    data_type,
    is_nullable = 'YES' as is_nullable
from information_schema.columns
where table_schema = $schema
    and table_name = $table
order by ordinal_position
