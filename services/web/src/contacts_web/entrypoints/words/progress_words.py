"""An import's progress in the reader's words and numbers, as the statuses page shows it: the
server-rendered bar (polling) and each event of the live relay say the same."""

from __future__ import annotations

from collections.abc import Mapping

from contacts_client import ImportProgress

from contacts_web.entrypoints.words.i18n import format_number
from contacts_web.entrypoints.words.i18n import gettext as _


def percent_done(progress: float | None) -> int:
    return round((progress or 0) * 100)


def rows_checked(done: int | None, total: int | None) -> str:
    return _("%(done)s of %(total)s rows checked") % {
        "done": format_number(done or 0),
        "total": format_number(total or 0),
    }


def counts_words(counts: Mapping[str, int] | None) -> dict[str, str]:
    """The statuses met so far, each with its number of rows written for the reader."""
    return {status: format_number(rows) for status, rows in (counts or {}).items() if rows}


def progress_payload(progress: ImportProgress) -> dict[str, object]:
    """One relayed event's data: what the page's script puts on the page as it is."""
    return {
        "state": progress.state,
        "percent": percent_done(progress.progress),
        "rows": rows_checked(progress.rows_done, progress.total_rows),
        "counts": counts_words(progress.counts),
        "final": progress.finished,
        "announce": _final_words(progress.state) if progress.finished else "",
    }


def _final_words(state: str) -> str:
    if state == "completed":
        return _("Every number is checked. The statuses are loading.")
    return _("The import stopped. The page is loading again.")
