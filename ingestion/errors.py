"""Errors as the ledger, the CLI and the logs show them: one line, never a traceback."""

from __future__ import annotations

MAX_REASON_CHARS = 500


def one_line(error: BaseException) -> str:
    """`Type: message` on one line, shortened; a RecursionError says what it means."""
    if isinstance(error, RecursionError):
        return "RecursionError: nested too deeply to read"
    text = " ".join(str(error).split()) or "(no message)"
    if len(text) > MAX_REASON_CHARS:
        text = text[: MAX_REASON_CHARS - 3] + "..."
    return f"{type(error).__name__}: {text}"
