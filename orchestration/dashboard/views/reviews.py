"""Reviews: the star distribution, the smoothed average per platform over time and per
location (metrics_review_ratings), and our brand against competitors
(metrics_benchmark_review_ratings)."""

import streamlit as st

from orchestration.dashboard import charts, widgets
from orchestration.dashboard.marts import (
    BRAND_COMPARISON,
    BRAND_GRAINS,
    BRAND_TREND,
    RATING_DISTRIBUTION,
    RATING_TREND,
    RATINGS_BY_LOCATION,
    REVIEW_CHOICES,
)

SMOOTHING_NOTE = (
    "Smoothed average: each cell's mean shrunk toward its platform's all-time mean, so"
    " small cells do not swing; the raw average is in the tooltip."
)

st.title("Reviews")
choices = widgets.require(REVIEW_CHOICES)

with st.sidebar:
    st.subheader("Filters")
    platforms = sorted(set(choices["platform"]), key=lambda value: (value != "all", value))
    platform = st.selectbox(
        "Platform",
        platforms,
        format_func=lambda value: "All platforms" if value == "all" else value,
        key="reviews_platform",
    )
    grain = widgets.pick_grain(
        "Period",
        [grain for grain in choices["grain"] if grain != "all_time"],
        default="month",
        key="reviews_grain",
    )
    segment_type, segment_value = widgets.pick_segment(
        choices[(choices["grain"] == "all_time") & (choices["platform"] == platform)],
        key="reviews_segment",
    )

segment = {"segment_type": segment_type, "segment_value": segment_value}
where = "all" if segment_type == "overall" else f"{segment_type} {segment_value}"
platform_name = "all platforms" if platform == "all" else platform

st.subheader("Star ratings, all time")
distribution = widgets.require(RATING_DISTRIBUTION, {"platform": platform, **segment})
if distribution.empty:
    st.info(f"No reviews on {platform_name} for {where}.")
else:
    widgets.chart(
        f"star_distribution_{platform}_{widgets.slug(where)}",
        charts.star_distribution(distribution),
        distribution,
        caption=f"{platform_name}, {where}.",
    )

st.subheader(f"Smoothed average rating by {widgets.GRAIN_LABELS[grain].lower()}")
trend = widgets.require(RATING_TREND, {"grain": grain, **segment})
if trend.empty:
    st.info(f"No reviews for {where} at this grain.")
else:
    widgets.chart(
        f"ratings_{grain}_{widgets.slug(where)}",
        charts.trends_by(trend, "platform", y_title="smoothed average (1..5)", band=False),
        trend,
        caption=SMOOTHING_NOTE + " Grey points: small cells.",
    )

st.subheader(f"By location, all time ({platform_name})")
locations = widgets.require(RATINGS_BY_LOCATION, {"platform": platform})
if locations.empty:
    st.info(f"No location cells on {platform_name}.")
else:
    widgets.chart(
        f"ratings_by_location_{platform}",
        charts.ranked_bars(
            locations,
            category="location",
            value="value",
            value_title="smoothed average (1..5)",
        ),
        locations,
        caption=SMOOTHING_NOTE,
    )

st.subheader("Our brand against competitors")
grains = widgets.load(BRAND_GRAINS)
if grains is not None:
    benchmark_platform = platform if platform in set(grains["platform"]) else "all"
    brand_grain = "month" if "month" in set(grains["grain"]) else str(grains["grain"].iloc[0])
    brands = widgets.require(BRAND_TREND, {"grain": brand_grain, "platform": benchmark_platform})
    widgets.chart(
        f"brands_{brand_grain}_{benchmark_platform}",
        charts.trends_by(brands, "brand", y_title="smoothed average (1..5)", band=False),
        brands,
        caption=SMOOTHING_NOTE,
    )
    comparison = widgets.require(BRAND_COMPARISON, {"platform": benchmark_platform})
    if not comparison.empty:
        widgets.chart(
            f"brand_differences_{benchmark_platform}",
            charts.difference_bars(
                comparison,
                category="brand",
                value_title="our average minus theirs (stars), all time",
            ),
            comparison,
            caption="Green: we are ahead, red: behind, grey: not distinguishable (Welch 95%).",
        )
