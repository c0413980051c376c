import pytest

from ingestion.surveys.wording import guess_instrument, guess_items


@pytest.mark.parametrize(
    ("question", "instrument"),
    [
        ("How likely are you to recommend Northwind to a friend or colleague?", "nps"),
        ("Wie wahrscheinlich ist es, dass Sie uns weiterempfehlen?", "nps"),
        ("Kuinka todennäköisesti suosittelisit meitä ystävällesi?", "nps"),
        ("Quelle est la probabilité que vous nous recommandiez ?", "nps"),
        ("友人や同僚に当社を勧める可能性はどのくらいありますか？", "nps"),
        ("Overall, how satisfied were you with your visit?", "csat"),
        ("Koliko ste zadovoljni uslugom?", "csat"),
        ("Northwind made it easy for me to handle my issue.", "ces"),
        ("Il a été facile de résoudre mon problème.", "ces"),
        ("What could we improve?", None),
    ],
)
def test_known_wordings(question: str, instrument: str | None) -> None:
    assert guess_instrument(question) == instrument


def test_guess_items_keeps_only_recognised_items() -> None:
    guesses = guess_items({"Q1": "How likely are you to recommend us?", "Q9": "Any comments?"})
    assert guesses == {"Q1": "nps"}
