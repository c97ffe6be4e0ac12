"""Imports in Postgres (the caller holds the connection and transaction); their rows:
import_rows_repository."""

from __future__ import annotations

import json
from dataclasses import asdict, replace
from datetime import datetime
from typing import Any
from uuid import UUID

import asyncpg

from importer_service.domain.model import (
    JSON_COLUMNS,
    UNFINISHED,
    Import,
    ImportStatus,
    NewImport,
)


async def create(conn: asyncpg.Connection, new: NewImport) -> None:
    """Insert the new import (its first status checked by `NewImport`)."""
    values = _stored(asdict(new))
    columns, params = ", ".join(values), ", ".join(f"${i}" for i in range(1, len(values) + 1))
    await conn.execute(f"INSERT INTO imports ({columns}) VALUES ({params})", *values.values())


async def get(
    conn: asyncpg.Connection, import_id: UUID, *, for_update: bool = False
) -> Import | None:
    row = await conn.fetchrow(
        "SELECT * FROM imports WHERE import_id = $1" + (" FOR UPDATE" if for_update else ""),
        import_id,
    )
    return Import.from_row(row) if row else None


async def save(conn: asyncpg.Connection, job: Import) -> Import:
    """Write the columns the import's changes touched (`Import.unsaved`), and nothing else:
    a step holding a copy read before another step counted a chunk done never writes the
    counters back. The import returned has nothing unsaved; the columns Postgres keeps
    (`finished_at`, by the trigger of migration 0008) are as they were read."""
    if not job.unsaved:
        return job
    changed = _stored({name: getattr(job, name) for name in sorted(job.unsaved)})
    assignments = ", ".join(f"{name} = ${i}" for i, name in enumerate(changed, start=2))
    await conn.execute(
        f"UPDATE imports SET {assignments} WHERE import_id = $1", job.import_id, *changed.values()
    )
    return replace(job, unsaved=frozenset())


def _stored(values: dict[str, Any]) -> dict[str, Any]:
    """Column values as asyncpg takes them: JSON columns as text, statuses as their value."""
    for name in JSON_COLUMNS:
        if values.get(name) is not None:
            values[name] = json.dumps(values[name])
    if "status" in values:
        values["status"] = ImportStatus(values["status"]).value
    return values


async def list_for_owner(
    conn: asyncpg.Connection, owner_id: UUID, limit: int, before: tuple[datetime, UUID] | None
) -> list[Import]:
    """The owner's imports, newest first, from just after `before` (created_at, import_id)."""
    rows = await conn.fetch(
        "SELECT * FROM imports WHERE owner_id = $1"
        " AND ($3::timestamptz IS NULL OR (created_at, import_id) < ($3, $4::uuid))"
        " ORDER BY created_at DESC, import_id DESC LIMIT $2",
        owner_id, limit, *(before or (None, None)),
    )  # fmt: skip
    return [Import.from_row(r) for r in rows]


async def count_chunk_done(
    conn: asyncpg.Connection, import_id: UUID, stage: str, rows: int, counts: dict[str, int]
) -> tuple[int, int]:
    """Count one more chunk done in `stage` (parsed/emitted), of `rows` rows, and add `counts`
    (rows per final status, emitted chunks only) to the import's; (chunks done in the stage
    with this one, the import's chunk count). The row lock makes each count seen by exactly
    one step: the one that reaches the chunk count is the stage's last."""
    chunks, done = {"parsed": ("parsed_chunks", "rows_parsed"),
                    "emitted": ("emitted_chunks", "rows_done")}[stage]  # fmt: skip
    row = await conn.fetchrow(
        f"UPDATE imports SET {chunks} = {chunks} + 1, {done} = {done} + $2,"
        f" counts = {_ADDED_COUNTS} WHERE import_id = $1 RETURNING {chunks} AS done, chunk_count",
        import_id, rows, json.dumps(counts),
    )  # fmt: skip
    return int(row["done"]), int(row["chunk_count"])


_ADDED_COUNTS = """(SELECT coalesce(jsonb_object_agg(status, total), imports.counts) FROM (
    SELECT status, sum(n::int) AS total FROM (
        SELECT * FROM jsonb_each_text(coalesce(imports.counts, '{}'::jsonb))
        UNION ALL SELECT * FROM jsonb_each_text($3::jsonb)) AS added (status, n)
    GROUP BY status) AS sums)"""


_FAIL_UNFINISHED = """
UPDATE imports SET status = 'failed', error = $2::jsonb
WHERE import_id = ANY(SELECT import_id FROM imports WHERE owner_id = $1
    AND status = ANY($3::text[]) FOR UPDATE SKIP LOCKED)
RETURNING import_id
"""


async def fail_unfinished(
    conn: asyncpg.Connection, owner_id: UUID, error: dict[str, str]
) -> list[UUID]:
    """Mark the owner's unfinished imports failed with `error`; their ids. An import another
    transaction holds right now is skipped, not waited for (a long extraction): hence one
    statement with `SKIP LOCKED` rather than `Import.failed` and `save`, a change
    `domain/lifecycle.ALLOWED` allows from every UNFINISHED status."""
    rows = await conn.fetch(
        _FAIL_UNFINISHED, owner_id, json.dumps(error), [s.value for s in UNFINISHED]
    )
    return [row["import_id"] for row in rows]
