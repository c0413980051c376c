-- Row hashes of a warehouse table (publish_source_rows) matched with those of its
-- published copy (publish_copied_rows) in one join: a warehouse row with no match is to
-- be inserted (added_hash), a copied row with no match deleted (gone_row_id). Matched
-- pairs are kept as a count only, so duplicate rows on either side show in the totals.
create or replace temp table publish_row_changes as
select
    source_rows.row_hash as added_hash,
    copied_rows.row_id as gone_row_id,
    source_rows.row_hash is not null and copied_rows.row_id is not null as is_match
from publish_source_rows as source_rows
full outer join publish_copied_rows as copied_rows
    on source_rows.row_hash = copied_rows.row_hash
