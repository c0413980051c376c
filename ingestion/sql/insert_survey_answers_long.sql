-- Answers staged in long form (one row per answered item, in delivery order) become one
-- row per response, for responses that survived key checks in `staged`; blank answers
-- are not stored. A list of structs sorted afterwards keeps the delivery order: DuckDB's
-- ordered list() keeps a sort per group, costly over many responses.
insert into raw.survey_answers by name
with grouped as (
    select
        answers.response_id,
        answers._row_number,
        list_sort(list({'staged_as': answers.rowid, 'item_id': answers.item_id,
            'answer': answers.answer})) as items,
    from staged_answers as answers
    inner join staged
        on answers._row_number = staged._row_number
    where trim(answers.answer) <> ''
    group by answers._row_number, answers.response_id
)

select
    $survey_id as survey_id,
    response_id,
    list_transform(items, item -> item.item_id) as item_ids,
    list_transform(items, item -> item.answer) as answers,
    $source as _source,
    $file_name as _file_name,
    $file_hash as _file_hash,
    _row_number,
    $load_id as _load_id,
    $loaded_at as _loaded_at,
from grouped
