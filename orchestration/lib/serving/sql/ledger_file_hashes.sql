-- Content hashes already handled: loaded (perhaps held, or dropped on purpose), or skipped
-- as a duplicate of a loaded file.
select distinct file_hash
from pipeline.load_ledger
where status in ('loaded', 'held', 'dropped', 'skipped', 'skipped_duplicate')
