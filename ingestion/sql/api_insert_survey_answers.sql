-- Blank answers are not stored, as for survey files.
insert into raw.survey_answers by name
select
    survey_id,
    response_id,
    item_id,
    answer,
    $source as _source,
    $file_name as _file_name,
    _file_hash,
    _row_number,
    $load_id as _load_id,
    $loaded_at as _loaded_at,
from staged_survey_answers
where trim(answer) <> ''
