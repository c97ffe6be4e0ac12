"""The use cases of the person importing (handlers/imports.py, uploads.py) alone, on an
in-memory unit of work (fake_work.py): no Postgres, no Kafka. The same use cases on Postgres,
through the API, are proven by test_importer_pasted.py, test_importer_files.py,
test_importer_one_call.py and test_importer_retries_and_pages.py."""

from __future__ import annotations

import uuid
from dataclasses import replace
from pathlib import Path

import pytest
from contacts_servicekit.domain_errors import Conflicting, LimitReached, Missing, Refused
from importer_service.adapters.file_jobs import SheetInfo, TableSummary
from importer_service.adapters.match_quota import MatchQuota
from importer_service.adapters.sources.limits import SourceLimits
from importer_service.adapters.sources.mapping import guess_mapping
from importer_service.adapters.sources.sniff import FileFormat
from importer_service.adapters.work_queue import Chunking, ExpressExtractRows
from importer_service.domain.model import ImportStatus
from importer_service.domain.retention import ImportRetention
from importer_service.handlers import imports, uploads
from importer_service.handlers.rules import ImportRules

from .fake_work import FakeImportsWork

pytestmark = pytest.mark.unit
S = ImportStatus
OWNER = uuid.UUID(int=1)
LIMITS = SourceLimits(max_rows=5)
RULES = ImportRules(
    "GB", MatchQuota(100, 100), Chunking(10, 4, window=4, express_rows=1000), ImportRetention(30)
)
"""The upload use case reads the fallback region and the chunking (the quota it spends is the
unit of work's)."""


@pytest.fixture
def work() -> FakeImportsWork:
    return FakeImportsWork(quota=100)


async def test_pasted_numbers_become_an_import_validating_at_once_paid_by_the_quota(
    work: FakeImportsWork,
) -> None:
    job = await imports.paste(work, OWNER, "06 12 34 56 78, +44 7400 123456", None, LIMITS, "GB")

    assert (job.source, job.status, job.total_rows, job.chunk_count) == (
        "pasted",
        S.VALIDATING,
        2,
        1,
    )
    assert [row[:2] for row in work.rows[job.import_id]] == [
        (1, "06 12 34 56 78"),
        (2, "+44 7400 123456"),
    ]
    assert work.event_names() == ["ImportStarted"]
    assert work.quota_of(OWNER) == 98 and work.queued == {job.import_id: 1}


@pytest.mark.parametrize(
    ("owner_phone", "asked", "region"),
    [("+33612345678", None, "FR"), (None, None, "GB"), ("+33612345678", "de", "DE")],
)
async def test_the_region_is_the_one_asked_else_the_owners_numbers_else_the_fallback(
    work: FakeImportsWork, owner_phone: str | None, asked: str | None, region: str
) -> None:
    if owner_phone:
        work.phones[OWNER] = owner_phone
    job = await imports.paste(work, OWNER, "0612345678", asked, LIMITS, "GB")
    assert job.default_region == region


@pytest.mark.parametrize(
    ("text", "region", "code", "field"),
    [
        (" ,; \n", None, "no_numbers", "text"),
        ("1,2,3,4,5,6", None, "too_many_rows", "text"),
        ("0612345678", "Narnia", "unknown_region", "default_region"),
    ],
)
async def test_a_paste_refused_names_the_field_and_keeps_nothing(
    work: FakeImportsWork, text: str, region: str | None, code: str, field: str
) -> None:
    with pytest.raises(Refused) as refused:
        await imports.paste(work, OWNER, text, region, LIMITS, "GB")
    assert (refused.value.code, refused.value.field) == (code, field)
    assert work.stored == {} and work.events == []


async def test_a_paste_over_the_quota_is_refused_with_when_to_retry(work: FakeImportsWork) -> None:
    work.quota_left[OWNER] = 1
    with pytest.raises(LimitReached) as refused:
        await imports.paste(work, OWNER, "0612345678, 0612345679", None, LIMITS, "GB")
    assert (refused.value.code, refused.value.retry_after) == ("rate_limited", 60)
    assert work.queued == {}  # the route's transaction rolls back what was written before


async def a_reviewed_upload(work: FakeImportsWork, tmp_path: Path, rows: int = 12) -> uuid.UUID:
    job = await uploads.store(
        work, OWNER, a_file(tmp_path), uploads.UploadRequest("list.csv"), inspected(rows), RULES
    )
    await work.save(job.columns_confirmed({"phone": 0}, "GB").extracted(rows))
    return job.import_id


async def test_starting_spends_the_rows_queues_the_chunks_and_is_idempotent_once_started(
    work: FakeImportsWork, tmp_path: Path
) -> None:
    import_id = await a_reviewed_upload(work, tmp_path)

    started = await imports.start(work, OWNER, import_id)
    again = await imports.start(work, OWNER, import_id)

    assert (started.status, started.chunk_count, again.status) == (S.VALIDATING, 2, S.VALIDATING)
    assert work.quota_of(OWNER) == 88 and import_id in work.locked


async def test_an_import_of_no_rows_completes_as_it_starts(
    work: FakeImportsWork, tmp_path: Path
) -> None:
    import_id = await a_reviewed_upload(work, tmp_path, rows=0)
    await imports.start(work, OWNER, import_id)
    assert work.completed == [import_id] and work.stored[import_id].status is S.COMPLETED


async def test_an_import_starts_only_once_its_rows_are_read_and_only_for_its_owner(
    work: FakeImportsWork, tmp_path: Path
) -> None:
    waiting = await uploads.store(
        work, OWNER, a_file(tmp_path), uploads.UploadRequest("a.csv"), inspected(3), RULES
    )
    with pytest.raises(Conflicting) as not_ready:
        await imports.start(work, OWNER, waiting.import_id)
    with pytest.raises(Missing) as not_yours:
        await imports.start(work, uuid.UUID(int=2), waiting.import_id)

    assert not_ready.value.code == "import_not_ready" and "while it is uploaded" in str(
        not_ready.value
    )
    assert not_yours.value.code == "import_not_found"
    assert work.quota_of(OWNER) == 100 and work.queued == {}


async def test_an_upload_with_its_columns_is_read_at_once_on_its_lane(
    work: FakeImportsWork, tmp_path: Path
) -> None:
    request = uploads.UploadRequest("list.csv", columns={"phone": "Phone"}, start=True)
    job = await uploads.store(work, OWNER, a_file(tmp_path), request, inspected(3, True), RULES)

    assert (job.status, job.auto_start, job.default_region) == (S.EXTRACTING, True, "GB")
    assert work.event_names() == ["ImportStarted", "ImportExtractRows"]
    assert isinstance(work.events[1], ExpressExtractRows)
    assert work.files.stored[job.import_id] == b"Phone\n0612345678\n"
    assert work.quota_of(OWNER) == 100  # checked now, spent once the rows are read


async def test_an_upload_to_start_by_itself_over_the_quota_is_refused_before_anything_is_kept(
    work: FakeImportsWork, tmp_path: Path
) -> None:
    request = uploads.UploadRequest("list.csv", start=True)
    with pytest.raises(LimitReached):
        await uploads.store(work, OWNER, a_file(tmp_path), request, inspected(101, True), RULES)
    assert work.stored == {} and work.files.stored == {} and work.events == []


@pytest.mark.parametrize(
    ("previous", "replaced"),
    [(S.UPLOADED, True), (S.EXTRACTED, True), (S.FAILED, True), (S.VALIDATING, False)],
)
async def test_back_with_a_corrected_file_stops_the_previous_import_unless_it_runs(
    work: FakeImportsWork, tmp_path: Path, previous: ImportStatus, replaced: bool
) -> None:
    first = await uploads.store(
        work, OWNER, a_file(tmp_path), uploads.UploadRequest("a.csv"), inspected(3), RULES
    )
    await work.save(replace(first, status=previous))
    request = uploads.UploadRequest("b.csv", replaces=first.import_id)
    second = await uploads.store(work, OWNER, a_file(tmp_path), request, inspected(3), RULES)

    after = work.stored[first.import_id]
    assert after.status is (S.REPLACED if replaced else previous)
    assert (first.import_id in work.files.stored) is not replaced
    assert second.status is S.UPLOADED


async def test_back_names_only_the_owners_own_imports(
    work: FakeImportsWork, tmp_path: Path
) -> None:
    request = uploads.UploadRequest("b.csv", replaces=uuid.uuid4())
    with pytest.raises(Missing):
        await uploads.store(work, OWNER, a_file(tmp_path), request, inspected(3), RULES)
    assert work.stored == {}


async def test_imports_are_listed_newest_first_a_page_at_a_time(
    work: FakeImportsWork, tmp_path: Path
) -> None:
    made = [(await imports.paste(work, OWNER, "0612345678", None, LIMITS, "GB")).import_id
            for _ in range(3)]  # fmt: skip
    await imports.paste(work, uuid.UUID(int=2), "0612345678", None, LIMITS, "GB")

    first, last = await imports.page(work, OWNER, 2, None)
    assert [j.import_id for j in first] == made[:0:-1] and last is not None
    rest, end = await imports.page(work, OWNER, 2, (last.created_at, last.import_id))
    assert [j.import_id for j in rest] == made[:1] and end is None


def a_file(folder: Path) -> Path:
    path = folder / "upload"
    path.write_bytes(b"Phone\n0612345678\n")
    return path


def inspected(rows: int, confirmed: bool = False) -> uploads.Inspected:
    table = TableSummary(
        ["Phone"], [SheetInfo("Sheet1", True)], None, [["0612345678"]], "utf-8", rows
    )
    return uploads.Inspected(FileFormat.CSV, table, guess_mapping(["Phone"]), confirmed)
