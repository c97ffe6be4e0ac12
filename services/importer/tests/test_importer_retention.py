"""Import retention against real Postgres and Kafka (docs/data-retention.md, "Import rows and
files"): a finished import older than IMPORT_RETENTION_DAYS loses its rows, refusals,
duplicate markers and file, keeps its counts, and its rows answer 410; younger, running and
waiting imports keep everything; an upload left waiting too long expires. An import is made
old by moving its dates back in the database, as the days would."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from contacts_events import InvitationChannel, InvitationRefused
from importer_service.adapters.import_purge import IMPORT_TABLES, ImportPurge
from importer_service.domain.retention import ImportRetention

from .conftest import ImporterUnderTest, bearer, running_importer
from .files import csv_bytes

pytestmark = pytest.mark.integration

ONE_DAY = ImportRetention(1)
ROW_ANSWERS = ("rows", "invitations/refusals", "error-report.csv", "results.csv", "results.xlsx")


def keeping_a_day(admin_url: str, bootstrap: str, folder: Path, **env: str):
    """An importer whose finished imports keep their rows one day."""
    return running_importer(admin_url, bootstrap, folder, IMPORT_RETENTION_DAYS="1", **env)


@pytest.fixture(scope="module")
async def importer(
    postgres_admin_url, kafka_bootstrap, tmp_path_factory
) -> AsyncIterator[ImporterUnderTest]:
    folder = tmp_path_factory.mktemp("importer")
    async with keeping_a_day(postgres_admin_url, kafka_bootstrap, folder) as service:
        yield service


async def pasted(importer: ImporterUnderTest, owner: uuid.UUID, text: str) -> dict:
    """A completed import of the numbers in `text`."""
    sent = await importer.http.post(
        "/v1/imports/pasted", json={"text": text}, headers=bearer(owner)
    )
    return await importer.finished(owner, sent.json()["import_id"])


async def kept(importer: ImporterUnderTest, import_id: str) -> dict[str, int]:
    """How many rows of each table the import still has."""
    return {
        table: await importer.pool.fetchval(
            f"SELECT count(*) FROM {table} WHERE import_id = $1", uuid.UUID(import_id)
        )
        for table in IMPORT_TABLES
    }


async def age(importer: ImporterUnderTest, import_id: str, days: float) -> None:
    """The import as it will be `days` from now: created and finished that much earlier."""
    await importer.pool.execute(
        "UPDATE imports SET created_at = created_at - make_interval(secs => $2),"
        " finished_at = finished_at - make_interval(secs => $2) WHERE import_id = $1",
        uuid.UUID(import_id), days * 86400,
    )  # fmt: skip


async def file_import_with_a_refusal(importer: ImporterUnderTest, owner: uuid.UUID) -> dict:
    """A completed file import (a duplicate row among its rows), its invitations asked for,
    and row 2's refused: rows, a refusal and a file (duplicate markers and parse results go
    when an import completes)."""
    me = bearer(owner)
    rows = [["Mobile"], ["06 12 35 00 01"], ["06 12 35 00 02"], ["06 12 35 00 02"], ["oops"]]
    sent = await importer.http.post(
        "/v1/imports/files", files={"file": ("l.csv", csv_bytes(rows))},
        data={"phone": "Mobile", "start": "true"}, headers=me,
    )  # fmt: skip
    job = await importer.finished(owner, sent.json()["import_id"])
    path = f"/v1/imports/{job['import_id']}"
    assert (await importer.http.post(f"{path}/invitations", json={}, headers=me)).status_code == 200
    request = await importer.pool.fetchrow(
        "SELECT request_id, phone_e164 FROM invitation_requests WHERE import_id = $1"
        " AND row_number = 2", uuid.UUID(job["import_id"]),
    )  # fmt: skip
    refused = InvitationRefused(
        invitation_id=uuid.uuid4(), request_id=request["request_id"], inviter_id=owner,
        import_id=uuid.UUID(job["import_id"]), row_number=2, channel=InvitationChannel.SMS,
        phone_e164=request["phone_e164"], reason_code="inviter_daily_cap", reason="Too many.",
    )  # fmt: skip
    await importer.events.publish(refused)
    await importer.until(lambda: _refusals_of(importer, job["import_id"]))
    return job


async def _refusals_of(importer: ImporterUnderTest, import_id: str) -> int:
    return int((await kept(importer, import_id))["invitation_refusals"])


async def test_a_finished_import_past_its_retention_keeps_only_itself_and_its_counts(importer):
    owner = await importer.register("+33612350000", "Owner")
    me = bearer(owner.user_id)
    old = await file_import_with_a_refusal(importer, owner.user_id)
    before = await kept(importer, old["import_id"])
    assert all(before[t] for t in ("import_rows", "invitation_refusals", "import_files")), before
    young_job = await pasted(importer, owner.user_id, "0612350010")
    young_rows = await kept(importer, young_job["import_id"])
    await age(importer, old["import_id"], 1.01)
    await age(importer, young_job["import_id"], 0.99)

    purged = await ImportPurge(ONE_DAY, batch_size=2).purge(importer.pool)

    assert purged == before  # every row of the old import, a batch of 2 at a time
    assert set((await kept(importer, old["import_id"])).values()) == {0}
    assert await kept(importer, young_job["import_id"]) == young_rows
    path = f"/v1/imports/{old['import_id']}"
    after = (await importer.http.get(path, headers=me)).json()
    assert after["rows_purged_at"] is not None and young_job["rows_purged_at"] is None
    same = ("status", "counts", "total_rows", "rows_done", "progress", "completed_at")
    assert {k: after[k] for k in same} == {k: old[k] for k in same}
    listed = (await importer.http.get("/v1/imports", headers=me)).json()["items"]
    assert {i["import_id"]: i["counts"] for i in listed}[old["import_id"]] == old["counts"]
    assert (await importer.http.get(f"{path}/rows", headers=me)).status_code == 410
    assert (await importer.http.get(f"/v1/imports/{young_job['import_id']}/rows",
                                    headers=me)).status_code == 200  # fmt: skip


async def test_every_answer_made_of_rows_is_410_once_the_retention_has_passed(importer):
    owner = await importer.register("+33612351000", "Owner")
    me = bearer(owner.user_id)
    job = await pasted(importer, owner.user_id, "0612351001")
    path = f"/v1/imports/{job['import_id']}"
    await age(importer, job["import_id"], 1.01)  # not purged yet: gone all the same

    answers = [await importer.http.get(f"{path}/{name}", headers=me) for name in ROW_ANSWERS]
    answers.append(await importer.http.post(f"{path}/invitations", json={}, headers=me))

    for answer in answers:
        assert answer.status_code == 410, answer.request.url
        problem = answer.json()
        assert (problem["error"], problem["field"]) == ("import_rows_purged", None)
        assert "kept 1 day after an import finishes (IMPORT_RETENTION_DAYS)" in problem["detail"]
        assert f"GET {path}" in problem["detail"]
    progress = await importer.http.get(f"{path}/progress", headers=me)
    assert progress.status_code == 200 and "event: end" in progress.text  # counts are kept
    stranger = await importer.http.get(f"{path}/rows", headers=bearer(uuid.uuid4()))
    assert stranger.status_code == 404  # someone else's import is still not found

    await ImportPurge(ONE_DAY).purge(importer.pool)  # leaves no import due to the next tests
    assert (await importer.http.get(f"{path}/rows", headers=me)).status_code == 410


async def test_running_and_waiting_imports_are_not_touched_and_uploads_waiting_too_long_expire(
    importer,
):
    owner = await importer.register("+33612352000", "Owner")
    me = bearer(owner.user_id)
    table = csv_bytes([["Mobile"], ["06 12 35 20 01"]])

    async def upload(**form: str) -> str:
        sent = await importer.http.post("/v1/imports/files", files={"file": ("l.csv", table)},
                                        data=form, headers=me)  # fmt: skip
        return str(sent.json()["import_id"])

    waiting, reviewed, fresh = await upload(), await upload(phone="Mobile"), await upload()
    await importer.finished(owner.user_id, reviewed)  # rows read, never started
    running = await upload(phone="Mobile", start="true")
    await importer.finished(owner.user_id, running)
    await importer.pool.execute(  # as if the pipeline were still on it, for days
        "UPDATE imports SET status = 'validating' WHERE import_id = $1", uuid.UUID(running)
    )
    for import_id in (waiting, reviewed, running):
        await age(importer, import_id, 1.01)
    kept_before = {i: await kept(importer, i) for i in (reviewed, running, fresh)}

    await ImportPurge(ONE_DAY).purge(importer.pool)

    for import_id in (waiting, reviewed):
        job = (await importer.http.get(f"/v1/imports/{import_id}", headers=me)).json()
        assert (job["status"], job["error"]["error"]) == ("failed", "import_expired")
        assert job["finished_at"] is not None and job["rows_purged_at"] is None
        assert (await kept(importer, import_id))["import_files"] == 0
        remap = await importer.http.put(f"/v1/imports/{import_id}/mapping",
                                        json={"phone": "Mobile"}, headers=me)  # fmt: skip
        assert (remap.status_code, remap.json()["error"]) == (409, "import_expired")
    assert (await kept(importer, reviewed))["import_rows"] == 1  # kept one retention more
    for import_id in (running, fresh):
        assert await kept(importer, import_id) == kept_before[import_id]
        job = (await importer.http.get(f"/v1/imports/{import_id}", headers=me)).json()
        assert job["error"] is None and job["rows_kept_until"] is None


async def test_two_instances_purging_at_once_delete_each_row_once(importer):
    owner = await importer.register("+33612353000", "Owner")
    numbers = [f"06123530{i:02d}" for i in range(1, 41)]
    ids = []
    for start in range(0, 40, 10):
        job = await pasted(importer, owner.user_id, ", ".join(numbers[start : start + 10]))
        ids.append(job["import_id"])
    for import_id in ids:
        await age(importer, import_id, 2)
    due = await importer.pool.fetchval(
        "SELECT count(*) FROM import_rows JOIN imports USING (import_id)"
        " WHERE rows_purged_at IS NULL AND finished_at < now() - interval '1 day'"
    )

    first, second = await asyncio.gather(
        ImportPurge(ONE_DAY, batch_size=3).purge(importer.pool),
        ImportPurge(ONE_DAY, batch_size=3).purge(importer.pool),
    )

    assert due >= 40 and first["import_rows"] + second["import_rows"] == due
    marked = await importer.pool.fetchval(
        "SELECT count(*) FROM imports WHERE import_id = ANY($1::uuid[])"
        " AND rows_purged_at IS NOT NULL", [uuid.UUID(i) for i in ids],
    )  # fmt: skip
    assert marked == 4
    assert await ImportPurge(ONE_DAY).purge(importer.pool) == dict.fromkeys(IMPORT_TABLES, 0)


async def test_the_service_purges_in_its_retention_loop_and_counts_the_rows(
    postgres_admin_url, kafka_bootstrap, tmp_path
):
    purging_often = keeping_a_day(
        postgres_admin_url, kafka_bootstrap, tmp_path, RETENTION_PURGE_MINUTES="0.01"
    )
    async with purging_often as importer:
        owner = await importer.register("+33612354000", "Owner")
        job = await pasted(importer, owner.user_id, "0612354001, 0612354002")
        await age(importer, job["import_id"], 1.5)
        me = bearer(owner.user_id)

        async def purged() -> bool:
            now = (await importer.http.get(f"/v1/imports/{job['import_id']}", headers=me)).json()
            return now["rows_purged_at"] is not None

        await importer.until(purged)
        metrics = (await importer.http.get("/metrics")).text
        assert await kept(importer, job["import_id"]) == dict.fromkeys(IMPORT_TABLES, 0)
    assert 'messaging_rows_purged_total{table="import_rows"} 2.0' in metrics


async def test_every_way_an_import_ends_sets_when_it_finished_and_taking_it_up_clears_it(importer):
    owner = await importer.register("+33612355000", "Owner")
    sent = await importer.http.post(
        "/v1/imports/files", files={"file": ("l.csv", csv_bytes([["Mobile"], ["0612355001"]]))},
        headers=bearer(owner.user_id),
    )  # fmt: skip
    import_id = uuid.UUID(sent.json()["import_id"])

    async def becomes(status: str):
        return await importer.pool.fetchval(
            "UPDATE imports SET status = $2 WHERE import_id = $1 RETURNING finished_at",
            import_id, status,
        )  # fmt: skip

    assert await becomes("extracting") is None
    failed_at = await becomes("failed")  # a file refused, a closed account, an expiry
    assert failed_at is not None
    assert await becomes("replaced") == failed_at  # "Back" after it failed: it ended then
    assert await becomes("uploaded") is None  # a failed import read again: running again
    assert await becomes("completed") is not None
