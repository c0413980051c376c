-- Answers staged in long form (one row per answered item, in delivery order) become one
-- row per response, for responses that survived key checks in `staged`; blank answers
-- are not stored.
insert into raw.survey_answers by name
select
    $survey_id as survey_id,
    answers.response_id,
    list(answers.item_id order by answers.rowid) as item_ids,
    list(answers.answer order by answers.rowid) as answers,
    $source as _source,
    $file_name as _file_name,
    $file_hash as _file_hash,
    answers._row_number,
    $load_id as _load_id,
    $loaded_at as _loaded_at,
from staged_answers as answers
inner join staged
    on answers._row_number = staged._row_number
where trim(answers.answer) <> ''
group by answers._row_number, answers.response_id
