"""The importer's phone check per number with each engine, on the bulk bench's own list (issue 18,
target 1). Not a test.

    uv run python bench/importer_phone_engine.py [--rows 1048576] [--seed 7] [--rounds 3]

On the first 100,000 numbers of the list `importer_bulk.py` imports (`raw_sample`), in this
process, holding the machine-wide bench lock, it times `check_numbers` (what a phone-check
worker runs on a chunk) with rphonenumbers, with phonenumbers, and the yardstick
`raw_validation_rate` (bare phonenumbers parse + is_valid_number), taking turns in each round
so that the machine's other load falls on all three alike. It prints the best round of each, in µs per number, the load average,
and whether both engines gave every number the same check. See bench/IMPORTER.md.
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Callable

from importer_files import Population, raw_sample
from importer_service.adapters.chunk_workers import Checked, check_numbers
from importer_service.domain import phones
from importer_service.domain.phone_engine import PHONENUMBERS, RPHONENUMBERS, PhoneEngine
from importer_service.domain.phones import raw_validation_rate
from kit import machine_lock


def checked_with(engine: PhoneEngine, numbers: list[str]) -> Callable[[], Checked]:
    regions: list[str | None] = [None] * len(numbers)

    def run() -> Checked:
        phones.use_engine(engine)
        return check_numbers(numbers, "FR", regions)

    return run


def best_seconds(runs: dict[str, Callable[[], object]], rounds: int) -> dict[str, float]:
    """The best of `rounds` timings of each run, the runs taking turns within each round so
    that the machine's other load falls on all of them alike."""
    for run in runs.values():
        run()  # warm: caches, the Rust engine's metadata
    timings: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(rounds):
        for name, run in runs.items():
            started = time.perf_counter()
            run()
            timings[name].append(time.perf_counter() - started)
    return {name: min(spent) for name, spent in timings.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_048_576)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    numbers = raw_sample(Population(seed=args.seed), args.rows)
    runs: dict[str, Callable[[], object]] = {
        "check_numbers, rphonenumbers": checked_with(RPHONENUMBERS, numbers),
        "check_numbers, phonenumbers": checked_with(PHONENUMBERS, numbers),
        "raw_validation_rate (phonenumbers)": lambda: raw_validation_rate(numbers, "FR"),
    }
    with machine_lock("importer_phone_engine"):
        print(f"load average at start: {os.getloadavg()}")
        seconds = best_seconds(runs, args.rounds)
        print(f"load average at end:   {os.getloadavg()}")
    for name, spent in seconds.items():
        print(
            f"{name:40} {spent * 1e6 / len(numbers):6.2f} µs/number  {len(numbers) / spent:9,.0f}/s"
        )
    same = runs["check_numbers, rphonenumbers"]() == runs["check_numbers, phonenumbers"]()
    print(f"{len(numbers):,} numbers, the same checks with both engines: {same}")


if __name__ == "__main__":
    main()
