"""Download the results of a completed import: every row with its status and reason, as CSV
or as an Excel workbook, relayed from the importer (`results.csv`, `results.xlsx`).

The typed client streams a download into a file: it goes to a temporary directory, sent to
the browser and removed once sent, or once the browser left. The name the browser
saves it under comes from the list's own (domain/results_filename.py)."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Literal
from uuid import UUID

from fastapi import APIRouter, Depends
from fastapi.responses import FileResponse
from starlette.types import Receive, Scope, Send

from contacts_web.domain.results_filename import results_filename
from contacts_web.entrypoints.browser.csrf import csrf_protected
from contacts_web.entrypoints.signed_in import SignedInDep

router = APIRouter(dependencies=[Depends(csrf_protected)], include_in_schema=False)
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class TemporaryFileResponse(FileResponse):
    """A file sent from a temporary `folder`, removed however the sending ends."""

    def __init__(self, folder: Path, path: Path, media_type: str, filename: str) -> None:
        super().__init__(path, media_type=media_type, filename=filename)
        self.folder = folder

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await super().__call__(scope, receive, send)
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)


@router.get("/imports/{import_id}/results.{kind}")
async def download_results(
    user: SignedInDep, import_id: UUID, kind: Literal["csv", "xlsx"]
) -> TemporaryFileResponse:
    imported = await user.platform.imports.read_import(import_id)
    folder = Path(tempfile.mkdtemp(prefix="web-results-"))
    path = folder / f"results.{kind}"
    try:
        if kind == "csv":
            await user.platform.imports.download_results_csv(import_id, path)
        else:
            await user.platform.imports.download_results_xlsx(import_id, path)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    filename = results_filename(imported.filename, kind)
    return TemporaryFileResponse(folder, path, MEDIA_TYPES[kind], filename)
