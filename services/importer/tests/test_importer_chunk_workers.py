"""A chunk's numbers checked on worker processes give what checking them in-process gives."""

import pytest
from importer_service.adapters.chunk_workers import ChunkWorkers, check_numbers

pytestmark = pytest.mark.unit

NUMBERS = ["06 12 34 56 78", "+44 7400 123456", "01 23 45 67 89", "abc", "", "0612", "+33 6 99"]


async def test_worker_processes_give_the_in_process_answers_in_order() -> None:
    raws = [
        f"06 12 34 {i // 100:02d} {i % 100:02d}" if i % 7 else NUMBERS[i % 7] for i in range(70)
    ]
    raws += NUMBERS
    regions = [None if i % 3 else "GB" for i in range(len(raws))]
    checkers = ChunkWorkers(2, min_rows_per_process=10)
    checkers.start()
    try:
        spread = await checkers.check(raws, "FR", regions)
        assert checkers._pool is not None  # it did use the processes
    finally:
        checkers.close()
    assert spread == check_numbers(raws, "FR", regions)
    phones, codes, _reasons = spread
    assert phones[1] == "+33612340001" and codes[1] == "valid_mobile"


async def test_a_small_chunk_stays_in_process() -> None:
    checkers = ChunkWorkers(4, min_rows_per_process=1000)
    assert await checkers.check(NUMBERS, "FR", [None] * 7) == check_numbers(
        NUMBERS, "FR", [None] * 7
    )
    assert checkers._pool is None
