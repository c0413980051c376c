"""The pages that read the text analytics marts, on a copy that has them.

Those marts are built elsewhere; until they land, these tests add tables of the shape
their issue describes (and marts.py reads) to a copy of the sample's published copy, with
values derived from its texts by a fixed rule, and check that the pages show exactly them.
When the real marts land, marts.py and the tables below change together."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from tests.dashboard.app_elements import charts, downloads, infos, open_page
from tests.dashboard.conftest import SampleCopy

pytestmark = pytest.mark.integration

THEMES = ["delivery", "price", "support"]
TEXT_MARTS = f"""
create table marts.fct_feedback_text as
select
    feedback_item_id,
    coalesce(language, 'und') as language,
    0.9 as language_confidence,
    [-0.8, 0.0, 0.7][(hash(feedback_item_id) % 3)::bigint + 1] as sentiment_score,
    ['negative', 'neutral', 'positive'][(hash(feedback_item_id) % 3)::bigint + 1]
        as sentiment_label,
    [{THEMES!r}[(hash(feedback_item_id || 't') % 3)::bigint + 1]] as themes,
    'test-1' as model_version
from marts.fct_feedback_items
where text_value is not null;

create table marts.metrics_themes as
with mentions as (
    select texts.*, items.occurred_at, unnest(texts.themes) as theme
    from marts.fct_feedback_text as texts
    inner join marts.fct_feedback_items as items using (feedback_item_id)
),
cells as (
    select
        theme,
        'all_time' as period_grain,
        date '2024-01-01' as period_start,
        count(*) as mentions,
        avg(sentiment_score) as mean_sentiment
    from mentions
    group by theme
    union all
    select theme, 'month', date_trunc('month', occurred_at)::date, count(*),
        avg(sentiment_score)
    from mentions
    group by all
)
select
    theme,
    period_grain,
    period_start,
    'overall' as segment_type,
    'all' as segment_value,
    'all' as source,
    mentions,
    100.0 * mentions / (select count(*) from marts.fct_feedback_text) as mention_share,
    mean_sentiment,
    mentions < 30 as is_small_sample,
    period_start = date '2025-03-01' as is_change_significant
from cells;

create table marts.metrics_theme_impact as
select
    theme,
    'nps' as outcome,
    100 + 10 * position as mentions,
    -5.0 * position as impact,
    -5.0 * position - 4 as impact_ci_lower,
    -5.0 * position + 4 as impact_ci_upper,
    20.0 + position as share_of_negative,
    position > 1 as is_significant,
    false as is_small_sample
from (select unnest({THEMES!r}) as theme, generate_subscripts({THEMES!r}, 1) as position);

create table marts.text_model_card as
select 'test-1' as model_version, 'fi' as language, 1278 as training_texts, 0.91 as macro_f1;
"""


@pytest.fixture
def with_text_marts(
    sample_copy: SampleCopy, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> SampleCopy:
    published = tmp_path / "published.duckdb"
    shutil.copyfile(sample_copy.published, published)
    with duckdb.connect(str(published)) as conn:
        conn.execute(TEXT_MARTS)
    monkeypatch.setenv("PULSE_PUBLISHED_WAREHOUSE", str(published))
    return SampleCopy(tmp_path, sample_copy.warehouse, published)


def test_the_voice_page_shows_the_text_marts(with_text_marts: SampleCopy) -> None:
    app = open_page("voice")
    assert infos(app) == []
    themes, share, sentiment, languages = charts(app)
    assert downloads(app) >= 4
    totals = themes.rows_with("theme", "n", "mean_sentiment").sort_values("theme")
    expected = with_text_marts.query(
        "select theme, mentions, mean_sentiment from marts.metrics_themes"
        " where period_grain = 'all_time' order by theme"
    )
    assert list(totals["theme"]) == THEMES == [theme for theme, _, _ in expected]
    assert list(totals["n"]) == [mentions for _, mentions, _ in expected]

    monthly = share.rows_with("period", "value", "significant_change")
    [(months, significant)] = with_text_marts.query(
        "select count(*), count(*) filter (where is_change_significant)"
        " from marts.metrics_themes where theme = 'delivery' and period_grain = 'month'"
    )
    assert len(monthly) == months
    assert (monthly["significant_change"] == "changed").sum() == significant
    by_language = languages.rows_with("language", "sentiment_label", "texts")
    [(texts,)] = with_text_marts.query("select count(*) from marts.fct_feedback_text")
    assert by_language["texts"].sum() == texts
    del sentiment


def test_example_comments_are_masked_texts_of_the_theme_and_sentiment_chosen(
    with_text_marts: SampleCopy,
) -> None:
    app = open_page("voice")
    app.selectbox(key="voice_theme").set_value("price").run()
    app.radio(key="voice_sentiment").set_value("positive").run()
    [examples, _] = [frame.value for frame in app.dataframe]
    expected = with_text_marts.query(
        "select items.text_value from marts.fct_feedback_text as texts"
        " inner join marts.fct_feedback_items as items using (feedback_item_id)"
        " where list_contains(texts.themes, 'price') and sentiment_label = 'positive'"
        " order by items.occurred_at desc limit 20"
    )
    assert list(examples["comment"]) == [text for (text,) in expected]
    assert set(examples["sentiment_label"]) == {"positive"}


def test_the_drivers_page_shows_theme_impact(with_text_marts: SampleCopy) -> None:
    app = open_page("drivers")
    assert infos(app) == []
    impact = charts(app)[-1].rows_with("theme", "difference", "ci_lower").sort_values("theme")
    assert list(impact["theme"]) == THEMES
    assert impact["difference"].tolist() == [-5.0, -10.0, -15.0]
