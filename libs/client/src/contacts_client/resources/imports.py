"""Imports (importer, /v1/imports): paste numbers or upload a list (in one call with its
mapping, start and invitations), follow its progress, read its rows, download its results."""

from __future__ import annotations

import json
from pathlib import Path
from uuid import UUID

from httpx_sse import ServerSentEvent

from contacts_client.call import Call, FilePart, model, present, saved, segment
from contacts_client.models.base import Page
from contacts_client.models.imports import (
    ColumnMapping,
    Import,
    ImportProgress,
    InvitationsRequested,
    Refusal,
    Row,
    Upload,
)
from contacts_client.operation import Group, S, events, operation, pages
from contacts_client.streams import EventStream

IMPORTS = "/v1/imports"


def paste_numbers(text: str, *, default_region: str | None = None) -> Call[Import]:
    """Import pasted numbers (separated by commas, tabs, semicolons or new lines); numbers
    without a country code are read in ``default_region`` (e.g. ``FR``; default: your own)."""
    body = present(text=text, default_region=default_region)
    return Call("POST", "importer", f"{IMPORTS}/pasted", model(Import), json=body, creates=True)


def upload_file(
    file: Path | str | bytes, *, filename: str | None = None, sheet: str | None = None,
    mapping: ColumnMapping | None = None, default_region: str | None = None,
    start: bool = False, invite: bool = False, encoding: str | None = None,
    replaces: UUID | str | None = None,
) -> Call[Upload]:  # fmt: skip
    """Upload a .csv, .xls, .xlsx or .ods list (a path, read in streamed pieces, or bytes with
    a ``filename``). The answer shows the recognised columns and sheets and a few rows. In the
    same call: the ``sheet`` to read, the column ``mapping``, ``start`` the import and
    ``invite`` its ready rows; ``encoding`` corrects a text file's detected one."""
    form = present(
        sheet=sheet, default_region=default_region, encoding=encoding,
        replaces=str(replaces) if replaces else None,
        start="true" if start else None, invite="true" if invite else None,
        **(mapping.model_dump() if mapping else {}),
    )  # fmt: skip
    return Call(
        "POST", "importer", f"{IMPORTS}/files", model(Upload), form=form,
        upload=_file_part(file, filename), creates=True,
    )  # fmt: skip


def _file_part(file: Path | str | bytes, filename: str | None) -> FilePart:
    if isinstance(file, bytes):
        if filename is None:
            raise ValueError("a file given as bytes needs a filename (its extension counts)")
        return FilePart(filename, content=file)
    path = Path(file)
    return FilePart(filename or path.name, path=path)


def list_imports(*, cursor: str | None = None, limit: int = 20) -> Call[Page[Import]]:
    """One page of the caller's imports, newest first."""
    params = {"cursor": cursor, "limit": limit}
    return Call("GET", "importer", IMPORTS, model(Page[Import]), params=params)


def read_import(import_id: UUID | str) -> Call[Import]:
    """Status and progress (rows validated of the total); counts per status once completed."""
    return Call("GET", "importer", f"{IMPORTS}/{segment(import_id)}", model(Import))


def confirm_columns(
    import_id: UUID | str, mapping: ColumnMapping | None = None, *, sheet: str | None = None,
    encoding: str | None = None, default_region: str | None = None,
) -> Call[Upload]:  # fmt: skip
    """Confirm or correct which column holds what; the rows are then read for review. With
    another ``sheet`` or ``encoding`` the file is read again first (the mapping may then wait
    until the new headers are seen)."""
    body = {
        **(mapping.model_dump() if mapping else {}),
        **present(sheet=sheet, encoding=encoding, default_region=default_region),
    }
    path = f"{IMPORTS}/{segment(import_id)}/mapping"
    return Call("PUT", "importer", path, model(Upload), json=body)


def list_rows(
    import_id: UUID | str, *, status: str | None = None, cursor: str | None = None,
    limit: int = 100,
) -> Call[Page[Row]]:  # fmt: skip
    """One page of the rows (of one ``status`` if given): for review, with statuses after."""
    params = {"status": status, "cursor": cursor, "limit": limit}
    path = f"{IMPORTS}/{segment(import_id)}/rows"
    return Call("GET", "importer", path, model(Page[Row]), params=params)


def start_import(import_id: UUID | str) -> Call[Import]:
    """Import the rows: every row gets its status (spends the phone-matching quota)."""
    path = f"{IMPORTS}/{segment(import_id)}/start"
    return Call("POST", "importer", path, model(Import), creates=True)


def invite_rows(import_id: UUID | str, rows: list[int] | None = None) -> Call[InvitationsRequested]:
    """SMS invitations for every ready row, or the ``rows`` (row numbers) chosen."""
    path = f"{IMPORTS}/{segment(import_id)}/invitations"
    body = {"rows": rows}
    return Call("POST", "importer", path, model(InvitationsRequested), json=body, creates=True)


def list_invitation_refusals(
    import_id: UUID | str, *, cursor: str | None = None, limit: int = 100
) -> Call[Page[Refusal]]:
    """One page of the rows whose invitation was refused, and why."""
    params = {"cursor": cursor, "limit": limit}
    path = f"{IMPORTS}/{segment(import_id)}/invitations/refusals"
    return Call("GET", "importer", path, model(Page[Refusal]), params=params)


def download_error_report(import_id: UUID | str, path: Path | str) -> Call[Path]:
    """Save the rejected rows with their reasons (CSV) to ``path``; the answer is the path."""
    return _download(import_id, "error-report.csv", Path(path))


def download_results_csv(import_id: UUID | str, path: Path | str) -> Call[Path]:
    """Save every row with its status, reason and E.164 number (CSV) to ``path``."""
    return _download(import_id, "results.csv", Path(path))


def download_results_xlsx(import_id: UUID | str, path: Path | str) -> Call[Path]:
    """Save every row with its status, reason and E.164 number (.xlsx) to ``path``."""
    return _download(import_id, "results.xlsx", Path(path))


def _download(import_id: UUID | str, name: str, path: Path) -> Call[Path]:
    url = f"{IMPORTS}/{segment(import_id)}/{name}"
    return Call("GET", "importer", url, saved(path), save_to=path)


def stream_progress(import_id: UUID | str) -> EventStream[ImportProgress]:
    """The import's progress as it happens (server-sent events), up to its final state."""
    path = f"{IMPORTS}/{segment(import_id)}/progress"
    call = Call("GET", "importer", path, model(ImportProgress))
    return EventStream(call, _progress, last=lambda progress: progress.final)


def _progress(message: ServerSentEvent) -> ImportProgress | None:
    """An event ``progress``, or ``end`` (the final state, after which the stream ends)."""
    if message.event not in ("progress", "end") or not message.data:
        return None
    return ImportProgress.model_validate(
        {**json.loads(message.data), "final": message.event == "end"}
    )


class Imports(Group[S]):
    """Imports of pasted numbers and files."""

    paste_numbers = operation(paste_numbers)
    upload_file = operation(upload_file)
    list_imports = operation(list_imports)
    iter_imports = pages(list_imports)  # every import, page after page
    read_import = operation(read_import)
    confirm_columns = operation(confirm_columns)
    list_rows = operation(list_rows)
    iter_rows = pages(list_rows)  # every row, page after page
    start_import = operation(start_import)
    invite_rows = operation(invite_rows)
    list_invitation_refusals = operation(list_invitation_refusals)
    download_error_report = operation(download_error_report)
    download_results_csv = operation(download_results_csv)
    download_results_xlsx = operation(download_results_xlsx)
    stream_progress = events(stream_progress)
    watch = stream_progress  # the same, by the name one looks for
