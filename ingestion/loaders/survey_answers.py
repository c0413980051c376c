"""The statement that turns each staged wide survey row into one raw.survey_answers row.

A response's items and answers are two parallel lists in the file's column order: every
item column of the file, its answer null where the cell is blank. A response with no
answer at all is not stored. Answers to columns the survey definition describes are
decoded through `staged_decodings`; a multi-answer cell ("1,3") is decoded choice by choice
and joined with "; ".

The statement is written for the file's own columns: each item column is one expression
of the list, and the item ids are one bound list, the same for every row. Lambdas that
index lists held in other columns (the ids, one decoding map per column) made DuckDB copy
those lists for every row: 15 s for a million responses. Zipping the cells with the ids
and filtering out the blank ones cost 4 s; keeping the blanks as nulls (staging drops
them) costs 2.8 s.
"""

from __future__ import annotations

from dataclasses import dataclass

from ingestion.warehouse import lineage_columns, quote_identifier


@dataclass(frozen=True)
class AnswerColumn:
    staged_name: str  # a loader-made name such as item_0017, never a file's header
    item_id: str
    decoded: bool = False
    is_multi: bool = False


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _cell(column: AnswerColumn, map_alias: str) -> str:
    """The column's answer, decoded when it has a decoding; null when the cell is blank."""
    cell = quote_identifier(column.staged_name)
    value = cell
    if column.is_multi:
        value = (
            f"array_to_string(list_transform(string_split({cell}, ','),"
            f" choice -> coalesce(value_maps.{map_alias}[trim(choice)], trim(choice))), '; ')"
        )
    elif column.decoded:
        value = f"coalesce(value_maps.{map_alias}[trim({cell})], {cell})"
    return f"case when trim({cell}) <> '' then {value} end"


def insert_survey_answers_sql(columns: list[AnswerColumn]) -> str:
    """Insert statement for `columns`; binds $item_ids (in the same order) and lineage."""
    aliases = {column.staged_name: f"map_{index}" for index, column in enumerate(columns)}
    decoded = [column for column in columns if column.decoded or column.is_multi]
    # One row holding each decoded column's exported value -> decoded value map.
    value_maps = ", ".join(
        f"first(value_map) filter (where item_column = {_literal(column.staged_name)})"
        f" as {aliases[column.staged_name]}"
        for column in decoded
    )
    cells = ", ".join(_cell(column, aliases[column.staged_name]) for column in columns)
    lineage = lineage_columns()
    # An aggregate without group by: exactly one row, even with no decoding at all.
    return f"""
insert into raw.survey_answers by name
with decodings as (
    select item_column, map(list(exported_value), list(decoded_value)) as value_map,
    from staged_decodings
    group by item_column
),

value_maps as (
    select {value_maps or "count(*) as decoded_columns"} from decodings
),

answered as (
    select
        staged.response_id,
        staged._row_number,
        [{cells}] as answers,
    from staged_survey_responses as staged
    cross join value_maps
    -- Cheaper than counting each built list's non-null answers (3.1 s against 2.7 s).
    where coalesce({cells}) is not null
)

select
    $survey_id as survey_id,
    response_id,
    $item_ids::varchar[] as item_ids,
    answers,
{lineage}from answered
"""
