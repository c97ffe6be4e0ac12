"""Retries with an Idempotency-Key change nothing more (one import, the quota spent once), and
every list pages with an opaque cursor."""

from __future__ import annotations

import json
import uuid

import pytest
from importer_service.adapters import import_rows_repository

from .conftest import bearer
from .files import csv_bytes

pytestmark = pytest.mark.integration


async def test_a_retried_paste_creates_one_import_and_spends_the_quota_once(importer):
    owner = await importer.register("+33612361000", "Owner")
    me = {**bearer(owner.user_id), "Idempotency-Key": "paste-1"}
    body = {"text": "06 12 36 10 01, 06 12 36 10 02"}
    first = await importer.http.post("/v1/imports/pasted", json=body, headers=me)
    left = await _quota_left(importer, owner.user_id)
    retried = await importer.http.post("/v1/imports/pasted", json=body, headers=me)
    assert (first.status_code, retried.status_code) == (201, 201)
    assert retried.json() == first.json()
    assert retried.headers["Idempotent-Replayed"] == "true"
    assert retried.headers["Location"] == first.headers["Location"]
    assert await _imports_of(importer, owner.user_id) == 1
    assert await _quota_left(importer, owner.user_id) == left  # not touched again

    other = await importer.http.post("/v1/imports/pasted", json={"text": "0612361003"}, headers=me)
    assert (other.status_code, other.json()["error"]) == (422, "idempotency_key_reused")
    assert other.json()["field"] == "Idempotency-Key"
    assert await _imports_of(importer, owner.user_id) == 1


async def test_a_retried_upload_start_and_invite_change_nothing_more(importer):
    owner = await importer.register("+33612361010", "Owner")
    me = bearer(owner.user_id)
    content = csv_bytes([["Mobile"], ["06 12 36 10 11"], ["06 12 36 10 12"]])

    async def upload(key: str, data: bytes = content, **form: str):
        return await importer.http.post(
            "/v1/imports/files", files={"file": ("l.csv", data)}, data={"phone": "Mobile", **form},
            headers={**me, "Idempotency-Key": key},
        )  # fmt: skip

    first, retried = await upload("up-1"), await upload("up-1")
    assert retried.json()["import_id"] == first.json()["import_id"]
    assert retried.headers["Idempotent-Replayed"] == "true"
    assert await _imports_of(importer, owner.user_id) == 1
    changed = await upload("up-1", content + b"06 12 36 10 13\n")  # another file, same key
    assert (changed.status_code, changed.json()["error"]) == (422, "idempotency_key_reused")
    other_form = await upload("up-1", default_region="GB")
    assert other_form.status_code == 422

    job = await importer.finished(owner.user_id, first.json()["import_id"])
    start = f"/v1/imports/{job['import_id']}/start"
    started = [await importer.http.post(start, headers={**me, "Idempotency-Key": "go"})
               for _ in range(2)]  # fmt: skip
    assert started[1].json() == started[0].json() and "Idempotent-Replayed" in started[1].headers
    await importer.finished(owner.user_id, job["import_id"])
    invite = f"/v1/imports/{job['import_id']}/invitations"
    invited = [await importer.http.post(invite, json={}, headers={**me, "Idempotency-Key": "inv"})
               for _ in range(2)]  # fmt: skip
    assert [i.json() for i in invited] == [{"requested": 2, "skipped": 0}] * 2  # replayed


async def test_imports_rows_and_refusals_page_with_a_cursor(importer):
    owner = await importer.register("+33612361020", "Owner")
    me = bearer(owner.user_id)
    made = []
    for n in range(3):
        sent = await importer.http.post(
            "/v1/imports/pasted", json={"text": f"0612361{n:03d}, 0612362{n:03d}"}, headers=me
        )
        made.append(sent.json()["import_id"])
    first = (await importer.http.get("/v1/imports", params={"limit": 2}, headers=me)).json()
    assert [j["import_id"] for j in first["items"]] == made[:0:-1]  # newest first
    second = (await importer.http.get("/v1/imports", params={"limit": 2, "cursor": first["next_cursor"]},
                                      headers=me)).json()  # fmt: skip
    assert ([j["import_id"] for j in second["items"]], second["next_cursor"]) == ([made[0]], None)

    job = await importer.finished(owner.user_id, made[0])
    rows = f"/v1/imports/{job['import_id']}/rows"
    page = (await importer.http.get(rows, params={"limit": 1}, headers=me)).json()
    rest = (
        await importer.http.get(rows, params={"cursor": page["next_cursor"]}, headers=me)
    ).json()
    assert [r["row_number"] for r in page["items"] + rest["items"]] == [1, 2]
    assert rest["next_cursor"] is None

    for path in ("/v1/imports", rows, f"/v1/imports/{job['import_id']}/invitations/refusals"):
        bad = await importer.http.get(path, params={"cursor": "not-ours"}, headers=me)
        assert (bad.status_code, bad.json()["error"], bad.json()["field"]) == (
            422, "bad_cursor", "cursor"
        )  # fmt: skip


async def _imports_of(importer, owner) -> int:
    return await importer.pool.fetchval("SELECT count(*) FROM imports WHERE owner_id = $1", owner)


async def _quota_left(importer, owner) -> tuple[float, object]:
    """The owner's bucket and when it was last spent from (any spend sets it)."""
    row = await importer.pool.fetchrow(
        "SELECT rows_left, updated_at FROM match_quota WHERE owner_id = $1", owner
    )
    return row["rows_left"], row["updated_at"]


async def test_the_rows_of_one_status_page_in_row_order(importer):
    """A page of one status reads that status's rows only (the statuses' index, not every
    row of the import), a page at a time, in row order."""
    owner = await importer.register("+33612361030", "Owner")
    me = bearer(owner.user_id)
    job = await importer.pasted(owner.user_id, "06 12 36 30 01, 12, 06 12 36 30 02, 0612, 06 12 36 30 03")  # fmt: skip
    rows = f"/v1/imports/{job['import_id']}/rows"

    async def pages(status: str) -> list[list[int]]:
        found, params = [], {"status": status, "limit": 1}
        while True:
            page = (await importer.http.get(rows, params=params, headers=me)).json()
            found.append([(r["row_number"], r["status"]) for r in page["items"]])
            if page["next_cursor"] is None:
                return found
            params = {**params, "cursor": page["next_cursor"]}

    assert await pages("invalid") == [[(2, "invalid")], [(4, "invalid")]]
    assert [r for page in await pages("ready_to_invite") for r in page] == [
        (1, "ready_to_invite"), (3, "ready_to_invite"), (5, "ready_to_invite")
    ]  # fmt: skip
    assert await pages("user_added") == [[]]
    every = (await importer.http.get(rows, params={"limit": 10}, headers=me)).json()["items"]
    assert [r["row_number"] for r in every] == [1, 2, 3, 4, 5]
    assert every[1]["raw_phone"] == "12" and every[1]["reason_code"]
    unknown = await importer.http.get(rows, params={"status": "format_error"}, headers=me)
    assert (unknown.status_code, unknown.json()["field"]) == (422, "status"), unknown.text


async def test_a_page_of_one_status_reads_only_that_many_rows_of_the_file(importer):
    """With the indexes as a large import uses them: a page of a status that 2 rows of 200
    have reads 2 of the file's rows, not every row before them."""
    owner = await importer.register("+33612361040", "Owner")
    numbers = [f"06 12 37 {n // 100:02d} {n % 100:02d}" for n in range(198)] + ["12", "0612"]
    job = await importer.pasted(owner.user_id, ", ".join(numbers))
    async with importer.pool.acquire() as conn, conn.transaction():
        await conn.execute("SET LOCAL enable_seqscan = off")
        plan = await conn.fetchval(
            f"EXPLAIN (ANALYZE, FORMAT JSON) {import_rows_repository._PAGE_OF_STATUS}",
            uuid.UUID(job["import_id"]), 0, 3, "invalid",
        )  # fmt: skip
    assert _rows_read(json.loads(plan)[0]["Plan"], "import_rows") == 2


def _rows_read(node: dict, table: str) -> int:
    here = 0
    if node.get("Relation Name") == table:
        here = (node["Actual Rows"] + node.get("Rows Removed by Filter", 0)) * node["Actual Loops"]
    return here + sum(_rows_read(child, table) for child in node.get("Plans", []))
