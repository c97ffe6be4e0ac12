"""The parse pass's results per chunk, and the numbers an import has more than once.

Parsing writes one row per chunk (arrays in row order) instead of updating every import row;
once the whole import is parsed, one statement finds the numbers several rows share and the
first of those rows. The emit pass reads both and writes each row once, with its final status.
A valid number's code and sentence are always `valid_mobile`'s: they are stored as NULL (most
rows of a list are valid, and their sentence was a megabyte of JSON a chunk) and read back.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar
from uuid import UUID

import asyncpg

from importer_service.adapters.joined_lists import (
    INTS,
    JSON_TEXTS,
    TEXTS,
    joined,
    joined_ints,
    joined_parts,
    texts_json,
)
from importer_service.domain.phone_reasons import VALID_MOBILE

T = TypeVar("T")
V = TypeVar("V")


@dataclass(frozen=True, slots=True)
class ChunkChecks:
    """Per row of a chunk, in row order: E.164 (None when invalid), reason code and sentence."""

    row_numbers: list[int]
    phones: list[str | None]
    reason_codes: list[str]
    reasons: list[str]


@dataclass(frozen=True, slots=True)
class CheckedSlice:
    """A slice of a chunk's checks as `store` writes them, made where they were checked (a
    chunk worker), so that the service only joins the slices' texts: the row numbers and the
    numbers (`joined`), the codes of the invalid ones (`joined`, NULL where valid), their
    sentences (the elements of a JSON array, null where valid); and how many rows."""

    row_numbers: str
    phones: str
    codes: str
    reasons_json: str
    rows: int

    @classmethod
    def of(
        cls, row_numbers: Sequence[int], phones: Sequence[str | None], codes: Sequence[str],
        reasons: Sequence[str], faults: Mapping[int, tuple[str, str]] | None = None,
    ) -> CheckedSlice:  # fmt: skip
        """The slice's checks, with the rows of `faults` (index in the slice: code and
        sentence of a fault found while reading the row, such as a cell too long) refused."""
        if faults:
            phones, codes, reasons = list(phones), list(codes), list(reasons)
            for at, (code, reason) in faults.items():
                phones[at], codes[at], reasons[at] = None, code, reason
        return cls(
            joined_ints(row_numbers),
            joined(phones),
            joined(_of_invalid(phones, codes, None)),
            texts_json(_of_invalid(phones, reasons, None))[1:-1],
            len(row_numbers),
        )


async def store(
    conn: asyncpg.Connection, import_id: UUID, first_row: int, slices: Sequence[CheckedSlice]
) -> None:
    """The chunk's checks, its `slices` in row order. Idempotent: a step run again after a
    crash finds its row replaced."""
    await conn.execute(
        "INSERT INTO import_chunk_checks (import_id, first_row, row_numbers, phones, reason_codes,"
        f" reasons) VALUES ($1, $2, {INTS.format('$3')}, {TEXTS.format('$4')},"
        f" {TEXTS.format('$5')}, {JSON_TEXTS.format('$6')})"
        " ON CONFLICT (import_id, first_row) DO UPDATE"
        " SET row_numbers = excluded.row_numbers, phones = excluded.phones,"
        " reason_codes = excluded.reason_codes, reasons = excluded.reasons",
        import_id, first_row,
        joined_parts([part.row_numbers for part in slices]),
        joined_parts([part.phones for part in slices]),
        joined_parts([part.codes for part in slices]),
        f"[{joined_parts([part.reasons_json for part in slices])}]",
    )  # fmt: skip


async def load(conn: asyncpg.Connection, import_id: UUID, first_row: int) -> ChunkChecks | None:
    row = await conn.fetchrow(
        "SELECT row_numbers, phones, reason_codes, reasons FROM import_chunk_checks"
        " WHERE import_id = $1 AND first_row = $2",
        import_id,
        first_row,
    )
    if row is None:
        return None
    phones = row["phones"]
    return ChunkChecks(
        row["row_numbers"], phones,
        _of_invalid(phones, row["reason_codes"], VALID_MOBILE.code),
        _of_invalid(phones, row["reasons"], VALID_MOBILE.sentence),
    )  # fmt: skip


def _of_invalid(phones: Sequence[str | None], values: Sequence[T], valid: V) -> list[T | V]:
    """`values` where the number is invalid, `valid` where it is valid."""
    return [valid if p is not None else v for p, v in zip(phones, values, strict=True)]


async def find_duplicates(conn: asyncpg.Connection, import_id: UUID) -> None:
    """Once every chunk is parsed: each number several rows have, with the first such row."""
    await conn.execute(
        """
        INSERT INTO import_duplicates (import_id, phone_e164, first_row)
        SELECT $1, u.phone, min(u.row_number)
        FROM import_chunk_checks c, unnest(c.phones, c.row_numbers) AS u(phone, row_number)
        WHERE c.import_id = $1 AND u.phone IS NOT NULL
        GROUP BY u.phone HAVING count(*) > 1
        ON CONFLICT DO NOTHING
        """,
        import_id,
    )


async def first_rows(
    conn: asyncpg.Connection, import_id: UUID, phones: Sequence[str]
) -> dict[str, int]:
    """For those of `phones` several rows of the import have, the first of those rows."""
    rows = await conn.fetch(
        f"SELECT d.phone_e164, d.first_row FROM unnest({TEXTS.format('$2')}) AS p(phone)"
        " JOIN import_duplicates d ON d.import_id = $1 AND d.phone_e164 = p.phone",
        import_id,
        joined(phones),
    )
    return {r["phone_e164"]: r["first_row"] for r in rows}


async def forget(conn: asyncpg.Connection, import_id: UUID) -> None:
    """The import is complete: its statuses are in its rows."""
    await conn.execute("DELETE FROM import_chunk_checks WHERE import_id = $1", import_id)
    await conn.execute("DELETE FROM import_duplicates WHERE import_id = $1", import_id)
