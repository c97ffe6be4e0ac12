"""CSV files the platform writes (the error report of rejected rows), safe to open in a
spreadsheet.

OWASP "CSV injection": a spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` as a
formula (`=HYPERLINK(...)` leaks data when clicked, `=cmd|...` ran programs through DDE), and a
leading tab or carriage return can hide such a character from a check yet not from the
spreadsheet. Such a cell gets a leading `'`, which spreadsheets read as "this is text". A phone
number `+33...` in a report therefore reads `'+33...`: it stays text, which it is.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from typing import TextIO

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: str) -> str:
    """`cell`, prefixed with `'` when a spreadsheet would read it as a formula."""
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


def write_csv(rows: Iterable[Sequence[str]], out: TextIO) -> None:
    """Every cell neutralised and quoted (quotes inside doubled), lines ended by CRLF (RFC 4180).
    Open `out` with newline="" so that line ends are written as they are."""
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
