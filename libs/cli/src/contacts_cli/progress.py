"""An import's progress as a person watches it: a live Rich bar on a terminal (rows validated /
total, rate, time left), or, when the output is a file or a pipe (CI logs, `| tee`), a plain
line now and then, so the log shows the import moving without a screenful of redraws.

Both read one Rich ``Progress`` task, which also works out the rate and the time left from the
counts it was given over the last seconds.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from types import TracebackType

from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    ProgressColumn,
    Task,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
)
from rich.text import Text

LINE_EVERY_SECONDS = 2.0  # plain output: at most one line per this, besides status changes


@dataclass(frozen=True)
class Snapshot:
    """Where an import stands: its status, rows done of ``total`` (unknown at first)."""

    status: str
    done: int
    total: int | None


class RowsColumn(ProgressColumn):
    """``12,000/50,000 rows``."""

    def render(self, task: Task) -> Text:
        total = "?" if task.total is None else f"{int(task.total):,}"
        return Text(f"{int(task.completed):,}/{total} rows")


class RateColumn(ProgressColumn):
    """``5,100 rows/s`` once there is something to measure."""

    def render(self, task: Task) -> Text:
        return Text(rate_text(task.speed))


def rate_text(speed: float | None) -> str:
    return "- rows/s" if not speed else f"{speed:,.0f} rows/s"


class ProgressView:
    """Shows snapshots on ``console`` as a live bar, or as lines when it is not a terminal."""

    def __init__(self, console: Console, line_every: float = LINE_EVERY_SECONDS) -> None:
        self.console, self.line_every = console, line_every
        self.live = console.is_terminal
        self.progress = Progress(
            TextColumn("{task.description:<11}"), BarColumn(), RowsColumn(), RateColumn(),
            TimeRemainingColumn(), console=console, disable=not self.live, transient=False,
        )  # fmt: skip
        self.task: TaskID = self.progress.add_task("waiting", total=None)
        self._last_line: tuple[float, str] | None = None

    def __enter__(self) -> ProgressView:
        self.progress.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.progress.stop()

    def show(self, snapshot: Snapshot) -> None:
        """Draw ``snapshot``; a new status starts the count (and the rate) afresh."""
        task = self.progress.tasks[0]
        if task.description != snapshot.status:
            self.progress.reset(self.task, description=snapshot.status)
        self.progress.update(self.task, completed=snapshot.done, total=snapshot.total)
        if not self.live:
            self._print_line(snapshot)

    def _print_line(self, snapshot: Snapshot) -> None:
        now = time.monotonic()
        if self._last_line is not None:
            printed_at, status = self._last_line
            if status == snapshot.status and now - printed_at < self.line_every:
                return
        self._last_line = (now, snapshot.status)
        self.console.print(Text(self.line(snapshot)))

    def line(self, snapshot: Snapshot) -> str:
        """``validating: 12,000/50,000 rows (24%), 5,100 rows/s, 8 s left``."""
        task = self.progress.tasks[0]
        words = f"{snapshot.status}: {snapshot.done:,}/"
        words += "?" if snapshot.total is None else f"{snapshot.total:,}"
        words += " rows"
        if snapshot.total:
            words += f" ({snapshot.done * 100 // snapshot.total}%)"
        words += f", {rate_text(task.speed)}"
        if task.time_remaining is not None and snapshot.done < (snapshot.total or 0):
            words += f", {task.time_remaining:,.0f} s left"
        return words
