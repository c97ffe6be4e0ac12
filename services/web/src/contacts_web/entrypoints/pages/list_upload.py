"""Add contacts with a list, first step: "Upload a file (XLS or CSV) from your computer", then
Next. The file reaches the importer through the typed client, which streams it; the importer
reads it and answers its columns, and the columns page comes next.

The web app takes files up to UPLOAD_MAX_BYTES (servicekit's body limit on multipart bodies):
a larger one is answered, before a byte of it is read, by this page again with the limit in
words at the file's field (`body_too_large`)."""

from __future__ import annotations

from typing import Annotated, Literal
from uuid import UUID

from contacts_client import ApiError
from fastapi import APIRouter, Depends, File, Query, Request, UploadFile
from fastapi.responses import RedirectResponse, Response

from contacts_web.adapters.upload_on_disk import upload_on_disk
from contacts_web.entrypoints import error_pages
from contacts_web.entrypoints.browser.csrf import csrf_protected
from contacts_web.entrypoints.redirects import go_to
from contacts_web.entrypoints.signed_in import SignedInDep
from contacts_web.entrypoints.templating import render
from contacts_web.entrypoints.words.i18n import gettext as _
from contacts_web.entrypoints.words.refusals import refusal_words

router = APIRouter(dependencies=[Depends(csrf_protected)], include_in_schema=False)
UPLOAD_PATH = "/contacts/add/file"
Replaces = Annotated[UUID | None, Query()]


@router.get(UPLOAD_PATH)
async def upload_page(
    request: Request, user: SignedInDep, replaces: Replaces = None,
    refused: Annotated[Literal["too_large"] | None, Query()] = None,
) -> Response:  # fmt: skip
    """The upload form; `replaces`: the import a corrected file replaces (Back from its
    statuses); `refused=too_large`: the file sent was over the limit."""
    error = _too_large_words(request.app.state.settings.upload_max_bytes) if refused else None
    return _upload_form(request, replaces, error)


@router.post(UPLOAD_PATH)
async def upload_list(
    request: Request, user: SignedInDep, replaces: Replaces = None,
    file: Annotated[UploadFile | None, File()] = None,
) -> Response:  # fmt: skip
    if file is None or not file.filename:
        return _upload_form(request, replaces, _("Choose the file to upload."), 422)
    try:
        async with upload_on_disk(file) as path:
            uploaded = await user.platform.imports.upload_file(
                path, filename=file.filename, replaces=replaces
            )
    except ApiError as refused:
        if refused.status not in (413, 422):
            raise
        return _upload_form(request, replaces, refusal_words(refused), refused.status)
    return go_to(request, f"{UPLOAD_PATH}/{uploaded.import_id}")


async def body_too_large(request: Request, error: Exception) -> Response:
    """servicekit's answer to a body over the limit: a list goes back to its form, which says
    the limit at the file's field; anything else gets error_pages' page in words."""
    if request.url.path != UPLOAD_PATH:
        return await error_pages.body_too_large(request, error)
    replaces = _uuid_or_none(request.query_params.get("replaces"))
    again = f"&replaces={replaces}" if replaces else ""
    return RedirectResponse(f"{UPLOAD_PATH}?refused=too_large{again}", status_code=303)


def _upload_form(
    request: Request, replaces: UUID | None, error: str | None, status_code: int = 200
) -> Response:
    max_size = error_pages.format_size(request.app.state.settings.upload_max_bytes)
    return render(request, "add_list/upload.html", status_code, section="add", error=error,
                  replaces=replaces, max_size=max_size)  # fmt: skip


def _too_large_words(limit: int) -> str:
    size = error_pages.format_size(limit)
    return _("This file is larger than %(size)s, the largest this site accepts.") % {"size": size}


def _uuid_or_none(text: str | None) -> UUID | None:
    try:
        return UUID(text) if text else None
    except ValueError:
        return None
