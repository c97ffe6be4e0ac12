"""`contacts import FILE` and `contacts import status ID`: a file import, watched live.

Ctrl-C while an import runs stops the watching, not the import: it goes on on the server, and
the command prints how to watch it again (exit 130)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer

from contacts_cli.connection import connect
from contacts_cli.default_group import DefaultCommandGroup
from contacts_cli.exit_codes import ExitCode
from contacts_cli.failures import Failed
from contacts_cli.import_flow import ImportRequest, confirm_and_start, parse_map, upload
from contacts_cli.import_outcome import checked_results_path, finish
from contacts_cli.import_watch import finished, follow, watched_until
from contacts_cli.options import JsonOption
from contacts_cli.output import output

app = typer.Typer(
    cls=DefaultCommandGroup, no_args_is_help=True,
    help="Import a .csv, .xls, .xlsx or .ods list (`contacts import FILE`), or watch one.",
)  # fmt: skip
ResultsOption = Annotated[
    Path | None,
    typer.Option("--results", help="Save every row with its status and reason (.csv or .xlsx)."),
]
FailOnRejected = Annotated[
    bool,
    typer.Option(
        "--fail-on-rejected",
        help="Exit 4 when rows were rejected (invalid, duplicate, your own number).",
    ),
]


@app.command("file")
def import_file(
    file: Annotated[
        Path, typer.Argument(metavar="FILE", exists=True, dir_okay=False, readable=True)
    ],
    sheet: Annotated[str | None, typer.Option(help="The workbook sheet to read.")] = None,
    map_: Annotated[
        list[str] | None,
        typer.Option("--map", help="FIELD=HEADER: the column holding a field (repeatable)."),
    ] = None,
    region: Annotated[
        str | None, typer.Option(help="Country of numbers without +code: CH, FR, GB...")
    ] = None,
    encoding: Annotated[
        str | None, typer.Option(help="The text file's encoding, if detected wrongly.")
    ] = None,
    invite: Annotated[bool, typer.Option("--invite", help="Invite the ready rows by SMS.")] = False,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask to confirm.")] = False,
    results: ResultsOption = None,
    fail_on_rejected: FailOnRejected = False,
    as_json: JsonOption = False,
) -> None:
    """Upload a list, confirm its columns, and watch the import until it is done
    (`contacts import FILE` is short for `contacts import file FILE`)."""
    out = output(as_json)
    request = ImportRequest(
        file, sheet, parse_map(map_ or []), region, encoding, invite, confirm=not yes
    )
    results = checked_results_path(results)
    with connect() as client:
        uploaded = upload(client, request)
        import_id = str(uploaded.import_id)
        with _interruptible(import_id):
            if not confirm_and_start(client, out, request, uploaded):
                out.result({"import": uploaded, "started": False}, "Not imported.")
                return
            follow(client, import_id, out.people, until=finished)
        invite_now = request.invite and not request.in_one_call
        finish(client, out, import_id, invite=invite_now, results=results,
               fail_on_rejected=fail_on_rejected)  # fmt: skip


@app.command("status")
def import_status(
    import_id: Annotated[str, typer.Argument(metavar="ID", help="The import's id.")],
    results: ResultsOption = None,
    fail_on_rejected: FailOnRejected = False,
    as_json: JsonOption = False,
) -> None:
    """Watch a running import again, or show how it ended."""
    out = output(as_json)
    results = checked_results_path(results)
    with connect() as client:
        until = watched_until(client.imports.read_import(import_id))
        if until is not None:
            with _interruptible(import_id):
                follow(client, import_id, out.people, until=until)
        finish(client, out, import_id, invite=False, results=results,
               fail_on_rejected=fail_on_rejected)  # fmt: skip


@contextmanager
def _interruptible(import_id: str) -> Iterator[None]:
    """Ctrl-C: stop watching, say how to watch again, exit 130; the import goes on."""
    try:
        yield
    except KeyboardInterrupt:
        command = f"contacts import status {import_id}"
        raise Failed(
            f"Stopped watching; the import goes on. To watch it again: {command}",
            ExitCode.INTERRUPTED,
            {"error": "interrupted", "import_id": import_id, "status_command": command},
        ) from None
