-- Loads the raw gates hold back from the marts, and why: the first failing expectation,
-- its column and count, from the audit's structured failures. Not its example values,
-- which quote raw rows (`pulse status` shows them from the warehouse).
insert into pipeline.held_loads
select
    audits.load_id,
    coalesce(ledger.file_name, audits.load_id) as file_name,
    ledger.source,
    ledger.format,
    ledger.target_table,
    audits.held_by,
    coalesce(
        json_extract_string(audits.failures, '$[0].description'),
        json_extract_string(audits.failures, '$[0].type')
    ) as expectation,
    json_extract_string(audits.failures, '$[0].column') as column_name,
    try_cast(json_extract_string(audits.failures, '$[0].unexpected_count') as bigint)
        as failing_rows,
    coalesce(json_array_length(audits.failures), 0) as failed_expectations,
    audits.audited_at as held_at
from warehouse.raw.load_audits as audits
left join warehouse.raw.load_ledger as ledger
    on audits.load_id = ledger.load_id
where audits.status = 'held'
