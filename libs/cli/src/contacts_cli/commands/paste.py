"""`contacts paste TEXT`: numbers as pasted from anywhere, each with its status in words."""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from contacts_client import Import, InvitationsRequested, Row
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from contacts_cli.connection import connect
from contacts_cli.import_outcome import invitations_text, status_line
from contacts_cli.import_watch import finished, follow
from contacts_cli.options import JsonOption
from contacts_cli.output import output
from contacts_cli.statuses import status_text

ROWS_PER_PAGE = 1000
TEXT_HELP = "Numbers separated by commas, semicolons, tabs or new lines; `-` reads stdin."


def paste(
    text: Annotated[str, typer.Argument(help=TEXT_HELP)],
    region: Annotated[
        str | None, typer.Option(help="Country of numbers without +code: CH, FR, GB...")
    ] = None,
    invite: Annotated[
        bool, typer.Option("--invite", help="Invite the ready numbers by SMS.")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Check pasted numbers: each gets a status (added, ready to invite, invalid and why...)."""
    out = output(as_json)
    if text == "-":
        text = sys.stdin.read()
    with connect() as client:
        import_id = str(client.imports.paste_numbers(text, default_region=region).import_id)
        follow(client, import_id, out.people, until=finished)
        job = client.imports.read_import(import_id)
        rows = list(client.imports.iter_rows(import_id, limit=ROWS_PER_PAGE))
        ready = job.status == "completed" and invite
        invited = client.imports.invite_rows(import_id) if ready else None
    answer = {"import": job, "rows": rows, "invitations": invited}
    out.result(answer, pasted_view(job, rows, invited))


def pasted_view(
    job: Import, rows: list[Row], invited: InvitationsRequested | None
) -> RenderableType:
    parts: list[RenderableType] = [rows_table(rows), status_line(job)]
    if invited is not None:
        parts.append(invitations_text(invited))
    return Group(*parts)


def rows_table(rows: list[Row]) -> Table:
    shown = Table(title="Numbers", title_justify="left")
    for column in ("#", "as pasted", "number", "status", "why"):
        shown.add_column(column)
    for row in rows:
        shown.add_row(
            str(row.row_number), Text(row.raw_phone), row.phone_e164 or "-",
            status_text(row.status), Text(row.reason or ""),
        )  # fmt: skip
    return shown
