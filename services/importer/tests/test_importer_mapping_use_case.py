""" "Next" (handlers/mapping.py) alone, on the in-memory unit of work of fake_work.py: the
columns confirmed or corrected, another sheet read, and every refusal (no phone column named,
an import started, expired or past its retention). On Postgres, through the API:
test_importer_files.py and test_importer_sheets_and_encodings.py."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from contacts_servicekit.domain_errors import Conflicting, Missing, Purged, Refused
from importer_service.adapters.file_jobs import SheetInfo, TableSummary
from importer_service.adapters.match_quota import MatchQuota
from importer_service.adapters.sources.mapping import guess_mapping
from importer_service.adapters.sources.sniff import FileFormat
from importer_service.adapters.work_queue import Chunking, ExtractRows
from importer_service.domain.model import Import, ImportStatus
from importer_service.domain.retention import ImportRetention
from importer_service.handlers import mapping, uploads
from importer_service.handlers.mapping import ColumnsChoice
from importer_service.handlers.rules import ImportRules

from .fake_work import FakeImportsWork, FakeReader

pytestmark = pytest.mark.unit
S = ImportStatus
OWNER = uuid.UUID(int=1)
RETENTION = ImportRetention(30)
RULES = ImportRules("GB", MatchQuota(100, 100), Chunking(10, 4, window=4), RETENTION)
PEOPLE = TableSummary(
    ["Mobile", "Name"], [SheetInfo("Notes", False), SheetInfo("People", True)], "People",
    [["0612345678", "Ann"]], None, 1,
)  # fmt: skip
COLUMNS = {"phone": "Mobile", "display_name": "Name"}


@pytest.fixture
def work() -> FakeImportsWork:
    return FakeImportsWork()


async def an_upload(work: FakeImportsWork, tmp_path: Path, **changes: Any) -> Import:
    """A workbook uploaded (its columns waiting to be confirmed), then changed as `changes`."""
    path = tmp_path / "upload"
    path.write_bytes(b"PK workbook")
    inspected = uploads.Inspected(FileFormat.XLSX, PEOPLE, guess_mapping(PEOPLE.headers), False)
    job = await uploads.store(
        work, OWNER, path, uploads.UploadRequest("people.xlsx"), inspected, RULES
    )
    work.events.clear()
    return await work.save(replace(job, **changes))


async def confirm(
    work: FakeImportsWork, job: Import, choice: ColumnsChoice, reader: FakeReader | None = None
) -> tuple[Import, list[list[str]]]:
    reader = reader or FakeReader(PEOPLE)
    return await mapping.confirm_columns(work, reader, OWNER, job.import_id, choice, RETENTION)


@pytest.mark.parametrize("status", [S.UPLOADED, S.EXTRACTED, S.FAILED])
async def test_the_columns_confirmed_are_read_at_once_from_the_rows_forgotten(
    work: FakeImportsWork, tmp_path: Path, status: ImportStatus
) -> None:
    job = await an_upload(work, tmp_path, status=status, error={"error": "x", "message": "y"})
    work.rows[job.import_id] = [(1, "old")]

    confirmed, sample = await confirm(work, job, ColumnsChoice(COLUMNS, default_region="fr"))

    assert (confirmed.status, confirmed.error, confirmed.default_region) == (
        S.EXTRACTING,
        None,
        "FR",
    )
    assert (confirmed.mapping or {})["display_name"] == 1 and sample == []
    assert job.import_id not in work.rows and job.import_id in work.locked
    assert work.events == [ExtractRows(import_id=job.import_id)]


async def test_another_sheet_is_read_from_the_stored_file_and_the_columns_wait_again(
    work: FakeImportsWork, tmp_path: Path
) -> None:
    job = await an_upload(work, tmp_path, status=S.EXTRACTED, sheet="Notes", headers=["Note"])
    reader = FakeReader(PEOPLE)

    again, sample = await confirm(
        work, job, ColumnsChoice(None, sheet="People", default_region="DE"), reader
    )

    assert reader.read == [(b"PK workbook", FileFormat.XLSX, "People", None)]
    assert (again.status, again.sheet, again.headers, again.default_region) == (
        S.UPLOADED, "People", ["Mobile", "Name"], "DE",
    )  # fmt: skip
    assert sample == [["0612345678", "Ann"]] and work.events == []
    assert work.transactions == 2  # the file is read between them, holding none


@pytest.mark.parametrize(
    ("choice", "code", "field"),
    [
        (ColumnsChoice(None), "phone_required", "phone"),
        (ColumnsChoice({"phone": "Fax"}), "unknown_column", "phone"),
        (ColumnsChoice(COLUMNS, default_region="Atlantis"), "unknown_region", "default_region"),
    ],
)
async def test_a_choice_that_does_not_fit_is_refused_naming_its_field(
    work: FakeImportsWork, tmp_path: Path, choice: ColumnsChoice, code: str, field: str
) -> None:
    job = await an_upload(work, tmp_path)
    with pytest.raises(Refused) as refused:
        await confirm(work, job, choice)
    assert (refused.value.code, refused.value.field) == (code, field)
    assert work.stored[job.import_id].status is S.UPLOADED and work.events == []


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"status": S.VALIDATING}, "import_started"),
        ({"status": S.EXTRACTING}, "import_started"),
        ({"source": "pasted", "status": S.EXTRACTED}, "import_started"),
        ({"status": S.FAILED, "error": {"error": "import_expired", "message": "Too late."}},
         "import_expired"),
    ],
)  # fmt: skip
async def test_the_columns_of_an_import_started_or_expired_no_longer_change(
    work: FakeImportsWork, tmp_path: Path, changes: dict[str, Any], code: str
) -> None:
    job = await an_upload(work, tmp_path, **changes)
    for choice in (ColumnsChoice(COLUMNS), ColumnsChoice(None, sheet="People")):
        with pytest.raises(Conflicting) as refused:
            await confirm(work, job, choice)
        assert refused.value.code == code
    assert work.stored[job.import_id] == job and work.events == []


async def test_a_failed_import_past_its_retention_has_no_file_to_read_again(
    work: FakeImportsWork, tmp_path: Path
) -> None:
    finished = datetime.now(UTC) - timedelta(days=31)
    job = await an_upload(work, tmp_path, status=S.FAILED, finished_at=finished)
    with pytest.raises(Purged) as gone:
        await confirm(work, job, ColumnsChoice(COLUMNS))
    assert gone.value.code == "import_rows_purged"


async def test_another_owners_import_is_not_found(work: FakeImportsWork, tmp_path: Path) -> None:
    job = await an_upload(work, tmp_path, owner_id=uuid.UUID(int=2))
    with pytest.raises(Missing) as missing:
        await confirm(work, job, ColumnsChoice(COLUMNS))
    assert missing.value.code == "import_not_found"
