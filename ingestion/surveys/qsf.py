"""Qualtrics survey definitions (.qsf) and the ImportId cells of Qualtrics exports.

A .qsf file is the JSON Qualtrics writes for "Export survey" (Tools > Import/Export). The
shape followed: `SurveyElements[]`; question elements have `Element == "SQ"` and a
`Payload` with
- `QuestionID` ("QID5") and `DataExportTag` ("Q5", the column id of the export),
- `QuestionType` ("MC", "Matrix", "SBS", "TE", ...) and `Selector` ("SAVR", "MAVR", ...;
  selectors starting "MA" let a respondent pick several choices),
- `Choices` {"1": {"Display": "Very satisfied"}, ...}: the choices (for a matrix: its rows),
- `Answers` (matrix only) {"1": {"Display": "Agree"}, ...}: the scale points of each row,
- `RecodeValues` {"1": "5", ...}: choice (matrix: answer) id -> value exported in place
  of the id when recode values are set,
- `AdditionalQuestions` (side-by-side only) {"1": {<the same keys>}, ...}: one matrix per
  side-by-side column.

An export column names its question through its ImportId (`QID5_1`, 2016 exports
`QID5-1`, side-by-side `QID6#1_1`, text entry `QID7_4_TEXT`) or, without ImportIds, its
column id (`Q5_1`) through `DataExportTag`.
"""

from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_COLUMN_REFERENCE = re.compile(
    r"^(?P<question>[^#_\-]+)(?:#(?P<side>[0-9]+))?(?:[_\-](?P<part>[0-9]+))?(?P<rest>.*)$"
)


class DefinitionError(ValueError):
    """A survey definition that cannot be read; the message names the file."""


def parse_import_id(cell: str) -> tuple[str | None, str | None]:
    """ImportId and time zone of a Qualtrics row-3 cell: JSON, or (2016) a Python-style
    dict written with single quotes."""
    text = cell.strip()
    if not text.startswith("{"):
        return None, None
    try:
        parsed = json.loads(text)
    except ValueError:
        try:
            parsed = ast.literal_eval(text)
        except (ValueError, SyntaxError, MemoryError, RecursionError):
            return None, None
    if not isinstance(parsed, dict) or "ImportId" not in parsed:
        return None, None
    zone = parsed.get("timeZone")
    return str(parsed["ImportId"]), str(zone) if zone else None


def is_qsf(document: object) -> bool:
    return (
        isinstance(document, dict)
        and isinstance(document.get("SurveyElements"), list)
        and isinstance(document.get("SurveyEntry"), dict)
    )


@dataclass(frozen=True)
class ChoiceSet:
    """The values one export column can hold: id -> label, id -> recode value."""

    labels: dict[str, str]
    recodes: dict[str, str]


@dataclass(frozen=True)
class Question:
    question_id: str
    export_tag: str | None
    is_multi: bool
    choices: ChoiceSet  # MC: its choices
    answers: ChoiceSet | None  # Matrix: its scale points
    side_by_side: dict[str, ChoiceSet]


@dataclass(frozen=True)
class ColumnDecoding:
    """How the values of one export column decode: exported value -> (label, score)."""

    is_multi: bool
    values: dict[str, tuple[str, str]]


def _display(choice: object) -> str:
    if isinstance(choice, dict):
        return re.sub(r"<[^>]+>", "", str(choice.get("Display", ""))).strip()
    return str(choice)


def _choice_set(payload: dict[str, Any], key: str) -> ChoiceSet:
    raw = payload.get(key)
    labels = {str(k): _display(v) for k, v in raw.items()} if isinstance(raw, dict) else {}
    recodes = payload.get("RecodeValues")
    recoded = {str(k): str(v) for k, v in recodes.items()} if isinstance(recodes, dict) else {}
    return ChoiceSet(labels, recoded)


def _question(payload: dict[str, Any]) -> Question:
    answers = _choice_set(payload, "Answers") if isinstance(payload.get("Answers"), dict) else None
    additional = payload.get("AdditionalQuestions")
    side_by_side = {}
    if isinstance(additional, dict):
        side_by_side = {
            str(number): _choice_set(sub, "Answers")
            for number, sub in additional.items()
            if isinstance(sub, dict)
        }
    return Question(
        question_id=str(payload["QuestionID"]),
        export_tag=str(payload["DataExportTag"]) if payload.get("DataExportTag") else None,
        is_multi=str(payload.get("Selector", "")).startswith("MA"),
        choices=_choice_set(payload, "Choices"),
        answers=answers,
        side_by_side=side_by_side,
    )


@dataclass(frozen=True)
class SurveyDefinitionFile:
    questions: dict[str, Question]  # by QuestionID and by DataExportTag

    def decoding_for(self, import_id: str | None, column_id: str) -> ColumnDecoding | None:
        """How the column's values decode, or None for free text and unknown columns."""
        for reference in (import_id, column_id):
            if not reference:
                continue
            if reference.strip() in self.questions:  # a custom tag may hold "_" itself
                return _column_decoding(self.questions[reference.strip()], None, None, "")
            match = _COLUMN_REFERENCE.match(reference.strip())
            question = self.questions.get(match["question"]) if match else None
            if match and question is not None:
                return _column_decoding(question, match["side"], match["part"], match["rest"])
        return None


def _column_decoding(
    question: Question, side: str | None, part: str | None, rest: str
) -> ColumnDecoding | None:
    if rest:  # `_TEXT`, `_DO`, ...: free text or metadata, not a choice
        return None
    if side is not None:
        scale = question.side_by_side.get(side)
        return _decoding(scale, is_multi=False) if scale else None
    if question.answers is not None:  # a matrix row: its value is a scale point
        return _decoding(question.answers, is_multi=question.is_multi)
    if part is not None and question.is_multi:
        # One column per choice (split multi-answer export): the column itself is the
        # choice, its cell marks it chosen ("1") or carries the choice's recode value.
        label = question.choices.labels.get(part)
        if label is None:
            return None
        score = question.choices.recodes.get(part, part)
        return ColumnDecoding(False, {"1": (label, score), score: (label, score)})
    return _decoding(question.choices, is_multi=question.is_multi)


def _decoding(choices: ChoiceSet, is_multi: bool) -> ColumnDecoding:
    values: dict[str, tuple[str, str]] = {}
    for choice_id, label in choices.labels.items():
        values[choice_id] = (label, choices.recodes.get(choice_id, choice_id))
    # An export with recode values writes those, not ids: where they clash, the recode wins.
    for choice_id, recode in choices.recodes.items():
        if choice_id in choices.labels:
            values[recode] = (choices.labels[choice_id], recode)
    return ColumnDecoding(is_multi, values)


def parse_definition(document: object, source: str) -> SurveyDefinitionFile:
    if not is_qsf(document):
        raise DefinitionError(f"{source}: not a Qualtrics survey definition (.qsf)")
    assert isinstance(document, dict)
    questions: dict[str, Question] = {}
    for number, element in enumerate(document["SurveyElements"], start=1):
        if not isinstance(element, dict) or element.get("Element") != "SQ":
            continue
        payload = element.get("Payload")
        if not isinstance(payload, dict) or not payload.get("QuestionID"):
            raise DefinitionError(f"{source}: survey element {number} has no Payload.QuestionID")
        question = _question(payload)
        questions[question.question_id] = question
        if question.export_tag:
            questions.setdefault(question.export_tag, question)
    return SurveyDefinitionFile(questions)


def load_definition(path: Path) -> SurveyDefinitionFile:
    try:
        document = json.loads(path.read_text(encoding="utf-8-sig"))
    except OSError as error:
        raise DefinitionError(f"{path}: cannot read the survey definition: {error}") from error
    except ValueError as error:
        raise DefinitionError(f"{path}: survey definition is not valid JSON: {error}") from error
    return parse_definition(document, str(path))
