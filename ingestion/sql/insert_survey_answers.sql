-- One row per response: its answered items and their answers as two parallel lists, in
-- column order; blank answers are not stored, nor a response with no answer at all.
-- Answers to columns the survey definition describes are decoded (staged_decodings); a
-- multi-answer cell ("1,3") is decoded choice by choice and joined with "; ". The lists
-- are built from each wide row with list functions: no row per answer is materialised.
insert into raw.survey_answers by name
with decodings as (
    select
        item_column,
        map(list(exported_value), list(decoded_value)) as value_map,
        bool_or(is_multi) as is_multi,
    from staged_decodings
    group by item_column
),

-- The item columns in staged column order (item_position), so the i-th element of each
-- list below describes the i-th `item_` column of `staged`.
item_columns as (
    select
        list(items.item_id order by items.item_position) as item_ids,
        list(decodings.value_map order by items.item_position) as value_maps,
        list(coalesce(decodings.is_multi, false) order by items.item_position) as is_multi,
    from staged_items as items
    left join decodings
        on items.item_column = decodings.item_column
),

answered as (
    select
        response_id,
        _row_number,
        cells,
        list_filter(range(1, len(cells) + 1), i -> trim(cells[i]) <> '') as positions,
    from (select response_id, _row_number, [*columns('^item_[0-9]+$')] as cells from staged)
)

select
    $survey_id as survey_id,
    answered.response_id,
    list_transform(answered.positions, i -> item_columns.item_ids[i]) as item_ids,
    list_transform(
        answered.positions,
        i -> case
            when item_columns.is_multi[i] then array_to_string(
                list_transform(
                    string_split(answered.cells[i], ','),
                    choice -> coalesce(item_columns.value_maps[i][trim(choice)], trim(choice))
                ),
                '; '
            )
            else coalesce(item_columns.value_maps[i][trim(answered.cells[i])], answered.cells[i])
        end
    ) as answers,
    $source as _source,
    $file_name as _file_name,
    $file_hash as _file_hash,
    answered._row_number,
    $load_id as _load_id,
    $loaded_at as _loaded_at,
from answered
cross join item_columns
where len(answered.positions) > 0
