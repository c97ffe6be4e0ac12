"""From a file to a running import. With ``--yes`` and nothing to ask, one request does it all
(the upload carries the sheet, the columns, ``start`` and ``invite``); otherwise the upload
answers with the columns it recognised, the person confirms (or ``--map`` corrects them), the
rows are read, and the import is started."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import typer
from contacts_client import ColumnMapping, ContactsPlatform, Upload

from contacts_cli.exit_codes import ExitCode
from contacts_cli.failures import Failed
from contacts_cli.import_preview import FIELDS, preview
from contacts_cli.import_watch import follow, not_running
from contacts_cli.output import Output


@dataclass(frozen=True)
class ImportRequest:
    """What `contacts import FILE` was asked to do."""

    path: Path
    sheet: str | None
    overrides: dict[str, str]  # field -> header, from --map
    region: str | None
    encoding: str | None
    invite: bool
    confirm: bool  # ask before importing (no --yes)

    @property
    def in_one_call(self) -> bool:
        """Nothing to ask, and the columns are either all given or left to the service."""
        return not self.confirm and (not self.overrides or "phone" in self.overrides)


def parse_map(pairs: list[str]) -> dict[str, str]:
    """``["phone=Mobile", "first_name=Prénom"]`` -> ``{"phone": "Mobile", ...}``."""
    chosen: dict[str, str] = {}
    for pair in pairs:
        field, _, header = pair.partition("=")
        field = field.strip().replace("-", "_").replace(" ", "_").lower()
        if field not in FIELDS or not header:
            raise typer.BadParameter(
                f"{pair!r} is not FIELD=HEADER with FIELD one of {', '.join(FIELDS)}.",
                param_hint="--map",
            )
        chosen[field] = header
    return chosen


def upload(client: ContactsPlatform, request: ImportRequest) -> Upload:
    """Send the file: in one call, started, or for its columns to be confirmed."""
    one_call = request.in_one_call
    given = columns(request.overrides) if one_call and request.overrides else None
    return client.imports.upload_file(
        request.path, sheet=request.sheet, default_region=request.region,
        encoding=request.encoding, mapping=given, start=one_call,
        invite=one_call and request.invite,
    )  # fmt: skip


def confirm_and_start(
    client: ContactsPlatform, out: Output, request: ImportRequest, upload: Upload
) -> bool:
    """Show the columns, ask, read the rows and start; False when the person said no."""
    if request.in_one_call:
        return True  # started by the upload itself
    mapping = {**(upload.mapping or {}), **request.overrides}
    out.say(preview(upload, mapping))
    if request.confirm and not typer.confirm("Import these rows?", default=True, err=True):
        return False
    client.imports.confirm_columns(
        upload.import_id, columns(mapping), default_region=request.region, sheet=request.sheet
    )
    follow(client, str(upload.import_id), out.people, until=not_running)  # the rows are read
    if client.imports.read_import(upload.import_id).status == "extracted":  # else: failed
        client.imports.start_import(upload.import_id)
    return True


def columns(mapping: Mapping[str, str | None]) -> ColumnMapping:
    """The mapping to send; a phone column is required."""
    if not mapping.get("phone"):
        raise Failed(
            "No column holds the phone numbers: name it with --map phone=HEADER.",
            ExitCode.USAGE,
        )
    return ColumnMapping.model_validate({f: mapping.get(f) for f in FIELDS})
