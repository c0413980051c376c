-- Content hashes already handled: loaded, or skipped as a duplicate of a loaded file.
select distinct file_hash
from pipeline.load_ledger
where status in ('loaded', 'skipped_duplicate')
