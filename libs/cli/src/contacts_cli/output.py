"""Where a command's words go. With ``--json`` stdout carries one JSON document and nothing
else (a script pipes it to `jq`), and whatever a person still needs to see (a preview, the
progress bar, a prompt) goes to stderr; without it, tables and sentences go to stdout. Errors
always go to stderr."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from contextvars import ContextVar
from typing import Any

import typer
from pydantic import BaseModel
from rich.console import Console, RenderableType
from rich.table import Table
from rich.text import Text

_json_requested: ContextVar[bool] = ContextVar("contacts_cli_json", default=False)


class Output:
    """The consoles of one command run, for people or for scripts."""

    def __init__(self, as_json: bool) -> None:
        self.as_json = as_json
        self.stdout = _wide_when_piped(Console(highlight=False, soft_wrap=True))
        self.stderr = Console(stderr=True, highlight=False, soft_wrap=True)

    @property
    def people(self) -> Console:
        """Where words meant for a person go: stdout, or stderr when stdout is for JSON."""
        return self.stderr if self.as_json else self.stdout

    def say(self, renderable: RenderableType) -> None:
        """A sentence or table for a person (never mixed into --json output)."""
        self.people.print(renderable)

    def result(self, value: Any, human: RenderableType | None = None) -> None:
        """The command's answer: ``value`` as JSON with --json, else ``human`` if given."""
        if self.as_json:
            typer.echo(json.dumps(jsonable(value), ensure_ascii=False, indent=2))
        elif human is not None:
            self.stdout.print(human)


def output(as_json: bool) -> Output:
    """The command's Output; remembers --json for the error handler above the command."""
    _json_requested.set(as_json)
    return Output(as_json)


def json_requested() -> bool:
    """Whether the running command asked for --json."""
    return _json_requested.get()


def forget_json_request() -> None:
    """Before a command runs: no --json asked yet (a test runs many commands in a process)."""
    _json_requested.set(False)


def jsonable(value: Any) -> Any:
    """Pydantic models (the client's answers), lists and mappings of them, as plain JSON."""
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, Mapping):
        return {str(key): jsonable(item) for key, item in value.items()}
    if isinstance(value, Sequence) and not isinstance(value, str | bytes):
        return [jsonable(item) for item in value]
    return value


def cell_text(value: Any) -> Text:
    """A value as literal text: names come from other people, and Rich would read "[red]" in
    one as markup."""
    return value if isinstance(value, Text) else Text("" if value is None else str(value))


WHOLE_COLUMNS = frozenset({"id", "to", "number", "ConnectID"})
PIPED_WIDTH = 160  # a file or a pipe has no width: tables keep their columns whole up to this


def _wide_when_piped(console: Console) -> Console:
    """Rich gives a pipe 80 columns and would cut the tables' cells (`| less`, logs); give it
    more, unless `COLUMNS` says otherwise."""
    if not console.is_terminal and "COLUMNS" not in os.environ:
        console.width = PIPED_WIDTH
    return console


def table(title: str | None, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> Table:
    """A plain Rich table; cells are shown as literal text (None as an empty cell). Ids,
    numbers and addresses (`WHOLE_COLUMNS`) are never cut or wrapped, however narrow the
    terminal: they are what the next command takes (the other columns give way)."""
    shown = Table(title=title, title_justify="left", show_lines=False)
    for index, column in enumerate(columns):
        if column in WHOLE_COLUMNS:
            widest = max((len(cell_text(row[index])) for row in rows), default=0)
            shown.add_column(column, no_wrap=True, min_width=max(len(column), widest))
        else:
            shown.add_column(column)
    for row in rows:
        shown.add_row(*(cell_text(cell) for cell in row))
    return shown
