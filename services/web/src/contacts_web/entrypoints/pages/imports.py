"""An import's statuses, whichever way its numbers came (pasted or a file): the counts per
status, its rows page by page (one status at a time if asked) with each number's status and
reason, and **Invite contact** for the rows ready to invite by SMS. An import finished
longer ago than the importer's retention keeps only its counts: they are shown with a
sentence saying so, without its rows, downloads or invitation."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from contacts_client import Gone, Import
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from contacts_web.domain.statuses import LOOKS, ORDER
from contacts_web.entrypoints.browser.csrf import csrf_protected
from contacts_web.entrypoints.redirects import go_to
from contacts_web.entrypoints.signed_in import SignedInDep
from contacts_web.entrypoints.templating import is_htmx, render
from contacts_web.entrypoints.words.import_refusals import failure_words, import_sentences
from contacts_web.entrypoints.words.reason_words import row_reason

router = APIRouter(dependencies=[Depends(csrf_protected)], include_in_schema=False)
ROWS_PER_PAGE = 100
NOT_STARTED = frozenset({"uploaded", "extracting", "extracted"})
Status = Annotated[str | None, Query(pattern="^(" + "|".join(ORDER) + ")$")]
Cursor = Annotated[str | None, Query(max_length=500)]


@router.get("/imports/{import_id}")
async def import_page(
    request: Request,
    user: SignedInDep,
    import_id: UUID,
    status: Status = None,
    cursor: Cursor = None,
) -> Response:
    imported = await user.platform.imports.read_import(import_id)
    if imported.status in NOT_STARTED:
        return go_to(request, f"/contacts/add/file/{import_id}")  # its columns, then Review
    rows, rows_gone = None, imported.rows_purged_at is not None
    if imported.status == "completed" and not rows_gone:
        try:
            rows = await user.platform.imports.list_rows(
                import_id, status=status, cursor=cursor, limit=ROWS_PER_PAGE
            )
        except Gone:  # past the importer's retention, not purged yet: the same to the reader
            rows_gone = True
    template = (
        "imports/rows.html" if is_htmx(request) and rows is not None else "imports/results.html"
    )
    return render(request, template, section="add", imported=imported, rows=rows, status=status,
                  counts=_counts(imported), looks=LOOKS, reason_of=row_reason,
                  rows_gone=import_sentences()["import_rows_purged"] if rows_gone else None,
                  failure=failure_words(imported.error))  # fmt: skip


@router.get("/imports/{import_id}/progress-bar")
async def progress_bar(request: Request, user: SignedInDep, import_id: UUID) -> Response:
    """The progress bar as it is now (the results page asks again until the import is done)."""
    imported = await user.platform.imports.read_import(import_id)
    if imported.status != "validating":
        return go_to(request, f"/imports/{import_id}")
    return render(request, "imports/progress.html", imported=imported, looks=LOOKS)


@router.post("/imports/{import_id}/invite")
async def invite_ready_rows(request: Request, user: SignedInDep, import_id: UUID) -> Response:
    """Invite contact: an SMS invitation to every row ready to invite."""
    invited = await user.platform.imports.invite_rows(import_id)
    return render(request, "imports/invited.html", import_id=import_id, invited=invited)


@router.get("/imports/{import_id}/refusals")
async def invitation_refusals(
    request: Request, user: SignedInDep, import_id: UUID, cursor: Cursor = None
) -> Response:
    refusals = await user.platform.imports.list_invitation_refusals(import_id, cursor=cursor)
    return render(request, "imports/refusals.html", import_id=import_id, refusals=refusals)


def _counts(imported: Import) -> list[tuple[str, int]]:
    """(status, rows) of the statuses this import has, in the order they are shown."""
    counts = imported.counts or {}
    return [(status, counts[status]) for status in ORDER if counts.get(status)]
