-- One JSON array of objects: one text row per element, numbered in file order. DuckDB
-- parses the whole array, so a broken array fails the file instead of loading part of it.
create temp table staged_lines as
select
    cast(json as varchar) as line,
    row_number() over () as line_number,
    true as is_valid,
    coalesce(json_type(json) = 'OBJECT', false) as is_object,
from read_json_objects($path, format = 'array')
