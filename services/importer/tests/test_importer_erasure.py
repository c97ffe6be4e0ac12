"""A user's account closes: the importer erases their number from its projection and from the
import rows of every owner that carried it (marker `erased`, rows and statuses kept), and the
sent outbox rows of those imports; rows and imports of other numbers are untouched."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator

import pytest
from contacts_events import DeactivationReason, UserDeactivated
from importer_service.adapters.erasure import _ERASE_ROWS

from .conftest import ImporterUnderTest, bearer, running_importer

pytestmark = pytest.mark.integration


@pytest.fixture
async def importer(postgres_admin_url, kafka_bootstrap, tmp_path):
    # the newest statuses summarised only when a test says so
    settings = {"IMPORT_SUMMARY_SECONDS": "3600"}
    async with running_importer(postgres_admin_url, kafka_bootstrap, tmp_path, **settings) as it:
        yield it


async def test_a_closure_erases_the_number_from_every_import_that_held_it(
    importer: ImporterUnderTest,
):
    leaver = await importer.register("+447400111222")
    owner, bystander = uuid.uuid4(), "+447400333444"
    matched = await _finished_import(importer, owner, f"+447400111222\n{bystander}")
    other = await _finished_import(importer, uuid.uuid4(), bystander)
    closure = UserDeactivated(user_id=leaver.user_id, reason=DeactivationReason.CLOSED_BY_USER)
    await importer.events.publish(closure, times=2)  # redelivered too

    query = "SELECT phone_e164 FROM registered_users WHERE user_id = $1"
    await importer.until(lambda: _equals(importer.pool.fetchval(query, leaver.user_id), "erased"))
    rows = await importer.pool.fetch(
        "SELECT import_id, row_number, raw_phone, phone_e164, status FROM import_row_results"
        " ORDER BY import_id = $1 DESC, row_number",
        matched,
    )
    assert [(r["row_number"], r["raw_phone"], r["phone_e164"], r["status"]) for r in rows] == [
        (1, "erased", "erased", "user_added"),
        (2, bystander, bystander, "ready_to_invite"),
        (1, bystander, bystander, "ready_to_invite"),
    ]
    sent = "SELECT count(*) FROM outbox WHERE key = $1::text::bytea AND sent_at IS NOT NULL"
    assert await importer.pool.fetchval(sent, str(matched)) == 0
    assert await importer.pool.fetchval(sent, str(other)) > 0


async def _finished_import(importer: ImporterUnderTest, owner: uuid.UUID, text: str) -> str:
    pasted = await importer.http.post(
        "/v1/imports/pasted", json={"text": text, "default_region": "GB"}, headers=bearer(owner)
    )
    assert pasted.status_code == 201, pasted.text
    import_id = pasted.json()["import_id"]
    assert (await importer.finished(owner, import_id))["status"] == "completed"
    sent = "SELECT bool_and(sent_at IS NOT NULL) FROM outbox WHERE key = $1::text::bytea"
    await importer.until(lambda: importer.pool.fetchval(sent, import_id))
    return str(import_id)


async def _equals(value: object, expected: object) -> bool:
    return await value == expected  # type: ignore[misc]


async def test_the_erasure_finds_a_number_among_a_million_rows_through_its_bloom_index(
    importer: ImporterUnderTest,
):
    """With as many stored statuses as a large import leaves, the erasure's statement reads the
    number's rows through `import_row_statuses_number_bloom` (a bloom summary per 32 pages) rather
    than every row, and finds them in summarised ranges and in the newest, not yet summarised
    ones alike."""
    phone, others = "+447400555666", uuid.uuid4()
    fill = """
        INSERT INTO import_row_statuses (import_id, row_number, phone_e164, status)
        SELECT $1, g, '+4479' || lpad(g::text, 8, '0'), 'ready_to_invite'
        FROM generate_series($2::int, $3::int) AS g
    """
    mark = "UPDATE import_row_statuses SET phone_e164 = $2 WHERE import_id = $1 AND row_number = $3"
    await importer.pool.execute(fill, others, 1, 1_000_000)
    await importer.pool.execute(mark, others, phone, 123_456)
    await importer.pool.execute(
        "SELECT brin_summarize_new_values('import_row_statuses_number_bloom')"
    )
    await importer.pool.execute(fill, others, 1_000_001, 1_000_100)  # after the summaries
    await importer.pool.execute(mark, others, phone, 1_000_050)
    await importer.pool.execute("ANALYZE import_row_statuses")

    async with importer.pool.acquire() as conn:
        erasure = conn.transaction()
        await erasure.start()
        plan = await conn.fetchval(f"EXPLAIN (ANALYZE, FORMAT JSON) {_ERASE_ROWS}", phone, "erased")
        erased = await conn.fetch(
            "SELECT row_number FROM import_row_statuses WHERE import_id = $1"
            " AND phone_e164 = 'erased' ORDER BY row_number",
            others,
        )
        await erasure.rollback()
    assert [r["row_number"] for r in erased] == [123_456, 1_000_050]
    nodes = list(_nodes(json.loads(plan)[0]["Plan"]))
    types = [n["Node Type"] for n in nodes]
    assert "Seq Scan" not in types, types
    index_scan = next(n for n in nodes if n["Node Type"] == "Bitmap Index Scan")
    assert index_scan["Index Name"] == "import_row_statuses_number_bloom"
    heap = next(n for n in nodes if n["Node Type"] == "Bitmap Heap Scan")
    read = heap.get("Exact Heap Blocks", 0) + heap.get("Lossy Heap Blocks", 0)
    assert read < 1_000, f"{read} heap pages read for one number"  # the table has about 10,000


def _nodes(plan: dict) -> Iterator[dict]:
    yield plan
    for child in plan.get("Plans", []):
        yield from _nodes(child)
