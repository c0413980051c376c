"""The survey registry that ships with the sample data, written as commented YAML."""

from __future__ import annotations

import json
from pathlib import Path

from ingestion.sample_data.surveys import (
    CES_QUESTION,
    CHECKOUT_QUESTION,
    COMMENT_QUESTION,
    CSAT_QUESTION,
    DRIVER_QUESTION,
    DRIVERS,
    GOOGLE_FORMS_COLUMNS,
    INTENT_QUESTION,
    INTENTS,
    NPS_QUESTION,
    USAGE_QUESTION,
)


def _quoted(text: str) -> str:
    # A JSON string is a valid double-quoted YAML scalar.
    return json.dumps(text, ensure_ascii=False)


def registry_text() -> str:
    """The registry describing both sample surveys, item by item."""
    drivers = "\n".join(
        f"      - {{item_id: {item}, instrument: driver, name: {name}, scale: [1, 5], "
        f"question: {_quoted(f'{DRIVER_QUESTION} - {label}')}}}"
        for item, name, label, _ in DRIVERS
    )
    intents = "\n".join(
        f"      - {{item_id: {item}, instrument: intent, name: {name}, scale: [1, 5], "
        + ("direction: lower_is_better, " if name == "switch_to_competitor" else "")
        + f"question: {_quoted(f'{INTENT_QUESTION} - {label}')}}}"
        for item, name, label in INTENTS
    )
    (_, _, forms_csat, forms_nps, forms_ces, forms_found, forms_text) = GOOGLE_FORMS_COLUMNS
    return f"""\
# Survey registry: which column of each survey export is which instrument.
# `direction` defaults to higher_is_better; `scale` is left out for open text,
# categories and attributes, which never become a score. `kind` (relationship, the
# default, or transactional) sets how soon a repeat answer counts as a duplicate.
version: 1
surveys:
  # Relationship survey sent by e-mail twice a year (Qualtrics, three header rows).
  - survey_id: relationship_nps
    vendor: qualtrics
    files: ["surveys/qualtrics_relationship_*.csv"]
    timezone: Europe/Helsinki
    channel: email
    kind: relationship
    items:
      - {{item_id: Q1, instrument: nps, scale: [0, 10], question: {_quoted(NPS_QUESTION)}}}
      - {{item_id: Q2, instrument: csat, scale: [1, 5], question: {_quoted(CSAT_QUESTION)}}}
      # CES 2.0: 1 = strongly disagree .. 7 = strongly agree.
      - {{item_id: Q3, instrument: ces, scale: [1, 7], direction: higher_is_better,
         question: {_quoted(CES_QUESTION)}}}
{drivers}
      # 1 = Yes, 2 = No
      - {{item_id: Q5, instrument: category, name: checkout_problems,
         question: {_quoted(CHECKOUT_QUESTION)}}}
      # 1 = Never, 2 = Rarely, 3 = Sometimes, 4 = Often
      - {{item_id: Q6, instrument: category, name: usage_frequency,
         question: {_quoted(USAGE_QUESTION)}}}
      # Agreement 1..5; wanting to switch is the one where less is better.
{intents}
      - {{item_id: Q8_TEXT, instrument: open_text, question: {_quoted(COMMENT_QUESTION)}}}
      # Embedded data the panel passes with each invitation.
      - {{item_id: touchpoint, instrument: attribute, name: touchpoint}}
      - {{item_id: product, instrument: attribute, name: product}}
      - {{item_id: location, instrument: attribute, name: location}}

  # Short form linked from the order confirmation page (Google Forms via Sheets): a
  # customer answers it once per order, so only a second answer the same day is a duplicate.
  - survey_id: post_purchase
    vendor: google_forms
    files: ["surveys/google_forms_post_purchase*.csv"]
    timezone: Europe/Helsinki
    channel: web
    touchpoint: checkout
    kind: transactional
    items:
      - {{item_id: {_quoted(forms_csat)}, instrument: csat, scale: [1, 5]}}
      - {{item_id: {_quoted(forms_nps)}, instrument: nps, scale: [0, 10]}}
      - {{item_id: {_quoted(forms_ces)}, instrument: ces, scale: [1, 7]}}
      - {{item_id: {_quoted(forms_found)}, instrument: category, name: found_everything}}
      - {{item_id: {_quoted(forms_text)}, instrument: open_text}}
"""


def write_registry(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(registry_text(), encoding="utf-8")
