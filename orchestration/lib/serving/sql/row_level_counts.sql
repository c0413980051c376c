-- What the join of row hashes found, with each side's rows and the fingerprint's xor.
select
    (select count(*) from publish_source_rows) as source_rows,
    (select count(*) from publish_copied_rows) as copied_rows,
    count(*) filter (where is_match) as matched,
    count(*) filter (where gone_row_id is null) as added,
    count(*) filter (where added_hash is null) as gone,
    (select coalesce(bit_xor(row_hash), 0) from publish_source_rows) as row_hash_xor
from publish_row_changes
