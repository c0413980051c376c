-- Keyed on the poll, so every option is replaced with the latest counts.
delete from raw.poll_options
where _source = $source
    and starts_with(_file_name, 'api:')
    and poll_id in (select poll_id from staged_poll_options)
returning _load_id
