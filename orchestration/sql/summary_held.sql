-- Loads the raw gates hold back from the marts, with why (one line each).
select
    audits.load_id,
    coalesce(ledger.file_name, windows.window_id, audits.load_id) as file_name,
    coalesce(ledger.source, windows.vendor) as source,
    audits.reason,
from raw.load_audits as audits
left join raw.load_ledger as ledger
    on audits.load_id = ledger.load_id
left join raw.api_windows as windows
    on audits.load_id = windows.window_id
where audits.status = 'held'
order by file_name
