-- One JSON array of objects: one text row per element, numbered in file order. DuckDB
-- parses the whole array, so a broken array fails the file instead of loading part of it.
-- An element that names a key twice is not loaded (see stage_json_lines.sql).
create temp table staged_lines as
with elements as (
    select
        cast(json as varchar) as line,
        row_number() over () as line_number,
        coalesce(json_type(json) = 'OBJECT', false) as is_json_object,
    from read_json_objects($path, format = 'array')
)

select
    line,
    line_number,
    true as is_valid,
    is_json_object and duplicate_key is null as is_object,
    duplicate_key,
from (
    select
        *,
        case
            when is_json_object
                then list_filter(json_keys(line), key -> len(list_filter(json_keys(line), other -> other = key)) > 1)[1]
        end as duplicate_key,
    from elements
)
