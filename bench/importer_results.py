"""Full results downloads of a large import (issue 15): `GET /v1/imports/{id}/results.csv` and
`.xlsx` of a 1,048,576-row completed import, streamed by one importer process. Not a test.

    uv run python bench/importer_results.py [--rows 1048576] [--check] [--xlsxwriter]

For each download it prints the time to the last byte, the size, the importer's CPU seconds
and its peak RSS during the download (VmHWM, reset before each), beside baselines measured in
the same run: the importer's RSS at rest, the bench reading the same rows from Postgres page by
page as the service does (the floor of any download), and Postgres' own `COPY ... TO STDOUT
(FORMAT csv)` of them. `--check` reads both files back (every row there, the .xlsx readable).

The import is seeded straight into the importer's tables (COPY), completed, as the pipeline
leaves it: the downloads read only `import_rows`, and seeding a million rows through the whole
pipeline takes minutes that measure something else (bench/importer_bulk.py does that). It
starts its own Postgres and Kafka (importer_stack), holds the machine-wide bench lock while it
measures, and stops everything at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import sys
import tempfile
import time
import uuid
from pathlib import Path

import asyncpg
import httpx
from importer_flow import bearer
from importer_results_figure import Figure
from importer_results_seed import pages, seed_completed_import
from importer_results_xlsxwriter import with_xlsxwriter
from importer_stack import Infra, Scenario, running_infra, running_scenario
from importer_watch import reset_peak, status_kb
from kit import log, machine_lock, terminate_as_interrupt
from measure import process_cpu


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_048_576, help="rows of the import")
    parser.add_argument("--check", action="store_true", help="read both files back")
    parser.add_argument("--xlsxwriter", action="store_true",
                        help="also write the same rows with xlsxwriter (constant_memory) in the "
                             "bench's process: what the .xlsx writer was chosen against")  # fmt: skip
    return parser.parse_args(argv)


async def download(scenario: Scenario, path: str, owner: uuid.UUID, out: Path) -> Figure:
    pid = scenario.services[0].process.pid  # type: ignore[union-attr]
    reset_peak(pid)
    cpu, began, size = process_cpu(pid), time.monotonic(), 0
    done = asyncio.Event()
    async with (
        httpx.AsyncClient(base_url=scenario.url, timeout=httpx.Timeout(600, connect=10)) as http,
        asyncio.TaskGroup() as tasks,
    ):
        health = tasks.create_task(slowest_health(http, done))
        async with http.stream("GET", path, headers=bearer(owner)) as response:
            response.raise_for_status()
            with out.open("wb") as file:
                async for chunk in response.aiter_bytes():
                    size += len(chunk)
                    file.write(chunk)
        seconds = time.monotonic() - began
        done.set()
    return Figure(path.rsplit("/", 1)[-1], seconds, size / 1e6, process_cpu(pid) - cpu,
                  status_kb(pid, "VmHWM") / 1024, health.result())  # fmt: skip


async def slowest_health(http: httpx.AsyncClient, done: asyncio.Event) -> float:
    """The slowest `GET /health` of the importer, one every 50 ms until `done`: whether the
    download keeps its event loop from serving other requests."""
    slowest = 0.0
    while not done.is_set():
        began = time.monotonic()
        (await http.get("/health")).raise_for_status()
        slowest = max(slowest, (time.monotonic() - began) * 1000)
        await asyncio.sleep(0.05)
    return slowest


async def read_pages(dsn: str, schema: str, import_id: uuid.UUID) -> Figure:
    """The bench reading every row as the service does, a page at a time: the floor."""
    began, size = time.monotonic(), 0
    async for rows in pages(dsn, schema, import_id):
        size += sum(len(str(value)) for row in rows for value in row.values())
    return Figure("rows read page by page (bench)", time.monotonic() - began, size / 1e6)


async def copy_out(dsn: str, schema: str, import_id: uuid.UUID, out: Path) -> Figure:
    conn = await asyncpg.connect(dsn, server_settings={"search_path": schema})
    began = time.monotonic()
    try:
        await conn.copy_from_query(
            "SELECT * FROM import_row_results WHERE import_id = $1 ORDER BY row_number", import_id,
            output=str(out), format="csv",
        )  # fmt: skip
    finally:
        await conn.close()
    seconds, size = time.monotonic() - began, await asyncio.to_thread(os.path.getsize, out)
    return Figure("COPY TO STDOUT csv (Postgres)", seconds, size / 1e6)


def check(folder: Path, rows: int) -> None:
    import fastexcel  # the reader the importer itself uses

    lines = (folder / "results.csv").read_bytes().count(b"\r\n")
    reader = fastexcel.read_excel(folder / "results.xlsx")
    heights = [reader.load_sheet(name, header_row=None, dtypes="string").height
               for name in reader.sheet_names]  # fmt: skip
    data_rows = sum(heights) - len(heights)  # a header on each sheet
    print(f"check: csv {lines - 1:,} rows; xlsx sheets {reader.sheet_names} {data_rows:,} rows")
    if lines - 1 != rows or data_rows != rows:
        raise RuntimeError(f"expected {rows:,} rows in each file")


def report(figures: list[Figure], rest_mb: float) -> None:
    print(f"\nimporter RSS at rest before the downloads: {rest_mb:.0f} MB")
    print(f"{'what':<34} {'seconds':>8} {'MB':>8} {'MB/s':>7} {'cpu s':>6} {'peak RSS MB':>12}"
          f" {'/health max ms':>15}")  # fmt: skip
    for f in figures:
        cpu = f"{f.cpu_s:.1f}" if f.cpu_s is not None else "-"
        peak = f"{f.peak_mb:.0f}" if f.peak_mb is not None else "-"
        health = f"{f.health_max_ms:.0f}" if f.health_max_ms is not None else "-"
        print(f"{f.what:<34} {f.seconds:>8.1f} {f.megabytes:>8.1f} "
              f"{f.megabytes / f.seconds:>7.1f} {cpu:>6} {peak:>12} {health:>15}")  # fmt: skip


async def measure(infra: Infra, scenario: Scenario, args: argparse.Namespace, folder: Path) -> None:
    owner, import_id = await seed_completed_import(infra.dsn, scenario.schema, args.rows)
    pid = scenario.services[0].process.pid  # type: ignore[union-attr]
    with machine_lock("importer results bench"):
        log(f"load average {os.getloadavg()[0]:.2f}; measuring")
        rest_mb = status_kb(pid, "VmRSS") / 1024
        base = f"/v1/imports/{import_id}"
        figures = [
            await read_pages(infra.dsn, scenario.schema, import_id),
            await copy_out(infra.dsn, scenario.schema, import_id, folder / "copy.csv"),
            await download(scenario, f"{base}/results.csv", owner, folder / "results.csv"),
            await download(scenario, f"{base}/results.xlsx", owner, folder / "results.xlsx"),
        ]
        if args.xlsxwriter:
            out = folder / "xlsxwriter.xlsx"
            figures.append(await with_xlsxwriter(infra.dsn, scenario.schema, import_id, out))
    report(figures, rest_mb)
    if args.check:
        check(folder, args.rows)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    print(f"machine: {os.cpu_count()} cores, {platform.processor() or platform.machine()}, "
          f"Python {platform.python_version()}; {args.rows:,} rows")  # fmt: skip
    with (
        terminate_as_interrupt(),
        running_infra() as infra,
        running_scenario(infra, "results", 1, {"LOG_LEVEL": "WARNING"}) as scenario,
        tempfile.TemporaryDirectory(prefix="importer-results-") as folder,
    ):
        asyncio.run(measure(infra, scenario, args, Path(folder)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
