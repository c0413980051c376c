-- Files of loads whose rows have left raw since: a corrected re-delivery of the same file
-- replaced them (superseded) or `pulse drop` removed them (dropped).
select path
from raw.lake_files
where load_id in (
    select load_id from raw.load_ledger where status in ('superseded', 'dropped')
)
order by path
