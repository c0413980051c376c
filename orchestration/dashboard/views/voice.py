"""Voice of the customer: themes by mentions and sentiment, each theme over time, the
languages of the texts, and example comments (masked text) for a theme and a sentiment.
Reads the text analytics marts (metrics_themes, fct_feedback_text)."""

import streamlit as st

from orchestration.dashboard import charts, widgets
from orchestration.dashboard.marts import (
    TEXT_LANGUAGES,
    TEXT_MODELS,
    THEME_CHOICES,
    THEME_EXAMPLES,
    THEME_TOTALS,
    THEME_TREND,
)

EXAMPLES = 20
SENTIMENT_LABELS = ["negative", "neutral", "positive"]

st.title("Voice of the customer")
choices = widgets.require(THEME_CHOICES)

st.subheader("Themes by mentions and sentiment")
totals = widgets.require(THEME_TOTALS)
widgets.chart(
    "themes_all_time",
    charts.sentiment_scatter(totals),
    totals,
    caption="All time, all feedback. Grey: small samples. Sentiment runs from -1 to 1.",
)

themes = sorted(set(choices["theme"]))
left, right = st.columns(2)
theme = left.selectbox("Theme", themes, key="voice_theme")
grain = widgets.pick_grain(
    "Period",
    [grain for grain in choices.loc[choices["theme"] == theme, "grain"] if grain != "all_time"],
    default="month",
    key="voice_grain",
    container=right,
)

st.subheader(f"{theme} over time")
trend = widgets.require(THEME_TREND, {"theme": theme, "grain": grain})
# The mart's own values and 95% intervals, renamed for the trend chart.
share = trend.rename(
    columns={"mention_share": "value", "share_ci_lower": "ci_lower", "share_ci_upper": "ci_upper"}
).assign(
    significant_change=trend["is_change_significant"].map({True: "changed"}),
    change=float("nan"),
)
widgets.chart(
    f"theme_{widgets.slug(theme)}_{grain}",
    charts.trend(share, y_title="share of texts mentioning it %"),
    trend,
    caption=widgets.SMALL_SAMPLE_NOTE + " Diamonds: significant changes of the share.",
)
sentiment = trend.rename(
    columns={
        "mean_sentiment": "value",
        "mean_sentiment_ci_lower": "ci_lower",
        "mean_sentiment_ci_upper": "ci_upper",
    }
).assign(significant_change=None, change=float("nan"))
widgets.chart(
    f"theme_{widgets.slug(theme)}_{grain}_sentiment",
    charts.trend(sentiment, y_title="mean sentiment (-1..1)", number_format=".2f"),
    trend,
)

st.subheader("Languages")
languages = widgets.require(TEXT_LANGUAGES)
widgets.chart(
    "text_languages",
    charts.counts(
        languages,
        category="language",
        count="texts",
        count_title="texts",
        stack_by="sentiment_label",
        scale=charts.SENTIMENTS,
    ),
    languages,
)

st.subheader("Example comments")
sentiment_label = st.radio(
    "Sentiment", SENTIMENT_LABELS, horizontal=True, key="voice_sentiment", index=0
)
examples = widgets.require(
    THEME_EXAMPLES, {"theme": theme, "sentiment_label": sentiment_label, "limit": EXAMPLES}
)
if examples.empty:
    st.info(f"No {sentiment_label} comments mention {theme}.")
else:
    st.caption(
        f"The {EXAMPLES} latest {sentiment_label} comments mentioning {theme}; e-mail"
        " addresses and phone numbers are masked."
    )
    widgets.table(f"comments_{widgets.slug(theme)}_{sentiment_label}", examples)

with st.expander("Text models"):
    models = widgets.load(TEXT_MODELS)
    if models is not None:
        widgets.table("metrics_text_model_card", models)
