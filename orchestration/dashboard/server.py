"""The dashboard's server process (`python -m orchestration.dashboard.server`): Streamlit's
own command line, after the modules every page uses are imported. Streamlit runs the
pages in this process, so the first visitor's page no longer pays about 2 s of imports
(pandas, Altair, DuckDB, Streamlit's chart elements) on top of its queries."""

from __future__ import annotations

import sys


def warm_imports() -> None:
    """Import what the app and its pages import, before the server starts listening."""
    import altair  # noqa: F401
    import duckdb  # noqa: F401
    import pandas  # noqa: F401
    import pyarrow  # noqa: F401
    import streamlit.elements.vega_charts  # noqa: F401

    from orchestration.dashboard import charts, data, marts, navigation, vega_spec, widgets  # noqa: F401


def main() -> None:
    """`streamlit run` with this process's arguments (see launch.streamlit_command)."""
    warm_imports()
    # The charts are checked against the Vega-Lite schema in the tests; checking them
    # again on every visit costs most of a page's time (see vega_spec).
    from altair.utils import schemapi

    schemapi.disable_debug_mode()
    from streamlit.web import cli

    sys.argv = ["streamlit", *sys.argv[1:]]
    cli.main(prog_name="streamlit")


if __name__ == "__main__":
    main()
