"""Survey exports: the Qualtrics relationship survey and the Google Forms post-purchase form.

Answers follow each respondent's latent satisfaction: NPS, CSAT, CES, driver and intent
items move together, with the noise real respondents add.

The relationship survey runs in half-year waves, one export per wave. Every customer
signed up by the end of a wave is invited once in it, on the half-yearly anniversary of
signing up (so invitations, and answers, spread over the whole half-year), and answers
within three weeks or not at all; the same share of those invited answers in every
wave. A customer therefore answers at most once per wave, about six months apart.
Anonymous respondents (the survey link shared without an invitation) answer at any
moment. A handful of customers, about one answer in 500 (`RESUBMITTED_SHARE`), send
the form again with the same contact details half an hour to three days later: these
are the sample's genuine duplicate respondents, which the duplicate-respondent warning
should report, and nothing else does. The post-purchase form is answered after an
order, so a customer answers it again with every purchase.
"""

from __future__ import annotations

import csv
import json
import random
import string
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from itertools import accumulate
from pathlib import Path
from zoneinfo import ZoneInfo

from ingestion.sample_data.catalog import (
    BRAND,
    CATEGORIES,
    CITY_COORDINATES,
    DAY,
    HISTORY_END,
    HISTORY_START,
    MARKET_WEIGHTS,
    MARKETS,
    STORE_CITIES,
    SURVEY_TIMEZONE,
    TOUCHPOINTS,
)
from ingestion.sample_data.customers import CHANNELS, Roster, customer_id
from ingestion.sample_data.texts import TOUCHPOINT_THEMES, feedback_text

LOCAL_ZONE = ZoneInfo(SURVEY_TIMEZONE)
CUSTOMER_RESPONDENT_SHARE = 0.92
PARTIAL_SHARE = 0.03
BLANK_COMMENT_SHARE = 0.40
# Answers come within three weeks of the invitation, or not at all.
RESPONSE_DAYS = 21
# Customer answers followed by the same form submitted again (a double-click, a reload).
RESUBMITTED_SHARE = 0.002
RESUBMIT_DELAY = (0.5 / 24 * DAY, 3 * DAY)

NPS_QUESTION = f"How likely are you to recommend {BRAND} to a friend or colleague?"
CSAT_QUESTION = f"Overall, how satisfied were you with your most recent experience with {BRAND}?"
CES_QUESTION = f"{BRAND} made it easy for me to handle my issue."
DRIVER_QUESTION = "How would you rate the following?"
INTENT_QUESTION = "How much do you agree with the following statements?"
COMMENT_QUESTION = "What is the main reason for your score?"

# (item id, registry name, label in the matrix question, weight of satisfaction)
DRIVERS: tuple[tuple[str, str, str, float], ...] = (
    ("Q4_1", "support_team", "Support team", 0.85),
    ("Q4_2", "quality_of_answers", "Quality of answers", 0.75),
    ("Q4_3", "speed_of_answers", "Speed of answers", 0.80),
    ("Q4_4", "site_navigation", "Ease of site navigation", 0.45),
    ("Q4_5", "finding_information", "Finding information", 0.55),
)
INTENTS: tuple[tuple[str, str, str], ...] = (
    ("Q7_1", "explore_other_products", f"I will explore other products from {BRAND}"),
    ("Q7_2", "switch_to_competitor", "I am likely to switch to a competitor"),
    ("Q7_3", "first_choice", f"{BRAND} is my first choice"),
)
CHECKOUT_QUESTION = "Did you have any problems during checkout?"
USAGE_QUESTION = f"How often do you use products from {BRAND}?"

_META_COLUMNS: tuple[tuple[str, str, str], ...] = (
    # (column id, question text row, ImportId)
    ("StartDate", "Start Date", "startDate"),
    ("EndDate", "End Date", "endDate"),
    ("Status", "Response Type", "status"),
    ("IPAddress", "IP Address", "ipAddress"),
    ("Progress", "Progress", "progress"),
    ("Duration (in seconds)", "Duration (in seconds)", "duration"),
    ("Finished", "Finished", "finished"),
    ("RecordedDate", "Recorded Date", "recordedDate"),
    ("ResponseId", "Response ID", "_recordId"),
    ("RecipientLastName", "Recipient Last Name", "recipientLastName"),
    ("RecipientFirstName", "Recipient First Name", "recipientFirstName"),
    ("RecipientEmail", "Recipient Email", "recipientEmail"),
    ("ExternalReference", "External Data Reference", "externalDataReference"),
    ("LocationLatitude", "Location Latitude", "locationLatitude"),
    ("LocationLongitude", "Location Longitude", "locationLongitude"),
    ("DistributionChannel", "Distribution Channel", "distributionChannel"),
    ("UserLanguage", "User Language", "userLanguage"),
)
_DATE_IMPORT_IDS = frozenset({"startDate", "endDate", "recordedDate"})
_QUESTION_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("Q1", NPS_QUESTION, "QID1"),
    ("Q2", CSAT_QUESTION, "QID2"),
    ("Q3", CES_QUESTION, "QID3"),
    *((item, f"{DRIVER_QUESTION} - {label}", f"QID{item[1:]}") for item, _, label, _ in DRIVERS),
    ("Q5", CHECKOUT_QUESTION, "QID5"),
    ("Q6", USAGE_QUESTION, "QID6"),
    *((item, f"{INTENT_QUESTION} - {label}", f"QID{item[1:]}") for item, _, label in INTENTS),
    ("Q8_TEXT", COMMENT_QUESTION, "QID8_TEXT"),
)
_EMBEDDED_COLUMNS: tuple[str, ...] = ("touchpoint", "product", "location")

QUALTRICS_COLUMNS: tuple[str, ...] = (
    *(column for column, _, _ in _META_COLUMNS),
    *(column for column, _, _ in _QUESTION_COLUMNS),
    *_EMBEDDED_COLUMNS,
)


def _import_id(import_id: str) -> str:
    fields: dict[str, str] = {"ImportId": import_id}
    if import_id in _DATE_IMPORT_IDS:
        fields["timeZone"] = SURVEY_TIMEZONE
    return json.dumps(fields, separators=(",", ":"))


def qualtrics_header_rows() -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """The three header rows of a Qualtrics CSV export: ids, question texts, ImportIds."""
    texts = (
        *(text for _, text, _ in _META_COLUMNS),
        *(text for _, text, _ in _QUESTION_COLUMNS),
        *_EMBEDDED_COLUMNS,
    )
    import_ids = (
        *(_import_id(import_id) for _, _, import_id in _META_COLUMNS),
        *(_import_id(import_id) for _, _, import_id in _QUESTION_COLUMNS),
        *(_import_id(column) for column in _EMBEDDED_COLUMNS),
    )
    return QUALTRICS_COLUMNS, texts, import_ids


QUALTRICS_WAVES: tuple[tuple[str, datetime, datetime], ...] = (
    # (file suffix, local start, local end): one invitation wave per half-year
    ("2024_h1", datetime(2024, 1, 1), datetime(2024, 7, 1)),
    ("2024_h2", datetime(2024, 7, 1), datetime(2025, 1, 1)),
    ("2025_h1", datetime(2025, 1, 1), datetime(2025, 7, 1)),
    ("2025_h2", datetime(2025, 7, 1), datetime(2026, 1, 1)),
)

GOOGLE_FORMS_COLUMNS: tuple[str, ...] = (
    "Timestamp",
    "Email Address",
    "How satisfied were you with your purchase?",
    NPS_QUESTION,
    "It was easy to complete my purchase.",
    "Did you find everything you were looking for?",
    "What could we improve?",
)
_POST_PURCHASE_THEMES: tuple[str, ...] = ("checkout", "price", "delivery", "sizing", "app")


def _clamp_round(value: float, low: int, high: int) -> int:
    return min(high, max(low, round(value)))


def _nps(rng: random.Random, satisfaction: float) -> int:
    # Recommending is a little easier than being fully satisfied: many 8s, 9s and 10s.
    return _clamp_round(10.5 * satisfaction + 0.5 + rng.gauss(0, 1.0), 0, 10)


def _local_timestamp(moment: datetime) -> float:
    return max(HISTORY_START, min(HISTORY_END, moment.replace(tzinfo=LOCAL_ZONE).timestamp()))


def _spread(rng: random.Random, start: float, end: float, count: int) -> Iterator[float]:
    """`count` random moments between start and end, already in ascending order."""
    span = end - start
    for index in range(count):
        yield start + span * (index + rng.random()) / count


@dataclass(frozen=True)
class Respondent:
    customer: int | None  # roster index, None for anonymous respondents
    satisfaction: float
    language: str
    location: str


def _customer_respondent(rng: random.Random, roster: Roster, customer: int) -> Respondent:
    # Today's mood wobbles around the customer's lasting satisfaction.
    satisfaction = min(1.0, max(0.0, roster.satisfaction[customer] + rng.gauss(0, 0.08)))
    channel = CHANNELS[roster.preferred_channel[customer]]
    location = roster.market_of(customer).city if channel == "store" else channel
    return Respondent(customer, satisfaction, roster.language[customer], location)


def _anonymous_respondent(rng: random.Random) -> Respondent:
    market = rng.choices(MARKETS, MARKET_WEIGHTS)[0]
    location = rng.choice((*STORE_CITIES, "web", "app"))
    return Respondent(None, rng.betavariate(5.0, 2.0), market.language, location)


def _respondent(rng: random.Random, roster: Roster, moment: float) -> Respondent:
    """Anyone who had signed up by `moment`, or now and then someone anonymous."""
    available = roster.signed_up_before(moment)
    if available and rng.random() < CUSTOMER_RESPONDENT_SHARE:
        return _customer_respondent(rng, roster, rng.randrange(available))
    return _anonymous_respondent(rng)


@dataclass(frozen=True)
class PlannedAnswer:
    """One relationship-survey answer before its row is drawn."""

    moment: float
    customer: int | None = None  # roster index, None for anonymous respondents
    # Which contact details the invitation carried; a resubmission keeps them.
    contact_draw: float = 0.0


@dataclass(frozen=True)
class Wave:
    """One half-year of the relationship survey, as UTC timestamps [start, end)."""

    suffix: str
    start: float
    end: float

    def at(self, phase: float) -> float:
        return self.start + phase * (self.end - self.start)


def _invitation(waves: list[Wave], wave: Wave, signed_up: float) -> float:
    """When `wave` invites a customer: at sign-up in the wave they joined, then at the
    same point of every later wave, so about six months after the previous invitation."""
    joined = waves[max(0, bisect_right([each.start for each in waves], signed_up) - 1)]
    phase = min(1.0, max(0.0, (signed_up - joined.start) / (joined.end - joined.start)))
    return max(signed_up, wave.at(phase))


def _wave_counts(total: int, invited: list[int]) -> list[int]:
    """Split `total` answers over the waves in proportion to the customers invited."""
    weights = invited if any(invited) else [1] * len(invited)
    bounds = [round(total * upto / sum(weights)) for upto in accumulate(weights)]
    return [upto - below for upto, below in zip(bounds, [0, *bounds[:-1]], strict=True)]


def _plan_wave(
    rng: random.Random, roster: Roster, waves: list[Wave], wave: Wave, count: int
) -> list[PlannedAnswer]:
    """`count` answers in `wave`, in time order; at most one per customer apart from the
    few deliberate resubmissions."""
    start, end = wave.start, wave.end
    invited = roster.signed_up_before(end)
    known = sum(rng.random() < CUSTOMER_RESPONDENT_SHARE for _ in range(count))
    resubmitted = round(known * RESUBMITTED_SHARE)
    customers = rng.sample(range(invited), min(invited, known - resubmitted))
    planned = []
    for customer in customers:
        invitation = _invitation(waves, wave, roster.signed_up_at[customer])
        # Most answer within days, a few after reminders; never after the wave closes.
        delay = min(RESPONSE_DAYS * DAY, end - invitation) * rng.random() ** 3
        planned.append(PlannedAnswer(invitation + delay, customer, rng.random()))
    for first in rng.sample(planned, min(resubmitted, len(planned))):
        delay = min(rng.uniform(*RESUBMIT_DELAY), (end - first.moment) / 2)
        planned.append(PlannedAnswer(first.moment + delay, first.customer, first.contact_draw))
    anonymous = count - len(planned)
    planned.extend(PlannedAnswer(rng.uniform(start, end)) for _ in range(anonymous))
    planned.sort(key=lambda answer: answer.moment)
    return planned


_ID_ALPHABET = string.digits + string.ascii_uppercase + string.ascii_lowercase


def _response_id(rng: random.Random, taken: set[str]) -> str:
    """`R_` and 15 alphanumerics, as Qualtrics writes response ids."""
    while True:
        number = rng.getrandbits(90)  # 62**15 > 2**89: every character stays random
        characters = []
        for _ in range(15):
            number, digit = divmod(number, 62)
            characters.append(_ID_ALPHABET[digit])
        candidate = "R_" + "".join(characters)
        if candidate not in taken:
            taken.add(candidate)
            return candidate


def _ip_address(rng: random.Random) -> str:
    first = rng.choice((31, 37, 46, 62, 78, 82, 85, 88, 91, 93, 109, 176, 185, 195, 213))
    return f"{first}.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"


def _local_text(timestamp: float) -> str:
    return datetime.fromtimestamp(int(timestamp), LOCAL_ZONE).strftime("%Y-%m-%d %H:%M:%S")


def _qualtrics_answers(
    rng: random.Random, person: Respondent, touchpoint: str, contact: str
) -> list[str]:
    satisfaction = person.satisfaction
    nps = _nps(rng, satisfaction)
    answers = [
        str(nps),
        str(_clamp_round(1 + 4 * satisfaction + rng.gauss(0, 0.6), 1, 5)),
        str(_clamp_round(1 + 6 * satisfaction + rng.gauss(0, 1.0), 1, 7)),
    ]
    for _, _, _, weight in DRIVERS:
        level = weight * satisfaction + (1 - weight) * rng.random()
        answers.append(str(_clamp_round(1 + 4 * level + rng.gauss(0, 0.5), 1, 5)))
    answers.append("1" if rng.random() < 0.35 - 0.3 * satisfaction else "2")
    answers.append(str(_clamp_round(1 + 3 * satisfaction + rng.gauss(0, 0.8), 1, 4)))
    answers.append(str(_clamp_round(1 + 4 * satisfaction + rng.gauss(0, 0.7), 1, 5)))
    answers.append(str(_clamp_round(5 - 4 * satisfaction + rng.gauss(0, 0.7), 1, 5)))
    answers.append(str(_clamp_round(1 + 4 * satisfaction + rng.gauss(0, 0.8), 1, 5)))
    comment = ""
    if rng.random() >= BLANK_COMMENT_SHARE:
        theme = rng.choice(TOUCHPOINT_THEMES[touchpoint])
        comment = feedback_text(rng, person.language, theme, nps / 10, contact)
    answers.append(comment)
    return answers


def _qualtrics_row(
    rng: random.Random, roster: Roster, planned: PlannedAnswer, taken_ids: set[str]
) -> list[str]:
    moment = planned.moment
    if planned.customer is None:
        person = _anonymous_respondent(rng)
    else:
        person = _customer_respondent(rng, roster, planned.customer)
    email = first = last = reference = ""
    channel = "anonymous"
    contact = ""
    if person.customer is not None:
        draw = planned.contact_draw
        if draw < 0.93:
            email = roster.email[person.customer]
            first = roster.first_name[person.customer]
            last = roster.last_name[person.customer]
            channel = "email"
        if draw < 0.78 or draw >= 0.93:
            reference = customer_id(person.customer)
            channel = "email" if email else "gl"
        contact = rng.choice(
            (
                roster.email[person.customer],
                roster.phone[person.customer] or roster.email[person.customer],
            )
        )
    touchpoint = rng.choice(TOUCHPOINTS)
    answers = _qualtrics_answers(rng, person, touchpoint, contact)
    progress, finished = 100, 1
    if rng.random() < PARTIAL_SHARE:
        progress = rng.choice((13, 25, 38, 50, 63, 75, 88))
        finished = 0
        answered = max(1, len(answers) * progress // 100)
        answers[answered:] = [""] * (len(answers) - answered)
    duration = max(25, round(rng.lognormvariate(5.1, 0.5) * progress / 100))
    latitude = longitude = ""
    city = person.location if person.location in CITY_COORDINATES else None
    if city and rng.random() < 0.9:
        base_latitude, base_longitude = CITY_COORDINATES[city]
        latitude = f"{base_latitude + rng.gauss(0, 0.04):.4f}"
        longitude = f"{base_longitude + rng.gauss(0, 0.06):.4f}"
    return [
        _local_text(moment),
        _local_text(moment + duration),
        "0",
        _ip_address(rng),
        str(progress),
        str(duration),
        str(finished),
        _local_text(moment + duration + 1),
        _response_id(rng, taken_ids),
        last,
        first,
        email,
        reference,
        latitude,
        longitude,
        channel,
        person.language.upper(),
        *answers,
        touchpoint,
        rng.choice(CATEGORIES),
        person.location,
    ]


def write_qualtrics(
    rng: random.Random, roster: Roster, surveys_dir: Path, total: int
) -> dict[str, int]:
    """Write one export per half-year wave; returns data rows per file name."""
    surveys_dir.mkdir(parents=True, exist_ok=True)
    waves = [
        Wave(suffix, _local_timestamp(local_start), _local_timestamp(local_end))
        for suffix, local_start, local_end in QUALTRICS_WAVES
    ]
    invited = [roster.signed_up_before(wave.end) for wave in waves]
    taken_ids: set[str] = set()
    counts: dict[str, int] = {}
    for wave, count in zip(waves, _wave_counts(total, invited), strict=True):
        name = f"qualtrics_relationship_{wave.suffix}.csv"
        with (surveys_dir / name).open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerows(qualtrics_header_rows())
            for planned in _plan_wave(rng, roster, waves, wave, count):
                writer.writerow(_qualtrics_row(rng, roster, planned, taken_ids))
        counts[name] = count
    return counts


def _forms_timestamp(timestamp: float) -> str:
    local = datetime.fromtimestamp(int(timestamp), LOCAL_ZONE)
    clock = f"{local.hour}:{local.minute:02d}:{local.second:02d}"
    return f"{local.month}/{local.day}/{local.year} {clock}"


def write_google_forms(rng: random.Random, roster: Roster, path: Path, total: int) -> int:
    """Write the post-purchase form responses as the linked Sheet downloads them."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(GOOGLE_FORMS_COLUMNS)
        for moment in _spread(rng, HISTORY_START, HISTORY_END, total):
            person = _respondent(rng, roster, moment)
            satisfaction = person.satisfaction
            email = ""
            contact = ""
            if person.customer is not None:
                contact = roster.email[person.customer]
                if rng.random() < 0.75:
                    email = roster.email[person.customer]
            nps = _nps(rng, satisfaction)
            comment = ""
            if rng.random() < 0.45:
                theme = rng.choice(_POST_PURCHASE_THEMES)
                comment = feedback_text(rng, person.language, theme, nps / 10, contact)
            writer.writerow(
                (
                    _forms_timestamp(moment),
                    email,
                    _clamp_round(1 + 4 * satisfaction + rng.gauss(0, 0.6), 1, 5),
                    nps,
                    _clamp_round(1 + 6 * satisfaction + rng.gauss(0, 1.0), 1, 7),
                    "Yes" if rng.random() < 0.45 + 0.5 * satisfaction else "No",
                    comment,
                )
            )
    return total
