"""A row's status in words (colour only repeats what the words say), and the counts table."""

from __future__ import annotations

from collections.abc import Mapping

from rich.table import Table
from rich.text import Text

STATUS_WORDS: dict[str, tuple[str, str]] = {
    "user_added": ("added: already a user", "green"),
    "ready_to_invite": ("ready to invite", "green"),
    "already_contact": ("already a contact", "cyan"),
    "already_invited": ("already invited", "cyan"),
    "duplicate_in_import": ("duplicate in this list", "yellow"),
    "self": ("your own number", "yellow"),
    "invalid": ("invalid", "red"),
}
REJECTED = frozenset({"invalid", "duplicate_in_import", "self"})  # as in the error report


def status_text(status: str | None) -> Text:
    """``ready to invite`` (in green); an unknown status as the service wrote it."""
    if status is None:
        return Text("not checked yet", style="dim")
    words, style = STATUS_WORDS.get(status, (status.replace("_", " "), ""))
    return Text(words, style=style)


def rejected_rows(counts: Mapping[str, int] | None) -> int:
    return sum(n for status, n in (counts or {}).items() if status in REJECTED)


def counts_table(counts: Mapping[str, int]) -> Table:
    """Rows per status, in the order above (statuses with no row left out), and the total."""
    shown = Table(title="Rows per status", title_justify="left")
    shown.add_column("status")
    shown.add_column("rows", justify="right")
    order = [*STATUS_WORDS, *sorted(set(counts) - set(STATUS_WORDS))]
    for status in order:
        if counts.get(status):
            shown.add_row(status_text(status), f"{counts[status]:,}")
    shown.add_row(Text("total", style="bold"), f"{sum(counts.values()):,}")
    return shown
