"""An import past the importer's retention, in the reader's words: its rows and results
answer 410 `import_rows_purged`, an upload that waited too long failed `import_expired`;
both are told as a sentence in English and French, never the service's own English, and the
import's page keeps its counts without rows, downloads or invitation."""

from __future__ import annotations

import httpx
import pytest
from contacts_client import ApiError, Gone, Import
from contacts_web.domain.statuses import LOOKS
from contacts_web.entrypoints.templating import environment
from contacts_web.entrypoints.words import i18n
from contacts_web.entrypoints.words.import_refusals import failure_words
from contacts_web.entrypoints.words.reason_words import row_reason
from contacts_web.entrypoints.words.refusals import refusal_words

pytestmark = pytest.mark.unit

SERVICE_SENTENCE = "The rows and files of this import were deleted: they are kept 30 days..."


def purged() -> ApiError:
    problem = {"error": "import_rows_purged", "detail": SERVICE_SENTENCE, "field": None}
    return ApiError.from_response(httpx.Response(410, json=problem))


@pytest.mark.parametrize(
    ("language", "rows_gone", "expired"),
    [("en", "results files were deleted", "waited too long"),
     ("fr", "fichiers de résultats ont été supprimés", "attendu trop longtemps")],
)  # fmt: skip
def test_rows_past_the_retention_and_an_expired_upload_are_told_in_the_readers_words(
    language, rows_gone, expired
):
    token = i18n._language.set(language)
    try:
        gone_words = refusal_words(purged())
        expired_words = failure_words({"error": "import_expired", "message": "English only"})
    finally:
        i18n._language.reset(token)
    assert rows_gone in gone_words and SERVICE_SENTENCE not in gone_words
    assert expired in expired_words


def test_a_410_is_the_clients_gone():
    assert isinstance(purged(), Gone) and purged().status == 410


def test_the_page_of_an_import_past_its_retention_shows_its_counts_and_why_nothing_more():
    imported = Import.model_validate({
        "import_id": "5b0c7d3e-9f41-4a8e-b2d6-1e7f3a9c8d20", "source": "file",
        "filename": "people.csv", "status": "completed", "progress": 1.0, "total_rows": 3,
        "counts": {"ready_to_invite": 2, "invalid": 1}, "headers": [], "sheets": [],
        "sheet": None, "mapping": None, "default_region": "FR", "error": None,
        "created_at": "2026-10-01T10:00:00Z", "completed_at": "2026-10-01T10:01:00Z",
        "rows_purged_at": "2026-11-01T10:01:00Z",
    })  # fmt: skip
    page = environment.get_template("imports/results.html").render(
        user=None, csrf_token="", lang="en", path="/", htmx=False, section="add",
        imported=imported, rows=None, status=None, looks=LOOKS, reason_of=row_reason,
        counts=[("ready_to_invite", 2), ("invalid", 1)], failure="",
        rows_gone="The numbers of this import were deleted.",
    )  # fmt: skip

    assert "The numbers of this import were deleted." in page
    assert "<strong>2</strong>" in page and "<strong>1</strong>" in page  # the counts stay
    assert "results.csv" not in page and "/invite" not in page and 'id="rows"' not in page
    assert "?status=" not in page  # no link to rows that are gone
