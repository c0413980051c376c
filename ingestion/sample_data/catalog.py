"""Fixed facts about the fictional retailer Northwind Outfitters and its customers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

BRAND = "Northwind Outfitters"

HISTORY_START = datetime(2024, 1, 1, tzinfo=UTC).timestamp()
HISTORY_END = datetime(2026, 1, 1, tzinfo=UTC).timestamp()  # exclusive: last day 2025-12-31
YEAR_2025_START = datetime(2025, 1, 1, tzinfo=UTC).timestamp()
DAY = 86_400.0

SURVEY_TIMEZONE = "Europe/Helsinki"

CATEGORIES: tuple[str, ...] = ("outerwear", "footwear", "backpacks", "camping", "accessories")
# Typical basket value per category in euros (median of a log-normal).
CATEGORY_BASKET_EUR: dict[str, float] = {
    "outerwear": 165.0,
    "footwear": 120.0,
    "backpacks": 85.0,
    "camping": 140.0,
    "accessories": 35.0,
}
CATEGORY_WEIGHTS: tuple[float, ...] = (0.24, 0.26, 0.16, 0.14, 0.20)

TOUCHPOINTS: tuple[str, ...] = ("support", "checkout", "delivery", "product", "website")


@dataclass(frozen=True)
class Market:
    """A country the retailer sells in; its store city, language and phone numbering."""

    country: str
    city: str
    language: str  # ISO 639-1
    latitude: float
    longitude: float
    phone_prefix: str
    mobile_codes: tuple[str, ...]
    subscriber_digits: int
    email_domains: tuple[str, ...]
    has_store: bool = True


MARKETS: tuple[Market, ...] = (
    Market(
        "FI",
        "Helsinki",
        "fi",
        60.1699,
        24.9384,
        "+358",
        ("40", "44", "45", "50"),
        7,
        ("gmail.com", "elisanet.fi", "outlook.com", "kolumbus.fi"),
    ),
    Market(
        "EE",
        "Tallinn",
        "et",
        59.4370,
        24.7536,
        "+372",
        ("5",),
        7,
        ("gmail.com", "hot.ee", "mail.ee", "outlook.com"),
    ),
    Market(
        "HR",
        "Zagreb",
        "hr",
        45.8150,
        15.9819,
        "+385",
        ("91", "92", "95", "98", "99"),
        7,
        ("gmail.com", "net.hr", "yahoo.com", "outlook.com"),
    ),
    Market(
        "RO",
        "Bucharest",
        "ro",
        44.4268,
        26.1025,
        "+40",
        ("72", "73", "74", "75", "76"),
        7,
        ("gmail.com", "yahoo.ro", "yahoo.com", "outlook.com"),
    ),
    Market(
        "DE",
        "Berlin",
        "de",
        52.5200,
        13.4050,
        "+49",
        ("151", "160", "170", "176"),
        8,
        ("gmx.de", "web.de", "t-online.de", "gmail.com"),
    ),
    Market(
        "FR",
        "Paris",
        "fr",
        48.8566,
        2.3522,
        "+33",
        ("6", "7"),
        8,
        ("orange.fr", "free.fr", "gmail.com", "laposte.net"),
    ),
    # Web and app only: no store, but enough customers to bring Japanese feedback.
    Market(
        "JP",
        "Tokyo",
        "ja",
        35.6762,
        139.6503,
        "+81",
        ("80", "90", "70"),
        8,
        ("gmail.com", "yahoo.co.jp", "docomo.ne.jp", "icloud.com"),
        has_store=False,
    ),
)
MARKET_WEIGHTS: tuple[float, ...] = (0.26, 0.11, 0.10, 0.11, 0.20, 0.17, 0.05)
STORE_CITIES: tuple[str, ...] = tuple(market.city for market in MARKETS if market.has_store)
CITY_COORDINATES: dict[str, tuple[float, float]] = {
    market.city: (market.latitude, market.longitude) for market in MARKETS
}

# Given names and family names per country, written as customers write them.
FIRST_NAMES: dict[str, tuple[str, ...]] = {
    "FI": (
        "Aino",
        "Eero",
        "Helmi",
        "Juha",
        "Kaisa",
        "Mikko",
        "Noora",
        "Otto",
        "Sanna",
        "Väinö",
        "Elina",
        "Jussi",
        "Linnea",
        "Matti",
        "Päivi",
        "Tuomas",
    ),
    "EE": (
        "Mari",
        "Kristjan",
        "Liis",
        "Andres",
        "Kadri",
        "Mart",
        "Triin",
        "Rasmus",
        "Kärt",
        "Jüri",
        "Eveli",
        "Priit",
    ),
    "HR": (
        "Ana",
        "Ivan",
        "Marija",
        "Luka",
        "Petra",
        "Marko",
        "Ivana",
        "Josip",
        "Lucija",
        "Tomislav",
        "Katarina",
        "Matej",
    ),
    "RO": (
        "Andreea",
        "Mihai",
        "Ioana",
        "Andrei",
        "Elena",
        "Ștefan",
        "Maria",
        "Alexandru",
        "Cristina",
        "Radu",
        "Bianca",
        "Vlad",
    ),
    "DE": (
        "Anna",
        "Lukas",
        "Lena",
        "Jonas",
        "Sophie",
        "Felix",
        "Marie",
        "Leon",
        "Jürgen",
        "Katharina",
        "Maximilian",
        "Jörg",
    ),
    "FR": (
        "Camille",
        "Louis",
        "Léa",
        "Hugo",
        "Chloé",
        "Lucas",
        "Manon",
        "Théo",
        "Inès",
        "Julien",
        "Élodie",
        "François",
    ),
    "JP": ("Haruto", "Yui", "Sota", "Aoi", "Ren", "Hina", "Yuto", "Sakura", "Takumi", "Mei"),
}
LAST_NAMES: dict[str, tuple[str, ...]] = {
    "FI": (
        "Virtanen",
        "Korhonen",
        "Mäkinen",
        "Nieminen",
        "Mäkelä",
        "Hämäläinen",
        "Laine",
        "Heikkinen",
        "Koskinen",
        "Järvinen",
        "Lehtonen",
        "Saarinen",
    ),
    "EE": (
        "Tamm",
        "Saar",
        "Sepp",
        "Mägi",
        "Kask",
        "Kukk",
        "Rebane",
        "Ilves",
        "Pärn",
        "Kõiv",
        "Lepik",
        "Oja",
    ),
    "HR": (
        "Horvat",
        "Kovačević",
        "Babić",
        "Marić",
        "Jurić",
        "Novak",
        "Knežević",
        "Vuković",
        "Perić",
        "Matić",
        "Šarić",
        "Pavlović",
    ),
    "RO": (
        "Popescu",
        "Ionescu",
        "Popa",
        "Dumitru",
        "Stan",
        "Stoica",
        "Gheorghe",
        "Rusu",
        "Munteanu",
        "Constantinescu",
        "Mihăilescu",
        "Țurcanu",
    ),
    "DE": (
        "Müller",
        "Schmidt",
        "Schneider",
        "Fischer",
        "Weber",
        "Meyer",
        "Wagner",
        "Becker",
        "Schäfer",
        "Koch",
        "Hoffmann",
        "Krüger",
    ),
    "FR": (
        "Martin",
        "Bernard",
        "Dubois",
        "Thomas",
        "Robert",
        "Richard",
        "Petit",
        "Durand",
        "Lefèvre",
        "Moreau",
        "Girard",
        "Lefébure",
    ),
    "JP": (
        "Sato",
        "Suzuki",
        "Takahashi",
        "Tanaka",
        "Watanabe",
        "Ito",
        "Yamamoto",
        "Nakamura",
        "Kobayashi",
        "Kato",
    ),
}

# Letters that do not survive in e-mail local parts, spelled the way people drop them.
_ASCII_FOLD = str.maketrans(
    {
        "ä": "a",
        "ö": "o",
        "å": "a",
        "ü": "u",
        "õ": "o",
        "š": "s",
        "ž": "z",
        "č": "c",
        "ć": "c",
        "đ": "d",
        "ș": "s",
        "ş": "s",
        "ț": "t",
        "ţ": "t",
        "ă": "a",
        "â": "a",
        "î": "i",
        "é": "e",
        "è": "e",
        "ê": "e",
        "ë": "e",
        "à": "a",
        "ç": "c",
        "ï": "i",
        "ô": "o",
        "û": "u",
        "ù": "u",
        "ß": "ss",
    }
)


def ascii_fold(text: str) -> str:
    """Lower-case ASCII spelling of a name, as used in e-mail addresses."""
    return text.lower().translate(_ASCII_FOLD)
