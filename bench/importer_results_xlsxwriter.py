"""What the importer's streamed .xlsx writer was chosen against: the same rows written by
xlsxwriter in `constant_memory` mode (for bench/importer_results.py --xlsxwriter)."""

from __future__ import annotations

import asyncio
import os
import resource
import time
import uuid
from pathlib import Path

import xlsxwriter
from importer_results_figure import Figure
from importer_results_seed import pages
from importer_service.handlers.results import RESULTS_HEADER

SHEET_ROWS = 1_048_576
COLUMNS = ("row_number", "raw_phone", "first_name", "last_name", "display_name", "email",
           "country", "status", "reason_code", "reason", "phone_e164")  # fmt: skip


async def with_xlsxwriter(dsn: str, schema: str, import_id: uuid.UUID, out: Path) -> Figure:
    """Every row written by xlsxwriter to a temporary file (it can be sent only once closed),
    the pages read as the service reads them; the CPU and peak RSS of the bench's process."""
    began, cpu = time.monotonic(), time.process_time()
    book = xlsxwriter.Workbook(str(out), {"constant_memory": True})
    sheet, line = book.add_worksheet("Results"), 0
    sheet.write_row(0, 0, RESULTS_HEADER)
    async for rows in pages(dsn, schema, import_id):
        for row in rows:
            line += 1
            if line == SHEET_ROWS:  # past a sheet's last row: go on in another
                sheet, line = book.add_worksheet(f"Results ({len(book.worksheets()) + 1})"), 1
                sheet.write_row(0, 0, RESULTS_HEADER)
            sheet.write_row(line, 0, [row[column] for column in COLUMNS])
    book.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    size = await asyncio.to_thread(os.path.getsize, out)
    return Figure("xlsxwriter constant_memory (bench)", time.monotonic() - began, size / 1e6,
                  time.process_time() - cpu, peak)  # fmt: skip
