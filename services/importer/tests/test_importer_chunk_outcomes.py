"""The emit step's work per row (handlers/chunk_outcomes.py): each row's status by the rules of
domain/statuses.py, its `ImportRowValidated` record as the model writes it, the `user_added`
rows and the counts; and the same answers from the worker processes, slice by slice."""

from __future__ import annotations

import json
import uuid
from collections import Counter

import pytest
from contacts_events import EventContext, ImportRowValidated, ImportSource
from contacts_messaging.bulk import expand, joined, template_json
from contacts_messaging.producer_settings import ProducerSettings
from importer_service.adapters.chunk_workers import ChunkWorkers
from importer_service.adapters.row_events import RowEventWriter
from importer_service.handlers.chunk_outcomes import (
    ChunkCheck,
    ChunkFacts,
    ChunkOutcomes,
    chunk_outcomes,
)

from .status_rows import decoded, rows_csv

pytestmark = pytest.mark.unit
PACKING = ProducerSettings()  # zstd, batches of 1 MB: the defaults

IMPORT, OWNER, ADA, BEA = uuid.uuid4(), uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
ROWS = [  # (row_number, raw_phone, display_name, first_name, last_name, email)
    (2, "06 12 34 56 78", None, "Ada", "Marsh", "ada@example.org"),
    (3, "nope", "  Eve\u202e  ", None, None, "not an email"),
    (4, "06 12 34 56 79", "Bea", None, None, None),
    (5, "+33 6 12 34 56 78", None, None, None, " cem@example.org "),
    (6, "06 00 00 00 01", None, None, None, None),
    (7, "06 00 00 00 02", "Dov", None, None, None),
    (8, "06 00 00 00 03", "Me", None, None, None),
]
PHONES = ["+33612345678", None, "+33612345679", "+33612345678", "+33600000001", "+33600000002",
          "+33600000003"]  # fmt: skip
CODES = ["valid_mobile", "invalid_number", *["valid_mobile"] * 5]
REASONS = ["", "Not a phone number.", *[""] * 5]
FACTS = ChunkFacts(
    users={"+33612345678": ADA, "+33612345679": BEA, "+33600000003": OWNER},
    first_rows={"+33612345678": 2},
    contacts=frozenset({BEA}),
    invited=frozenset({"+33600000002"}),
    owner_phone="+33600000003",
)


def rows_of(rows: list) -> tuple[bytes, list[int]]:
    """`ChunkCheck`'s first two fields: the rows as the service fetches them, their numbers."""
    return rows_csv(rows), [row[0] for row in rows]


def writer() -> RowEventWriter:
    context = EventContext(tenant="acme", actor=str(OWNER))
    return RowEventWriter(IMPORT, OWNER, ImportSource.FILE, context, "/services/importer", PACKING)


def events(made: ChunkOutcomes, by: RowEventWriter) -> list[ImportRowValidated]:
    template = json.loads(template_json(by.template))
    return [
        ImportRowValidated.model_validate_json(v)
        for v, _ in expand(template, joined([made.records]).data)
    ]


def test_each_row_gets_its_status_its_event_and_the_counts_add_up() -> None:
    by = writer()
    made = chunk_outcomes(ChunkCheck(*rows_of(ROWS), PHONES, CODES, REASONS), FACTS, by)
    stored = [status[1:] for status in decoded(made.statuses)]  # as COPY writes them
    assert {status[0] for status in decoded(made.statuses)} == {IMPORT}
    assert [(o[0], o[2], o[3]) for o in stored] == [
        (2, "user_added", "user_added"),
        (3, "invalid", "invalid_number"),
        (4, "already_contact", "already_contact"),
        (5, "duplicate_in_import", "duplicate_in_import"),
        (6, "ready_to_invite", "ready_to_invite"),
        (7, "already_invited", "already_invited"),
        (8, "self", "self"),
    ]
    assert stored[1][1] is None and stored[1][4] == "Not a phone number."
    assert stored[3][4] == "Same number as row 2."
    assert [o[5] for o in stored] == [ADA, None, BEA, None, None, None, OWNER]
    assert made.user_added == [(2, ADA)]
    assert made.counts == Counter(o[2] for o in stored) and sum(made.counts.values()) == 7
    sent = events(made, by)
    assert [e.row_number for e in sent] == [2, 3, 4, 5, 6, 7, 8]
    assert [e.display_name for e in sent[:3]] == ["Ada Marsh", "Eve", "Bea"]
    assert [e.email for e in sent[:4]] == ["ada@example.org", None, None, "cem@example.org"]
    assert sent[1].phone_e164 is None and sent[0].matched_user_id == ADA
    assert all(e.import_id == IMPORT and e.owner_id == OWNER for e in sent)


async def test_the_workers_give_the_in_process_answers_slice_by_slice() -> None:
    rows = [(n, f"06 12 34 {n // 100:02d} {n % 100:02d}", f"N{n}", None, None, None)
            for n in range(2, 62)]  # fmt: skip
    phones = [f"+336123400{n:02d}" if n % 5 else None for n in range(2, 62)]
    codes = ["valid_mobile" if p else "invalid_number" for p in phones]
    reasons = ["" if p else "Not a phone number." for p in phones]
    by = writer()
    alone = chunk_outcomes(ChunkCheck(*rows_of(rows), phones, codes, reasons), FACTS, by)
    workers = ChunkWorkers(2, min_rows_per_process=10)
    workers.start()
    try:
        slices = workers.slices(len(rows))
        assert len(slices) == 2
        parts = await workers.spread(
            chunk_outcomes,
            [
                (ChunkCheck(*rows_of(rows[s]), phones[s], codes[s], reasons[s]), FACTS, by)
                for s in slices
            ],
        )
        assert workers._pool is not None  # it did use the processes
    finally:
        workers.close()
    assert b"".join(part.statuses for part in parts) == alone.statuses
    assert [e for part in parts for e in events(part, by)] == events(alone, by)
    assert sum((part.counts for part in parts), Counter()) == alone.counts


def test_a_chunk_is_shared_out_only_when_each_slice_is_large_enough() -> None:
    workers = ChunkWorkers(2, min_rows_per_process=1000)
    assert workers.slices(1999) == [slice(0, 1999)]
    assert workers.slices(10_000) == [slice(0, 5000), slice(5000, 10_000)]
    assert workers.slices(0) == [slice(0, 0)]
    assert ChunkWorkers(1).slices(10_000) == [slice(0, 10_000)]


def test_long_texts_are_cut_as_the_event_allows_and_other_scripts_kept() -> None:
    rows = [
        (2, "x" * 300, "N" * 250, None, None, " zoë@example.org "),
        (3, "06 12 34 56 78", None, "李", "\u200b小龙", "ada@exa mple.org"),
    ]
    check = ChunkCheck(*rows_of(rows), [None, "+33612345678"], ["invalid_number", "valid_mobile"],
                       ["Not a phone number.", ""])  # fmt: skip
    by = writer()
    first, second = events(
        chunk_outcomes(check, ChunkFacts({}, {}, frozenset(), frozenset(), None), by), by
    )
    assert first.raw_phone == "x" * 256 and first.display_name == "N" * 200
    assert first.email == "zoë@example.org"
    assert second.display_name == "李 小龙" and second.email is None


def test_rows_other_than_those_parsed_are_refused() -> None:
    """The rows fetched for the emit step must be the rows whose checks it has (a row missing,
    or another slice's): never a status given to the wrong row."""
    fetched, numbers = rows_of(ROWS)
    for expected in ([2, 3, 4, 5, 6, 7, 9], [2, 3, 4, 5, 6, 7]):
        check = ChunkCheck(fetched, expected, PHONES[: len(expected)], CODES[: len(expected)],
                           REASONS[: len(expected)])  # fmt: skip
        with pytest.raises(RuntimeError, match="not those that were parsed"):
            chunk_outcomes(check, FACTS, writer())
    assert numbers == [2, 3, 4, 5, 6, 7, 8]
