"""A guard on every paging loop: a repeated next-page link, token or offset stops it.

A vendor that answers with a next-page link pointing to the page itself (or to any page
already read), or a cursor it already gave, would otherwise be asked again forever while
the window holds the warehouse's write connection; an endless API would be read forever.
Each window's loop asks the guard before following the next page: a repeat, or more
pages than PULSE_API_MAX_PAGES, fails the window with the reason (its rows roll back and
the cursor stays where it was).
"""

from __future__ import annotations

import os

from ingestion.api.http import ApiError

MAX_PAGES_SETTING = "PULSE_API_MAX_PAGES"
DEFAULT_MAX_PAGES = 10_000


def max_pages() -> int:
    text = os.environ.get(MAX_PAGES_SETTING, "").strip()
    try:
        return max(int(text), 1) if text else DEFAULT_MAX_PAGES
    except ValueError:
        raise ApiError(f"{MAX_PAGES_SETTING}={text!r} is not a whole number") from None


class PageGuard:
    """Remembers the pages one loop has asked for; `follow` refuses a repeat."""

    def __init__(self, vendor: str, first: object) -> None:
        self.vendor = vendor
        self.limit = max_pages()
        self.seen: set[str] = {repr(first)}

    def follow(self, page: object) -> None:
        """Call before asking for the next page (a link, a token, an offset)."""
        key = repr(page)
        if key in self.seen:
            raise ApiError(
                f"{self.vendor}: the next page ({_short(page)}) is one already read:"
                " paging stopped (the API repeats itself)"
            )
        if len(self.seen) >= self.limit:
            raise ApiError(
                f"{self.vendor}: more than {self.limit} pages in one window"
                f" ({MAX_PAGES_SETTING}): paging stopped"
            )
        self.seen.add(key)


def _short(page: object) -> str:
    text = str(page)
    return text if len(text) <= 120 else text[:117] + "..."
