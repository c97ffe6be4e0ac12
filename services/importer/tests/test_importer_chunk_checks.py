"""A chunk's checks stored and read back as they were (adapters/chunk_checks.py), through the
joined-text parameters of adapters/joined_lists.py: NULL numbers, a lone row, free-text
reasons with commas, quotes and other scripts, and an empty chunk. A valid number's code and
sentence, always `valid_mobile`'s, are not stored."""

from __future__ import annotations

import uuid

import pytest
from importer_service.adapters import chunk_checks
from importer_service.adapters.chunk_checks import CheckedSlice, ChunkChecks
from importer_service.adapters.joined_lists import joined, joined_ints, joined_parts, texts_json
from importer_service.domain.phone_reasons import VALID_MOBILE

from .conftest import ImporterUnderTest

CHECKS = [
    ChunkChecks(
        [2, 3, 5, 9],
        ["+33612345678", None, "+447700900123", None],
        [VALID_MOBILE.code, "invalid_number", VALID_MOBILE.code, "unknown_country"],
        [
            VALID_MOBILE.sentence,
            'Not a phone number, "really".',
            VALID_MOBILE.sentence,
            "Unknown country: «Ελλάδα», 国 \\ 1.",
        ],
    ),
    ChunkChecks([7], [None], ["empty"], ["No phone number."]),
    ChunkChecks([], [], [], []),
]


@pytest.mark.integration
@pytest.mark.parametrize("checks", CHECKS, ids=["mixed", "one-invalid-row", "empty"])
async def test_a_chunks_checks_come_back_as_they_were_stored(
    importer: ImporterUnderTest, checks: ChunkChecks
) -> None:
    import_id, half = uuid.uuid4(), len(checks.row_numbers) // 2
    slices = [  # as two workers checked them: the first one's slice empty for a lone row
        CheckedSlice.of(checks.row_numbers[s], checks.phones[s], checks.reason_codes[s],
                        checks.reasons[s])
        for s in (slice(0, half), slice(half, None))
    ]  # fmt: skip
    async with importer.pool.acquire() as conn:
        await chunk_checks.store(conn, import_id, 2, slices)
        await chunk_checks.store(conn, import_id, 2, slices)  # a step run again: replaced
        assert await chunk_checks.load(conn, import_id, 2) == checks
        stored = await conn.fetchrow(
            "SELECT reason_codes, reasons FROM import_chunk_checks WHERE import_id = $1", import_id
        )
        invalid = [phone is None for phone in checks.phones]
        assert [code is not None for code in stored["reason_codes"]] == invalid
        assert [reason is not None for reason in stored["reasons"]] == invalid
        await chunk_checks.forget(conn, import_id)


@pytest.mark.unit
@pytest.mark.parametrize("value", ["+33,6", "-", "", ",", "+33,"])
def test_a_value_that_would_split_or_vanish_is_refused(value: str) -> None:
    """Anywhere in the list, among text only (checked on the joined text) or with numbers and
    NULLs (checked value by value)."""
    for values in (["+33612345678", value], [value, "+33612345678"], [value], [2, None, value]):
        with pytest.raises(ValueError, match="joined"):
            joined(values)


@pytest.mark.unit
def test_joined_values_and_json_texts() -> None:
    assert joined([2, 3, None, "valid_mobile"]) == "2,3,-,valid_mobile"
    assert joined([]) == ""
    assert joined_ints([2, 30, 400]) == "2,30,400"
    assert joined_parts(["2,3", "", "-", ""]) == joined([2, 3, None])
    assert texts_json(['a, "b"', "é"]) == '["a, \\"b\\"", "é"]'


@pytest.mark.unit
def test_a_fault_found_while_reading_a_row_refuses_its_number() -> None:
    """A row whose cell was too long to store is refused with that fault, whatever its
    (cut) number read as; the other rows keep their checks."""
    checked = CheckedSlice.of(
        [4, 5], ["+33612345678", "+33612345679"], [VALID_MOBILE.code] * 2,
        [VALID_MOBILE.sentence] * 2, {1: ("cell_too_long", "A cell is too long.")},
    )  # fmt: skip
    assert checked == CheckedSlice(
        "4,5", "+33612345678,-", "-,cell_too_long", 'null, "A cell is too long."', 2
    )
