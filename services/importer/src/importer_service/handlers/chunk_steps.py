"""The two per-chunk steps of the pipeline: parse the numbers, then give final statuses.

Parsing reads the chunk's numbers, checks them (on the worker processes for large chunks, see
chunk_workers: they hand back each slice's checks ready to store) and stores the results as
one row per chunk (`chunk_checks`). The emit step reads them back, looks up what the importer
knows of the numbers, fetches each slice's rows as CSV (`row_frames`: the workers read them)
and has the workers classify and serialise (chunk_outcomes: the records, and the statuses as
binary COPY tuples), and writes each row's final status once (one COPY into
`import_row_statuses`), the chunk's `ImportRowValidated` events as one bulk outbox row (record
batches the workers built with the producers' `packing`), and an `ImportRowMatched` per
`user_added` row (for the contacts service, row_matches.py). Lookups for a chunk are a handful
of set queries, never one per row.
"""

from __future__ import annotations

from collections import Counter

import asyncpg
from contacts_events import EventContext, ImportSource
from contacts_messaging.outbox import Outbox
from contacts_messaging.producer_settings import ProducerSettings

from importer_service.adapters import chunk_checks, projection, row_frames
from importer_service.adapters import import_rows_repository as import_rows
from importer_service.adapters.chunk_workers import ChunkWorkers
from importer_service.adapters.metrics import count_rows_validated
from importer_service.adapters.row_events import RowEventWriter
from importer_service.adapters.row_matches import row_matches
from importer_service.domain.model import Import
from importer_service.handlers.chunk_outcomes import ChunkCheck, ChunkFacts, chunk_outcomes


async def parse(
    conn: asyncpg.Connection, job: Import, first: int, last: int, workers: ChunkWorkers
) -> int:
    """Parse every number of the chunk; the statuses wait for the whole import to be parsed.
    Returns how many rows the chunk has."""
    ranges = workers.row_ranges(first, last)
    parts = [await row_frames.rows_csv(conn, job.import_id, a, b, row_frames.PARSE)
             for a, b in ranges]  # fmt: skip
    checked = await workers.check(parts, job.default_region)
    await chunk_checks.store(conn, job.import_id, first, checked)
    rows = sum(part.rows for part in checked)
    count_rows_validated(rows)
    return rows


async def emit(
    conn: asyncpg.Connection,
    outbox: Outbox,
    context: EventContext,
    job: Import,
    first: int,
    last: int,
    workers: ChunkWorkers,
    packing: ProducerSettings,
) -> Counter[str]:
    """Final statuses of the chunk's rows, one ImportRowValidated per row and one
    ImportRowMatched per `user_added` row; how many rows got each status. The statuses and
    records are made by the workers (`chunk_outcomes`), slice by slice."""
    checks = await chunk_checks.load(conn, job.import_id, first)
    if checks is None:
        raise RuntimeError(f"import {job.import_id}: rows {first}..{last} were not parsed")
    facts = await _facts(conn, job, [p for p in checks.phones if p is not None])
    source = ImportSource(job.source)
    writer = RowEventWriter(job.import_id, job.owner_id, source, context, outbox.source, packing)
    slices = [(s, checks.row_numbers[s]) for s in workers.slices(len(checks.row_numbers))]
    parts = await workers.spread(
        chunk_outcomes,
        [
            (ChunkCheck(await _rows_csv(conn, job, numbers), numbers, checks.phones[s],
                        checks.reason_codes[s], checks.reasons[s]),
             facts, writer)
            for s, numbers in slices
        ],
    )  # fmt: skip
    await import_rows.store_statuses(conn, [part.statuses for part in parts])
    await writer.write(conn, outbox, [part.records for part in parts])
    matched = [match for part in parts for match in part.user_added]
    await outbox.add(conn, row_matches(job.import_id, job.owner_id, source, matched), context)
    return sum((part.counts for part in parts), Counter())


async def _rows_csv(conn: asyncpg.Connection, job: Import, numbers: list[int]) -> bytes:
    """The slice's stored rows as the workers read them (`row_frames`); the workers check that
    they are the rows `numbers` names."""
    if not numbers:
        return b""
    return await row_frames.rows_csv(conn, job.import_id, numbers[0], numbers[-1], row_frames.EMIT)


async def _facts(conn: asyncpg.Connection, job: Import, phones: list[str]) -> ChunkFacts:
    """What the importer knows about the chunk's valid numbers: a handful of set queries."""
    users = await projection.users_by_phone(conn, phones)
    return ChunkFacts(
        users=users,
        first_rows=await chunk_checks.first_rows(conn, job.import_id, phones),
        contacts=frozenset(
            await projection.contacts_among(conn, job.owner_id, list(users.values()), job.import_id)
        ),
        invited=frozenset(await projection.invited_among(conn, job.owner_id, phones)),
        owner_phone=await projection.owner_phone(conn, job.owner_id),
    )
