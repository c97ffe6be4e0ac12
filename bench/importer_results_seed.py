"""A completed import of N rows written straight into the importer's tables, as the pipeline
leaves one (for bench/importer_results.py): most rows ready to invite, some invalid, duplicate,
already invited or users, each with its name cells, status, reason code, reason and E.164;
and its rows read back page by page, as the service reads them."""

from __future__ import annotations

import json
import random
import uuid
from collections import Counter
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import asyncpg
from contacts_names import FIRST_NAMES, LAST_NAMES
from kit import log

CHUNK_ROWS = 50_000
PAGE_ROWS = 5000  # the service's page (handlers/results.py)
OUTCOMES = [  # (share, status, reason code, reason)
    (0.90, "ready_to_invite", "ready_to_invite", "Ready to be invited by SMS."),
    (0.04, "invalid", "not_mobile", "This is a landline number: it cannot receive an SMS."),
    (0.02, "invalid", "too_short", "The number is too short."),
    (0.02, "duplicate_in_import", "duplicate_in_import", "Same number as row 2."),
    (0.01, "already_invited", "already_invited", "Already invited; the invitation is pending."),
    (0.01, "user_added", "user_added", "Already a user: added to your contacts."),
]
ROW_COLUMNS = ("import_id", "row_number", "raw_phone", "display_name", "first_name", "last_name",
               "email", "country")  # fmt: skip
STATUS_COLUMNS = ("import_id", "row_number", "phone_e164", "status", "reason_code", "reason",
                  "matched_user_id")  # fmt: skip


async def seed_completed_import(dsn: str, schema: str, rows: int) -> tuple[uuid.UUID, uuid.UUID]:
    """(owner, import id) of a completed file import of `rows` rows, its counts true."""
    owner, import_id = uuid.uuid4(), uuid.uuid4()
    conn = await asyncpg.connect(dsn, server_settings={"search_path": schema})
    counts: Counter[str] = Counter()
    try:
        for first in range(2, rows + 2, CHUNK_ROWS):
            chunk = _rows(import_id, first, min(first + CHUNK_ROWS, rows + 2), random.Random(first))
            counts.update(str(row[9]) for row in chunk)
            await conn.copy_records_to_table(
                "import_rows", records=[row[:8] for row in chunk], columns=ROW_COLUMNS
            )
            await conn.copy_records_to_table(
                "import_row_statuses", records=[row[:2] + row[8:] for row in chunk],
                columns=STATUS_COLUMNS,
            )  # fmt: skip
        await conn.execute(
            "INSERT INTO imports (import_id, owner_id, source, filename, file_format, headers,"
            " mapping, default_region, status, total_rows, counts, rows_done, created_at,"
            " completed_at) VALUES ($1, $2, 'file', 'bench.csv', 'csv', $3, $4, 'FR',"
            " 'completed', $5, $6, $5, $7, $7)",
            import_id, owner, json.dumps(["First", "Last", "Mobile", "Email"]),
            json.dumps({"phone": 2, "first_name": 0, "last_name": 1, "email": 3}), rows,
            json.dumps(counts), datetime.now(UTC),
        )  # fmt: skip
        await conn.execute("VACUUM (ANALYZE) import_rows, import_row_statuses")
    finally:
        await conn.close()
    log(f"seeded import {import_id}: {rows:,} rows, {dict(counts)}")
    return owner, import_id


def _rows(
    import_id: uuid.UUID, first: int, end: int, rng: random.Random
) -> list[tuple[object, ...]]:
    shares = [share for share, *_ in OUTCOMES]
    chosen = rng.choices(OUTCOMES, weights=shares, k=end - first)
    made: list[tuple[object, ...]] = []
    for number, (_, status, code, reason) in zip(range(first, end), chosen, strict=True):
        given, family = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        mobile = 600_000_000 + number
        e164 = None if status == "invalid" else f"+33{mobile}"
        user = uuid.uuid4() if status == "user_added" else None
        made.append((import_id, number, f"0{mobile // 100_000_000} {mobile % 100_000_000:08d}",
                     None, given, family, f"{given.lower()}.{number}@example.com", None, e164,
                     status, code, reason, user))  # fmt: skip
    return made


async def pages(dsn: str, schema: str, import_id: uuid.UUID) -> AsyncIterator[list[asyncpg.Record]]:
    """The import's rows in order, PAGE_ROWS at a time, by keyset, as the service reads them."""
    conn = await asyncpg.connect(dsn, server_settings={"search_path": schema})
    last = 0
    try:
        while rows := await conn.fetch(
            "SELECT * FROM import_row_results WHERE import_id = $1 AND row_number > $2"
            " ORDER BY row_number LIMIT $3", import_id, last, PAGE_ROWS,
        ):  # fmt: skip
            last = rows[-1]["row_number"]
            yield rows
    finally:
        await conn.close()
