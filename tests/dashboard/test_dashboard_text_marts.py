"""The pages that read the text analytics marts, on a copy that has them.

These tests replace the text marts of a copy of the sample's published copy with tables
of the same names and the columns marts.py reads (as _text__models.yml documents them),
holding values derived from its texts by a fixed rule, and check that the pages show
exactly them."""

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
create or replace table marts.fct_feedback_text_themes as
select
    feedback_item_id,
    {THEMES!r}[(hash(feedback_item_id || 't') % 3)::bigint + 1] as theme,
    source,
    coalesce(language, 'und') as language,
    occurred_at,
    [-0.8, 0.0, 0.7][(hash(feedback_item_id) % 3)::bigint + 1] as sentiment_score,
    ['negative', 'neutral', 'positive'][(hash(feedback_item_id) % 3)::bigint + 1]
        as sentiment_label
from marts.fct_feedback_items
where text_value is not null;

create or replace table marts.fct_feedback_text as
select
    mentions.feedback_item_id,
    items.text_value,
    mentions.language,
    0.9 as language_confidence,
    mentions.sentiment_score,
    mentions.sentiment_label,
    mentions.theme as themes,
    1 as theme_count,
    'test-1' as model_version
from marts.fct_feedback_text_themes as mentions
inner join marts.fct_feedback_items as items using (feedback_item_id);

create or replace table marts.metrics_themes as
with cells as (
    select
        theme,
        'all_time' as period_grain,
        date '2024-01-01' as period_start,
        count(*) as mentions,
        avg(sentiment_score) as mean_sentiment
    from marts.fct_feedback_text_themes
    group by theme
    union all
    select theme, 'month', date_trunc('month', occurred_at)::date, count(*),
        avg(sentiment_score)
    from marts.fct_feedback_text_themes
    group by all
),
overall as (
    select
        cells.*,
        sum(mentions) over (partition by period_grain, period_start) as texts,
        100.0 * mentions / sum(mentions) over (partition by period_grain, period_start)
            as share_of_texts
    from cells
)
select
    period_grain,
    period_start,
    'overall' as segment_type,
    'all' as segment_value,
    theme,
    texts,
    mentions,
    share_of_texts,
    share_of_texts - 5 as share_ci_lower,
    share_of_texts + 5 as share_ci_upper,
    mean_sentiment,
    mean_sentiment - 0.1 as mean_sentiment_ci_lower,
    mean_sentiment + 0.1 as mean_sentiment_ci_upper,
    mentions < 30 as is_small_sample,
    period_start = date '2025-03-01' as is_share_change_significant
from overall
-- A segment's cells, which the pages (all feedback) must leave out.
union all by name
select
    'all_time' as period_grain,
    date '2024-01-01' as period_start,
    'language' as segment_type,
    'xx' as segment_value,
    theme,
    1 as texts,
    1 as mentions,
    100.0 as share_of_texts,
    0.0 as share_ci_lower,
    100.0 as share_ci_upper,
    0.0 as mean_sentiment,
    -1.0 as mean_sentiment_ci_lower,
    1.0 as mean_sentiment_ci_upper,
    true as is_small_sample,
    false as is_share_change_significant
from (select unnest({THEMES!r}) as theme);

create or replace table marts.metrics_theme_impact as
select
    grain as period_grain,
    date '2024-01-01' as period_start,
    'overall' as segment_type,
    'all' as segment_value,
    'nps' as outcome,
    theme,
    100 + 10 * position as mentioning,
    -5.0 * position * weight as impact,
    -5.0 * position * weight - 4 as impact_ci_lower,
    -5.0 * position * weight + 4 as impact_ci_upper,
    position > 1 as is_impact_significant,
    20.0 + position as share_of_unhappy,
    false as is_small_sample
from (select unnest({THEMES!r}) as theme, generate_subscripts({THEMES!r}, 1) as position)
-- A quarter's cells, which the all-time chart must leave out.
cross join (values ('all_time', 1), ('quarter', 3)) as grains(grain, weight);

create or replace table marts.metrics_text_model_card as
select 'test-1' as model_version, 'fi' as language, 1278 as labelled_texts,
    0.91 as cv_macro_f1, true as is_current;
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
        " where period_grain = 'all_time' and segment_type = 'overall' order by theme"
    )
    assert list(totals["theme"]) == THEMES == [theme for theme, _, _ in expected]
    assert list(totals["n"]) == [mentions for _, mentions, _ in expected]

    monthly = share.rows_with("period", "value", "significant_change")
    [(months, significant)] = with_text_marts.query(
        "select count(*), count(*) filter (where is_share_change_significant)"
        " from marts.metrics_themes where theme = 'delivery' and period_grain = 'month'"
    )
    assert len(monthly) == months
    assert (monthly["significant_change"] == "changed").sum() == significant
    by_language = languages.rows_with("language", "sentiment_label", "texts")
    [(texts,)] = with_text_marts.query("select count(*) from marts.fct_feedback_text")
    assert by_language["texts"].sum() == texts
    # The bands are the mart's own intervals.
    intervals = with_text_marts.query(
        "select share_ci_lower, mean_sentiment_ci_upper from marts.metrics_themes"
        " where theme = 'delivery' and period_grain = 'month' order by period_start"
    )
    assert monthly.sort_values("period")["ci_lower"].tolist() == pytest.approx(
        [lower for lower, _ in intervals]
    )
    mean = sentiment.rows_with("period", "value", "ci_upper").sort_values("period")
    assert mean["ci_upper"].tolist() == pytest.approx([upper for _, upper in intervals])


def test_example_comments_are_masked_texts_of_the_theme_and_sentiment_chosen(
    with_text_marts: SampleCopy,
) -> None:
    app = open_page("voice")
    app.selectbox(key="voice_theme").set_value("price").run()
    app.radio(key="voice_sentiment").set_value("positive").run()
    [examples, _] = [frame.value for frame in app.dataframe]
    expected = with_text_marts.query(
        "select items.text_value from marts.fct_feedback_text_themes as mentions"
        " inner join marts.fct_feedback_items as items using (feedback_item_id)"
        " where mentions.theme = 'price' and mentions.sentiment_label = 'positive'"
        " order by mentions.occurred_at desc, feedback_item_id limit 20"
    )
    assert list(examples["comment"]) == [text for (text,) in expected]
    assert set(examples["sentiment_label"]) == {"positive"}


def test_the_drivers_page_shows_theme_impact(with_text_marts: SampleCopy) -> None:
    app = open_page("drivers")
    assert infos(app) == []
    impact = charts(app)[-1].rows_with("theme", "difference", "ci_lower").sort_values("theme")
    assert list(impact["theme"]) == THEMES
    assert impact["difference"].tolist() == [-5.0, -10.0, -15.0]
