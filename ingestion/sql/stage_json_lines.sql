-- One text column per line. JSON cannot hold a raw unit separator (control characters
-- must be escaped), so no valid line is ever split.
-- Blank lines are not records and are dropped; line numbers count them all the same.
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
        encoding = $encoding
    )
)

select
    line,
    line_number,
    json_valid(line) as is_valid,
    -- json_type is only asked of valid JSON: it raises on anything else.
    coalesce(case when json_valid(line) then json_type(line) = 'OBJECT' end, false) as is_object,
from lines
where trim(coalesce(line, '')) <> ''
