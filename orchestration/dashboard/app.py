"""Entry point of the dashboard (`streamlit run` runs this file): the page menu, where the
numbers come from, then the page."""

import streamlit as st

from orchestration.dashboard import data, widgets
from orchestration.dashboard.marts import PUBLICATION_SUMMARY
from orchestration.dashboard.navigation import PAGES

st.set_page_config(page_title="Customer Pulse", page_icon=":material/monitoring:", layout="wide")

navigation = st.navigation(
    [
        st.Page(
            page.script,
            title=page.title,
            url_path=page.url_path,
            icon=page.icon,
            default=index == 0,
        )
        for index, page in enumerate(PAGES)
    ]
)

try:
    publication = data.read(PUBLICATION_SUMMARY)
except data.NotPublished as reason:
    # No copy (or one without its publication record): one line, not a page of errors.
    st.info(str(reason), icon=":material/hourglass_empty:")
    st.stop()

st.sidebar.caption(
    "Read-only copy of the marts published"
    f" {widgets.timestamp(publication['published_at'].iloc[0])}"
    f" ({data.published_path().name})."
)
navigation.run()
