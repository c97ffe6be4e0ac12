"""A chunk's statuses as binary `COPY` tuples (adapters/status_copy.py): they read back as the
values given, any text, and Postgres takes them into `import_row_statuses`' columns as such."""

from __future__ import annotations

import uuid

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from importer_service.adapters import import_rows_repository as import_rows
from importer_service.adapters.status_copy import status_tuples

from .status_rows import StatusRow, decoded

IMPORT = uuid.uuid4()
TEXT = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=300)
ROWS = st.lists(
    st.tuples(
        st.integers(1, 2**31 - 1), st.none() | TEXT, st.sampled_from(["invalid", "self", "é"]),
        TEXT, TEXT, st.none() | st.uuids(),
    ),
    max_size=40,
)  # fmt: skip


def tuples_of(rows: list[tuple[int, str | None, str, str, str, uuid.UUID | None]]) -> bytes:
    columns = list(zip(*rows, strict=True)) or [()] * 6
    return status_tuples(IMPORT, *columns)  # type: ignore[arg-type]


@pytest.mark.unit
@settings(max_examples=300)
@given(ROWS)
def test_the_tuples_read_back_as_the_statuses_given(rows) -> None:
    assert decoded(tuples_of(rows)) == [(IMPORT, *row) for row in rows]


@pytest.mark.unit
def test_rows_that_share_a_status_and_reason_share_their_encoding_but_keep_their_own_values():
    rows = [(n, f"+3361234567{n}", "ready_to_invite", "ready_to_invite", "Ready.", None)
            for n in range(1, 6)]  # fmt: skip
    rows.append((6, None, "invalid", "too_short", "Trop court : 3 chiffres.", None))
    rows.append((7, "+33612345671", "user_added", "user_added", "Ready.", IMPORT))
    assert decoded(tuples_of(rows)) == [(IMPORT, *row) for row in rows]


@pytest.mark.integration
async def test_postgres_stores_the_tuples_of_several_parts_as_their_rows(schema_pool) -> None:
    first = [(1, "+33612345678", "user_added", "user_added", "Déjà inscrit.", uuid.uuid4()),
             (2, None, "invalid", "not_a_number", "« 06 » n'est pas un numéro.", None)]  # fmt: skip
    second = [(3, "+447700900123", "ready_to_invite", "ready_to_invite", "Ready.", None)]
    async with schema_pool.acquire() as conn, conn.transaction():
        await conn.execute(
            "CREATE TABLE import_row_statuses (import_id uuid NOT NULL, row_number integer NOT"
            " NULL, phone_e164 text, status text NOT NULL, reason_code text, reason text,"
            " matched_user_id uuid, PRIMARY KEY (import_id, row_number))"
        )  # the columns of the importer's migration 0009
        await import_rows.store_statuses(conn, [tuples_of(first), tuples_of(second)])
        stored: list[StatusRow] = [
            tuple(r)  # type: ignore[misc]
            for r in await conn.fetch("SELECT * FROM import_row_statuses ORDER BY row_number")
        ]
    assert stored == [(IMPORT, *row) for row in first + second]
