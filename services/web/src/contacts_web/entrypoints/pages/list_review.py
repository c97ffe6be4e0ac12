"""Add contacts with a list, third step: "Review contacts information" (the columns in words
and the first rows as they will be imported), then "Import contacts" (`start_import`) or Back
to the columns. While the importer reads the rows after Next, a page says so and looks again
every second (htmx; a refresh without script)."""

from __future__ import annotations

from uuid import UUID

from contacts_client import Conflict, Import, RateLimited
from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from contacts_web.domain.list_columns import COLUMN_FIELDS
from contacts_web.entrypoints.browser.csrf import csrf_protected
from contacts_web.entrypoints.redirects import go_to
from contacts_web.entrypoints.signed_in import SignedInDep, SignedInUser
from contacts_web.entrypoints.templating import is_htmx, render
from contacts_web.entrypoints.words.import_refusals import reason_words
from contacts_web.entrypoints.words.refusals import refusal_words

router = APIRouter(dependencies=[Depends(csrf_protected)], include_in_schema=False)
REVIEW_ROWS = 10


@router.get("/contacts/add/file/{import_id}/review")
async def review_page(request: Request, user: SignedInDep, import_id: UUID) -> Response:
    imported = await user.platform.imports.read_import(import_id)
    if imported.status == "extracting":  # htmx asks again every second: nothing new yet
        if is_htmx(request):
            return Response(status_code=204)
        return render(request, "add_list/reading.html", section="add", imported=imported)
    if is_htmx(request):  # the reading page asking: the rows are read, load the page whole
        return go_to(request, request.url.path)
    if imported.status in ("uploaded", "failed"):  # the columns page says why
        return go_to(request, f"/contacts/add/file/{import_id}")
    if imported.status != "extracted":
        return go_to(request, f"/imports/{import_id}")
    return await _review(request, user, imported)


@router.post("/contacts/add/file/{import_id}/start")
async def import_contacts(request: Request, user: SignedInDep, import_id: UUID) -> Response:
    """Import contacts: every row gets its status; the statuses page follows its progress."""
    try:
        await user.platform.imports.start_import(import_id)
    except RateLimited as refused:
        imported = await user.platform.imports.read_import(import_id)
        return await _review(request, user, imported, refusal_words(refused), 429)
    except Conflict:  # its rows are not read yet
        return go_to(request, f"/contacts/add/file/{import_id}/review")
    return go_to(request, f"/imports/{import_id}")


async def _review(
    request: Request, user: SignedInUser, imported: Import, refusal: str | None = None,
    status_code: int = 200,
) -> Response:  # fmt: skip
    page = await user.platform.imports.list_rows(imported.import_id, limit=REVIEW_ROWS)
    mapping = imported.mapping or {}
    shown = [(name, words) for name, words in COLUMN_FIELDS if mapping.get(name)]
    reasons = {row.row_number: reason_words(row.reason_code, row.reason) for row in page.items}
    return render(
        request, "add_list/review.html", status_code, section="add", imported=imported,
        rows=page.items, fields=COLUMN_FIELDS, shown=shown, mapping=mapping,
        reasons=reasons, refusal=refusal,
    )  # fmt: skip
