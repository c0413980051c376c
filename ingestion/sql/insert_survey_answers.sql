-- Wide to long: one row per answered item; blank answers are not stored. Answers to
-- columns the survey definition describes are decoded (staged_decodings); a multi-answer
-- cell ("1,3") is decoded choice by choice and joined with "; ".
insert into raw.survey_answers by name
with wide as (
    select response_id, _row_number, columns('^item_[0-9]+$')
    from staged
),

answers as (
    unpivot wide
    on columns('^item_[0-9]+$')
    into name item_column value answer
),

decodings as (
    select
        item_column,
        map(list(exported_value), list(decoded_value)) as value_map,
        bool_or(is_multi) as is_multi,
    from staged_decodings
    group by item_column
)

select
    $survey_id as survey_id,
    answers.response_id,
    items.item_id,
    case
        when decodings.is_multi then array_to_string(
            list_transform(
                string_split(answers.answer, ','),
                choice -> coalesce(decodings.value_map[trim(choice)], trim(choice))
            ),
            '; '
        )
        else coalesce(decodings.value_map[trim(answers.answer)], answers.answer)
    end as answer,
    $source as _source,
    $file_name as _file_name,
    $file_hash as _file_hash,
    answers._row_number,
    $load_id as _load_id,
    $loaded_at as _loaded_at,
from answers
inner join staged_items as items
    on answers.item_column = items.item_column
left join decodings
    on answers.item_column = decodings.item_column
where trim(answers.answer) <> ''
