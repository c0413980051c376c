-- Answers whose response is in no load: quarantined as they stood, with the reason.
insert into raw.quarantine (
    load_id, _source, _file_name, _file_hash, line_number, target_table, original_line,
    reason, quarantined_at
)
select
    $load_id,
    $source,
    $file_name,
    $file_hash,
    answers._row_number + 1,  -- the header is line 1
    $target_table,
    to_json(staged),
    concat(
        $file_name, ', data row ', answers._row_number, ': response ', answers.response_id,
        ' is in no load: deliver its survey_response table first'
    ),
    $loaded_at
from staged_survey_answers as answers
inner join staged
    on answers._row_number = staged._row_number
where answers.survey_id is null
