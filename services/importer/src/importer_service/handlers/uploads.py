"""Uploading a list: the file read (in a worker process, before any transaction), then stored
with its columns guessed, or confirmed by the upload itself.

An upload may carry the whole import (a backend's one call): the columns (`columns`), `start`
(the pipeline starts it once its rows are read, spending the owner's quota then, as
`POST /start` does) and `invite` (the pipeline invites every ready row once it completes).
Both wishes are recorded on the import and acted on by the pipeline, never by the client.
"""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from contacts_events import ImportSource, ImportStarted
from contacts_servicekit.domain_errors import Refused

from importer_service.adapters.file_reader import FileReader, TableSummary
from importer_service.adapters.sources.mapping import ColumnMapping, guess_mapping
from importer_service.adapters.sources.sniff import FileFormat, UnsupportedFile, detect_format
from importer_service.adapters.sources.text_encoding import canonical_encoding
from importer_service.domain.model import Import, ImportStatus, NewImport
from importer_service.handlers.columns import checked, mapping_by_headers
from importer_service.handlers.imports import read
from importer_service.handlers.ports import ImportsWork, Reader
from importer_service.handlers.regions import checked_region, default_region
from importer_service.handlers.rules import ImportRules

REFUSED_FIELDS = {"sheet_not_found": "sheet", "bad_encoding": "encoding"}
"""The request field a refusal of the file is about (any other: `file`)."""


@dataclass(frozen=True)
class UploadRequest:
    filename: str
    sheet: str | None = None  # a workbook's sheet to read (default: the first with a phone)
    encoding: str | None = None  # a CSV file's text encoding (default: detected)
    columns: dict[str, str | None] = field(default_factory=dict)  # field -> header; {}: guess
    default_region: str | None = None
    replaces: uuid.UUID | None = None  # the import a corrected file replaces ("Back")
    start: bool = False
    invite: bool = False


@dataclass(frozen=True)
class Inspected:
    fmt: FileFormat
    table: TableSummary
    mapping: ColumnMapping
    confirmed: bool  # the columns came with the upload: its rows are read at once


def checked_request(request: UploadRequest) -> UploadRequest:
    """The request's own faults, before the file is read: 422 naming the field."""
    if request.invite and not request.start:
        raise Refused(
            "invite_needs_start", "invite=true invites once the import completes: it needs "
            "start=true.", "invite",
        )  # fmt: skip
    if request.default_region:
        checked_region(request.default_region)
    if request.encoding is None:
        return request
    encoding = canonical_encoding(request.encoding)
    if encoding is None:
        raise Refused(
            "unknown_encoding", f"{request.encoding!r} is not a text encoding such as utf-8, "
            "windows-1252, windows-1251, iso-8859-2, shift_jis or gbk.", "encoding",
        )  # fmt: skip
    return replace(request, encoding=encoding)


async def inspect(reader: FileReader, path: Path, request: UploadRequest) -> Inspected:
    """What the file is (by its content), its sheets, the headers and a few rows of the sheet
    read, and the columns (as given, else guessed); 422 naming the problem otherwise."""
    request = checked_request(request)
    try:
        with path.open("rb") as head:
            fmt = detect_format(head.read(8192), request.filename)
    except UnsupportedFile as error:
        raise Refused(error.code, error.message, "file") from None
    table = await summary(reader, path, fmt, request.sheet, request.encoding)
    confirmed = bool(request.columns) or request.start
    if request.columns:
        mapping = mapping_by_headers(request.columns, table.headers)
    else:
        mapping = guess_mapping(table.headers)
        if request.start:
            checked(mapping, table.headers)
    return Inspected(fmt, table, mapping, confirmed)


async def summary(
    reader: Reader, path: Path, fmt: FileFormat, sheet: str | None, encoding: str | None
) -> TableSummary:
    """The file read in a worker process (see `FileReader.inspect`); 422 naming the field."""
    if sheet is not None and fmt is FileFormat.CSV:
        raise Refused("no_sheets", "A CSV file has no sheets; leave sheet out.", "sheet")
    if encoding is not None and fmt is not FileFormat.CSV:
        raise Refused(
            "not_text", "A workbook has no text encoding to choose; leave encoding out.",
            "encoding",
        )  # fmt: skip
    try:
        return await reader.inspect(path, fmt, sheet, encoding)
    except UnsupportedFile as error:
        raise Refused(error.code, error.message, REFUSED_FIELDS.get(error.code, "file")) from None


async def store(
    work: ImportsWork, owner_id: uuid.UUID, path: Path, request: UploadRequest,
    inspected: Inspected, rules: ImportRules,
) -> Import:  # fmt: skip
    """Store the inspected file as a new import; with the columns confirmed, its rows are read
    at once. 429 when it is to start by itself and the owner's quota cannot cover its rows."""
    region = await default_region(
        work.owners, owner_id, request.default_region, rules.fallback_region
    )
    if request.start:
        await work.quota.check(owner_id, inspected.table.rows)
    if request.replaces is not None:
        await _replace(work, owner_id, request.replaces)
    import_id, table, filename = uuid.uuid4(), inspected.table, request.filename[:255]
    status = ImportStatus.EXTRACTING if inspected.confirmed else ImportStatus.UPLOADED
    await work.imports.create(NewImport(
        import_id, owner_id, "file", status, region, filename=filename,
        file_format=inspected.fmt.value, sheets=[asdict(s) for s in table.sheets],
        sheet=table.sheet, encoding=table.encoding, headers=table.headers,
        mapping=asdict(inspected.mapping), replaces=request.replaces, auto_start=request.start,
        auto_invite=request.invite,
    ))  # fmt: skip
    with path.open("rb") as source:
        await work.files.save(import_id, source)
    work.emit(ImportStarted(
        import_id=import_id, owner_id=owner_id, source=ImportSource.FILE, filename=filename
    ))  # fmt: skip
    if inspected.confirmed:  # a small file is read on the express lane
        work.emit(rules.chunking.lane(table.rows).extract(import_id=import_id))
    return await read(work, owner_id, import_id)


async def _replace(work: ImportsWork, owner_id: uuid.UUID, previous: uuid.UUID) -> None:
    """ "Back" with a corrected file: the previous import stops where it is (nothing it already
    added or invited is undone; the new import sees it and will not repeat it)."""
    job = await read(work, owner_id, previous, for_update=True)
    if job.may_become(ImportStatus.REPLACED):  # not once validating (nor replaced already)
        await work.imports.save(job.replaced())
        await work.files.delete(previous)
