"""Following an import: its server-sent progress events drawn by the progress view, until
a status the caller waits for. A stream that ends early (a restarted service, a proxy's idle
timeout) is opened again, after the import's own record says it is not there yet."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

from contacts_client import ContactsPlatform, Import, ImportProgress
from rich.console import Console

from contacts_cli.progress import ProgressView, Snapshot

RUNNING = frozenset({"extracting", "validating"})
FINAL = frozenset({"completed", "failed", "replaced"})
REOPEN_AFTER_SECONDS = 1.0
Until = Callable[[str], bool]  # of a status: whether following stops there


def finished(status: str) -> bool:
    return status in FINAL


def not_running(status: str) -> bool:
    """Where an import that was not asked to start by itself waits (or ends)."""
    return status not in RUNNING


def watched_until(job: Import) -> Until | None:
    """For `import status`: how far to follow ``job`` (None: it is not moving). An upload
    that carried ``start`` goes on by itself from ``extracted``; another one waits there."""
    if job.status in FINAL:
        return None
    if job.auto_start:
        return finished
    return not_running if job.status in RUNNING else None


def follow(client: ContactsPlatform, import_id: str, console: Console, until: Until) -> None:
    """Show the import's progress on ``console`` until its status satisfies ``until``."""
    with ProgressView(console) as view:
        while True:
            if _stream_until(client, import_id, view, until):
                return
            job = client.imports.read_import(import_id)
            view.show(snapshot_of_import(job))
            if until(job.status):
                return
            time.sleep(REOPEN_AFTER_SECONDS)


def _stream_until(
    client: ContactsPlatform, import_id: str, view: ProgressView, until: Until
) -> bool:
    """Draw the stream's events; True once one satisfied ``until`` (the stream is closed)."""
    events = client.imports.stream_progress(import_id)
    try:
        for event in events:
            view.show(snapshot_of_event(event))
            if until(event.state) or event.final:
                return True
        return False
    finally:
        _close(events)


def _close(events: Iterator[Any]) -> None:
    close = getattr(events, "close", None)  # a generator: closing it closes its response
    if close is not None:
        close()


def snapshot_of_event(event: ImportProgress) -> Snapshot:
    """The rows validated of the total; before the first is, the numbers parsed (first pass)."""
    if event.state == "validating" and not event.rows_done and event.rows_parsed:
        return Snapshot("parsing", event.rows_parsed, event.total_rows)
    return Snapshot(event.state, event.rows_done or 0, event.total_rows)


def snapshot_of_import(job: Import) -> Snapshot:
    return Snapshot(job.status, job.rows_done or 0, job.total_rows)
