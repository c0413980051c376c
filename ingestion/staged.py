"""The staged shape of each raw table: what every file format and API client delivers.

A loader stages its rows as text into the temp table `staged_<table>` with these columns
and `_row_number`, and one insert statement per raw table (`insert_<table>.sql`) writes
them with their lineage, whoever staged them. Personal fields are hashed by that
statement, never before.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class StagedShape:
    table: str  # raw table, without the schema
    columns: tuple[str, ...]
    key: tuple[str, ...]  # the natural key within one delivery

    @property
    def raw_table(self) -> str:
        return f"raw.{self.table}"

    @property
    def staged_table(self) -> str:
        return f"staged_{self.table}"

    @property
    def insert_sql(self) -> str:
        return f"insert_{self.table}.sql"


REVIEWS = StagedShape(
    "reviews",
    (
        "review_id", "platform", "product", "location", "rating", "title", "body",
        "language", "reviewer_email", "reviewer_name", "customer_reference",
        "created_at", "reply_body", "replied_at",
    ),
    ("review_id",),
)  # fmt: skip
POLL_OPTIONS = StagedShape(
    "poll_options",
    (
        "poll_id", "platform", "question", "option_position", "option_label", "votes",
        "voting_status", "started_at", "ends_at", "topic",
    ),
    ("poll_id", "option_position"),
)  # fmt: skip
ORDERS = StagedShape(
    "orders",
    (
        "order_id", "customer_id", "ordered_at", "status", "currency", "gross_amount",
        "discount_amount", "net_amount", "channel", "location", "product_category",
    ),
    ("order_id",),
)  # fmt: skip
CUSTOMERS = StagedShape(
    "customers",
    (
        "customer_id", "email", "phone", "first_name", "last_name", "signed_up_at",
        "country", "city", "birth_date", "referred_by_customer_id",
    ),
    ("customer_id",),
)  # fmt: skip
SURVEY_RESPONSES = StagedShape(
    "survey_responses",
    (
        "survey_id", "response_id", "started_at", "submitted_at", "source_timezone",
        "duration_seconds", "is_finished", "progress", "distribution_channel",
        "user_language", "external_reference", "respondent_email",
        "respondent_first_name", "respondent_last_name",
    ),
    ("survey_id", "response_id"),
)  # fmt: skip
# One row per answered item in delivery order (`_row_number`); the insert groups a
# response's answers into the raw table's parallel lists.
SURVEY_ANSWERS = StagedShape(
    "survey_answers",
    ("survey_id", "response_id", "item_id", "answer"),
    ("survey_id", "response_id", "item_id"),
)

# One row per action a team took on a follow-up case (several per case).
CASE_ACTIONS = StagedShape(
    "case_actions",
    ("case_id", "action", "actor", "acted_at", "note"),
    ("case_id", "acted_at", "action"),
)

SHAPES: dict[str, StagedShape] = {
    shape.table: shape
    for shape in (
        REVIEWS,
        POLL_OPTIONS,
        ORDERS,
        CUSTOMERS,
        SURVEY_RESPONSES,
        SURVEY_ANSWERS,
        CASE_ACTIONS,
    )
}
