-- One text column per line. JSON cannot hold a raw unit separator (control characters
-- must be escaped), so no valid line is ever split.
-- Blank lines are not records and are dropped; line numbers count them all the same.
-- An object that names a key twice is ambiguous (readers disagree on which value wins):
-- it is not loaded, and `duplicate_key` names the key for the quarantine's reason.
create temp table staged_lines as
with lines as (
    select
        line,
        row_number() over () as line_number,
    from read_csv(
        $path,
        header = false,
        auto_detect = false,
        columns = {'line': 'VARCHAR'},
        delim = chr(31),
        quote = '',
        escape = '',
        encoding = $encoding,
        max_line_size = $max_line_size
    )
),

typed as (
    select
        line,
        line_number,
        json_valid(line) as is_valid,
        -- json_type is only asked of valid JSON: it raises on anything else.
        coalesce(case when json_valid(line) then json_type(line) = 'OBJECT' end, false)
            as is_json_object,
    from lines
    where trim(coalesce(line, '')) <> ''
)

select
    line,
    line_number,
    is_valid,
    is_json_object and duplicate_key is null as is_object,
    duplicate_key,
from (
    select
        *,
        case
            when is_json_object
                then list_filter(json_keys(line), key -> len(list_filter(json_keys(line), other -> other = key)) > 1)[1]
        end as duplicate_key,
    from typed
)
