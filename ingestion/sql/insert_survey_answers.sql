-- Answers staged one per answered item (`_row_number` keeps the delivery order) become
-- one row per response, its items and answers as parallel lists, for the responses staged
-- beside them (those that survived the key checks); blank answers are not stored. A list
-- of structs sorted afterwards keeps the order: DuckDB's ordered list() keeps a sort per
-- group, costly over many responses. The row number is the response's own.
insert into raw.survey_answers by name
with grouped as (
    select
        answers.survey_id,
        answers.response_id,
        list_sort(list({'staged_as': answers._row_number, 'item_id': answers.item_id,
            'answer': answers.answer})) as items,
    from staged_survey_answers as answers
    where trim(answers.answer) <> ''
    group by answers.survey_id, answers.response_id
)

select
    grouped.survey_id,
    grouped.response_id,
    list_transform(grouped.items, item -> item.item_id) as item_ids,
    list_transform(grouped.items, item -> item.answer) as answers,
    $source as _source,
    $file_name as _file_name,
    $file_hash as _file_hash,
    responses._row_number,
    $load_id as _load_id,
    $loaded_at as _loaded_at,
from grouped
inner join staged_survey_responses as responses
    on grouped.survey_id = responses.survey_id and grouped.response_id = responses.response_id
