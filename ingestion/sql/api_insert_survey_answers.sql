-- One row per response, its answers as parallel lists in the vendor's order; blank
-- answers are not stored, as for survey files. The row number is the response's own.
insert into raw.survey_answers by name
select
    answers.survey_id,
    answers.response_id,
    list(answers.item_id order by answers._row_number) as item_ids,
    list(answers.answer order by answers._row_number) as answers,
    $source as _source,
    $file_name as _file_name,
    responses._file_hash,
    responses._row_number,
    $load_id as _load_id,
    $loaded_at as _loaded_at,
from staged_survey_answers as answers
inner join staged_survey_responses as responses
    on answers.survey_id = responses.survey_id and answers.response_id = responses.response_id
where trim(answers.answer) <> ''
group by all
