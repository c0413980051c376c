-- Warehouses written when raw.survey_answers held one row per answered item: regroup them
-- to one row per response and load, items in the order they were loaded. The answers'
-- API window counts are left as recorded (they count the rows each window wrote then).
create table raw.survey_answers_as_lists as
with grouped as (
    -- A list of structs sorted afterwards: DuckDB's ordered list() keeps a sort per group,
    -- which runs out of memory over a million responses.
    select
        survey_id,
        response_id,
        list_sort(list({'loaded_as': rowid, 'item_id': item_id, 'answer': answer})) as items,
        _source,
        _file_name,
        any_value(_file_hash) as _file_hash,
        min(_row_number) as _row_number,
        _load_id,
        _loaded_at,
    from raw.survey_answers
    group by survey_id, response_id, _source, _file_name, _load_id, _loaded_at
)

select
    survey_id,
    response_id,
    list_transform(items, item -> item.item_id) as item_ids,
    list_transform(items, item -> item.answer) as answers,
    _source,
    _file_name,
    _file_hash,
    _row_number,
    _load_id,
    _loaded_at,
from grouped;

drop table raw.survey_answers;

alter table raw.survey_answers_as_lists rename to survey_answers;
