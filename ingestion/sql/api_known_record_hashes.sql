-- Content hashes already loaded for the records of one page (staged_api_records).
select known.record_key, known.content_hash
from raw.api_records as known
inner join staged_api_records as page
    on known.record_key = page.record_key
where known.vendor = $vendor and known.endpoint = $endpoint
