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
    async with running_importer(postgres_admin_url, kafka_bootstrap, tmp_path) as it:
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


async def test_the_erasure_finds_a_number_among_many_rows_through_its_index(
    importer: ImporterUnderTest,
):
    """With as many stored statuses as a large import leaves, the erasure's statement reads the
    number's rows through `import_row_statuses_by_number`, never every row."""
    phone, others = "+447400555666", uuid.uuid4()
    await importer.pool.execute(
        """
        INSERT INTO import_row_statuses (import_id, row_number, phone_e164, status)
        SELECT $1, g, '+4479' || lpad(g::text, 8, '0'), 'ready_to_invite'
        FROM generate_series(1, 200000) AS g
        """,
        others,
    )
    mark = "UPDATE import_row_statuses SET phone_e164 = $2 WHERE import_id = $1 AND row_number = $3"
    for row in (12_345, 199_999):
        await importer.pool.execute(mark, others, phone, row)
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
    assert [r["row_number"] for r in erased] == [12_345, 199_999]
    nodes = list(_nodes(json.loads(plan)[0]["Plan"]))
    assert not [n for n in nodes if n["Node Type"] == "Seq Scan"], nodes
    assert "import_row_statuses_by_number" in {n.get("Index Name") for n in nodes}, nodes


def _nodes(plan: dict) -> Iterator[dict]:
    yield plan
    for child in plan.get("Plans", []):
        yield from _nodes(child)
