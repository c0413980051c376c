-- All columns as text; the caller names them. Records that do not parse are kept in
-- reject_errors (with their line) instead of failing the whole file.
create temp table staged as
select *
from read_csv(
    $path,
    header = false,
    skip = $skip,
    auto_detect = false,
    columns = $columns,
    delim = $delimiter,
    quote = '"',
    escape = '"',
    encoding = $encoding,
    max_line_size = $max_line_size,
    store_rejects = true,
    rejects_table = 'reject_errors',
    rejects_scan = 'reject_scans'
)
