-- Responses with a scored answer that is not a whole number on its item's scale.
insert into raw.quarantine (
    load_id, _source, _file_name, _file_hash, line_number, target_table, original_line,
    reason, quarantined_at
)
select
    $load_id,
    $source,
    $file_name,
    $file_hash,
    null,
    $target_table,
    to_json(staged),
    concat(
        $file_name, ', data row ', staged._row_number, ': answer ''', invalid.value,
        ''' to ', invalid.item_id, ' (', invalid.instrument, ' of survey ', $survey_id,
        ') is not a whole number on its scale ', invalid.scale_min, '..', invalid.scale_max
    ),
    $loaded_at
from staged
inner join staged_invalid_scores as invalid
    on staged._row_number = invalid._row_number
