insert or replace into raw.api_records (
    vendor, endpoint, record_key, content_hash, window_id, recorded_at
)
select $vendor, $endpoint, record_key, content_hash, $window_id, $loaded_at
from staged_api_records
