insert or replace into raw.api_cursors (vendor, endpoint, cursor_value, updated_at)
values ($vendor, $endpoint, $cursor_value, $updated_at)
