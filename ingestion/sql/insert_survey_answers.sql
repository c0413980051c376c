-- Wide to long: one row per answered item; blank answers are not stored.
insert into raw.survey_answers by name
with wide as (
    select response_id, _row_number, columns('^item_[0-9]+$')
    from staged
),

answers as (
    unpivot wide
    on columns('^item_[0-9]+$')
    into name item_column value answer
)

select
    $survey_id as survey_id,
    answers.response_id,
    items.item_id,
    answers.answer,
    $source as _source,
    $file_name as _file_name,
    $file_hash as _file_hash,
    answers._row_number,
    $load_id as _load_id,
    $loaded_at as _loaded_at,
from answers
inner join staged_items as items
    on answers.item_column = items.item_column
where trim(answers.answer) <> ''
