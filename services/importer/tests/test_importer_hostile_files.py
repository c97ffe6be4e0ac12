"""Hostile files against the running importer: each is refused (422) or its import ends
`failed`, with the reason the person sees, and the service's own peak resident memory (VmHWM,
reset before each file) grows by less than serving a request may take."""

from __future__ import annotations

import pytest

from .conftest import ImporterUnderTest, bearer, running_importer
from .files import csv_bytes, xlsx_bytes
from .hostile_files import (
    csv_with_blank_lines,
    csv_with_nul_after,
    far_cell_xls,
    far_cell_xlsx,
    repeated_ods,
)
from .peak_memory import PeakMemory

pytestmark = pytest.mark.integration

GROWTH_MB = 100  # a request's own needs; a grid built in the service takes gigabytes
DENSE = [[f"c{c}" for c in range(300)]] + [[f"{r}.{c}" for c in range(300)] for r in range(19)]


@pytest.fixture(scope="module")
async def importer(postgres_admin_url, kafka_bootstrap, tmp_path_factory):
    async with running_importer(
        postgres_admin_url, kafka_bootstrap, tmp_path_factory.mktemp("hostile"),
        IMPORT_MAX_ROWS="20", IMPORT_MAX_CELLS="5000",
    ) as service:  # fmt: skip
        yield service


async def upload(importer: ImporterUnderTest, owner: object, name: str, content: bytes) -> dict:
    answer = await importer.http.post(
        "/v1/imports/files", files={"file": (name, content)}, headers=bearer(owner)
    )
    return {**answer.json(), "http": answer.status_code}


@pytest.mark.parametrize(
    ("name", "content", "said"),
    [
        ("far.xlsx", far_cell_xlsx("ALL30000"), '"Contacts" spans 30,000 rows and 1,000 columns'),
        ("repeated.ods", repeated_ods(10_000, 1_000), '"Contacts" spans 10,001 rows and 1,000'),
        ("far.xls", far_cell_xls(), '"Contacts" spans 65,536 rows and 256 columns'),
        ("dense.xlsx", xlsx_bytes(DENSE), '"Contacts" spans 20 rows and 300 columns (6,000 cells)'),
    ],
    ids=["far.xlsx", "repeated.ods", "far.xls", "dense.xlsx"],  # a zip's bytes hold its time
)
async def test_a_workbook_whose_grid_is_over_the_limit_is_refused_before_it_is_built(
    importer: ImporterUnderTest, name: str, content: bytes, said: str
) -> None:
    owner = await importer.register(f"+336123900{len(content) % 100:02d}")
    peak = PeakMemory(importer.process)
    refused = await upload(importer, owner.user_id, name, content)
    assert peak.growth_mb() < GROWTH_MB
    assert (refused["http"], refused["error"], refused["field"]) == (422, "too_many_cells", "file")
    assert said in refused["detail"]
    assert await importer.pool.fetchval("SELECT count(*) FROM imports") == 0


async def test_a_csv_with_a_nul_after_256_kb_ends_its_import_failed_with_the_reason(
    importer: ImporterUnderTest,
) -> None:
    owner = await importer.register("+33612390101")
    job = await upload(importer, owner.user_id, "list.csv", csv_with_nul_after(256 * 1024))
    assert job["http"] == 201, job
    mapped = await importer.http.put(f"/v1/imports/{job['import_id']}/mapping",
                                     json={"phone": "Mobile", "display_name": "Name"},
                                     headers=bearer(owner.user_id))  # fmt: skip
    assert mapped.status_code == 200
    failed = await importer.finished(owner.user_id, job["import_id"])
    assert failed["status"] == "failed"
    assert failed["error"]["error"] == "binary_content"
    assert 'Row 21, column "Name", holds a NUL character' in failed["error"]["message"]
    assert await importer.rows(owner.user_id, job["import_id"]) == []


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
async def test_blank_rows_do_not_count_toward_the_row_limit_and_are_not_imported(
    importer: ImporterUnderTest, fmt: str
) -> None:
    owner = await importer.register(f"+336123902{len(fmt):02d}")
    numbers = [[f"+4474001{n:05d}", f"N{n}"] for n in range(20)]
    content = {
        "csv": csv_with_blank_lines(20, ["", " , "]),
        "xlsx": xlsx_bytes([["Mobile", "Name"], *numbers, ["", ""], [" ", ""]]),
    }[fmt]
    job = await upload(importer, owner.user_id, f"list.{fmt}", content)
    assert job["http"] == 201, job  # 20 rows and 2 blank ones, under a limit of 20
    await importer.http.put(f"/v1/imports/{job['import_id']}/mapping", json={"phone": "Mobile"},
                            headers=bearer(owner.user_id))  # fmt: skip
    extracted = await importer.finished(owner.user_id, job["import_id"])
    assert (extracted["status"], extracted["total_rows"]) == ("extracted", 20)
    rows = await importer.rows(owner.user_id, job["import_id"])
    assert [row["row_number"] for row in rows] == list(range(2, 22))


async def test_a_cell_over_the_length_limit_is_never_stored_nor_returned_whole(
    importer: ImporterUnderTest,
) -> None:
    owner = await importer.register("+33612390301")
    me = bearer(owner.user_id)
    huge = "A" * 10 * 1024 * 1024
    content = csv_bytes([["Mobile", "Name"], ["+447400100301", huge], ["+447400100302", "Bob"]])
    job = await upload(importer, owner.user_id, "list.csv", content)
    assert job["http"] == 201 and len(job["sample_rows"][0][1]) == 1000
    await importer.http.put(f"/v1/imports/{job['import_id']}/mapping",
                            json={"phone": "Mobile", "display_name": "Name"}, headers=me)  # fmt: skip
    assert (await importer.finished(owner.user_id, job["import_id"]))["status"] == "extracted"
    long_row, bob = await importer.rows(owner.user_id, job["import_id"])
    assert long_row["display_name"] == "A" * 1000 and long_row["reason_code"] == "cell_too_long"
    assert 'column "Name"' in long_row["reason"]
    await importer.http.post(f"/v1/imports/{job['import_id']}/start", headers=me)
    assert (await importer.finished(owner.user_id, job["import_id"]))["status"] == "completed"
    long_row, bob = await importer.rows(owner.user_id, job["import_id"])
    assert (long_row["status"], long_row["reason_code"]) == ("invalid", "cell_too_long")
    assert bob["status"] == "ready_to_invite"
    longest = "SELECT max(length(display_name)) FROM import_rows"
    assert await importer.pool.fetchval(longest) == 1000


async def test_a_file_that_exhausts_its_worker_is_refused_and_the_service_keeps_serving(
    postgres_admin_url, kafka_bootstrap, tmp_path
) -> None:
    async with running_importer(
        postgres_admin_url, kafka_bootstrap, tmp_path, IMPORT_PARSE_MAX_MB="256"
    ) as importer:
        owner = await importer.register("+33612390401")
        peak = PeakMemory(importer.process)
        refused = await upload(importer, owner.user_id, "l.ods", repeated_ods(8_000, 1_000))
        assert peak.growth_mb() < GROWTH_MB
        assert (refused["http"], refused["error"]) == (422, "file_too_complex")
        assert "more than the 256 MB of memory" in refused["detail"]
        fine = await upload(importer, owner.user_id, "l.csv", csv_with_blank_lines(3, []))
        assert fine["http"] == 201
        assert (await importer.http.get("/ready")).status_code == 200
