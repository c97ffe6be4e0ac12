"""Add contacts with a list, second step: which column holds what (the phone numbers, and
names, email and country when the file has them), on the sheet of the workbook the person
picks, read in the text encoding they correct when names come out garbled, with the file's
first rows to choose by. Next confirms the columns (`confirm_columns`); Review follows.

The importer keeps no sample rows, so each view has it read the stored file again
(`confirm_columns` with the sheet or encoding to read), which changes nothing while the
columns are not confirmed. After Back from Review the columns are open again, as the person
asked, with the ones they chose still selected."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from contacts_client import ApiError, ColumnMapping, Conflict, Import, Invalid, Upload
from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from contacts_web.domain.list_columns import (
    COLUMN_FIELDS,
    REQUIRED_FIELDS,
    encoding_choices,
    encoding_words,
)
from contacts_web.entrypoints.browser.csrf import csrf_protected
from contacts_web.entrypoints.redirects import go_to
from contacts_web.entrypoints.signed_in import SignedInDep, SignedInUser
from contacts_web.entrypoints.templating import render
from contacts_web.entrypoints.words.import_refusals import failure_words
from contacts_web.entrypoints.words.refusals import refusal_words

router = APIRouter(dependencies=[Depends(csrf_protected)], include_in_schema=False)
CHANGEABLE = frozenset({"uploaded", "extracted", "failed"})
SAMPLE_ROWS = 5
Sheet = Annotated[str | None, Query(max_length=255)]
Encoding = Annotated[str | None, Query(max_length=40)]


class ColumnsForm(BaseModel):
    """The header chosen for each field ("": not in this file)."""

    phone: str = Field("", max_length=255)
    first_name: str = Field("", max_length=255)
    last_name: str = Field("", max_length=255)
    display_name: str = Field("", max_length=255)
    email: str = Field("", max_length=255)
    country: str = Field("", max_length=255)

    def chosen(self) -> dict[str, str | None]:
        return {name: value or None for name, value in self.model_dump().items()}


@router.get("/contacts/add/file/{import_id}")
async def columns_page(
    request: Request, user: SignedInDep, import_id: UUID, sheet: Sheet = None,
    encoding: Encoding = None,
) -> Response:  # fmt: skip
    """The columns of the file; `sheet` or `encoding`: read it that way instead."""
    imported = await user.platform.imports.read_import(import_id)
    if imported.source != "file" or imported.status not in CHANGEABLE:
        return go_to(request, _step_of(imported))
    return await _columns_form(request, user, imported, sheet, encoding)


@router.post("/contacts/add/file/{import_id}")
async def confirm_columns(
    request: Request, user: SignedInDep, import_id: UUID, form: Annotated[ColumnsForm, Form()]
) -> Response:
    """Next: the columns confirmed, the rows are read for Review."""
    chosen = form.chosen()
    mapping = ColumnMapping.model_validate(chosen) if chosen["phone"] else None
    try:
        await user.platform.imports.confirm_columns(import_id, mapping)
    except Invalid as refused:
        imported = await user.platform.imports.read_import(import_id)
        return await _columns_form(request, user, imported, chosen=chosen, refused=refused)
    except Conflict:
        return go_to(request, f"/imports/{import_id}")
    return go_to(request, f"/contacts/add/file/{import_id}/review")


async def _columns_form(
    request: Request, user: SignedInUser, imported: Import, sheet: str | None = None,
    encoding: str | None = None, chosen: dict[str, str | None] | None = None,
    refused: ApiError | None = None,
) -> Response:  # fmt: skip
    """The page, with the file read again (as asked, else as before), the columns `chosen`
    (else the import's) selected and a refusal at its field."""
    another_reading = sheet is not None or encoding is not None
    try:
        upload = await _read_again(user, imported, sheet, encoding)
    except Invalid as unreadable:
        if not another_reading:
            raise
        return await _columns_form(request, user, imported, chosen=chosen, refused=unreadable)
    selected = chosen or (upload.mapping if another_reading else imported.mapping) or {}
    errors = {refused.field or "phone": refusal_words(refused)} if refused else {}
    failure = failure_words(imported.error) if imported.status == "failed" else None
    return render(
        request, "add_list/columns.html", 422 if refused else 200, section="add",
        upload=upload, sample=upload.sample_rows[:SAMPLE_ROWS], selected=selected,
        errors=errors, failure=failure, fields=COLUMN_FIELDS, required=REQUIRED_FIELDS,
        encodings=encoding_choices(upload.encoding), encoding=encoding_words(upload.encoding),
    )  # fmt: skip


async def _read_again(
    user: SignedInUser, imported: Import, sheet: str | None, encoding: str | None
) -> Upload:
    """The file's headers, column guess and first rows, read by the importer: a workbook on
    `sheet` (else the sheet it read), a text file in `encoding` (else the one it read in)."""
    imports = user.platform.imports
    if imported.sheets:
        return await imports.confirm_columns(imported.import_id, sheet=sheet or imported.sheet)
    return await imports.confirm_columns(imported.import_id, encoding=encoding or imported.encoding)


def _step_of(imported: Import) -> str:
    """Where an import whose columns can no longer change is followed."""
    if imported.status == "extracting":
        return f"/contacts/add/file/{imported.import_id}/review"
    return f"/imports/{imported.import_id}"
