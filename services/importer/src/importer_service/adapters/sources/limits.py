"""How big a file may be, and the zip-bomb check of the zip-based formats (.xlsx, .ods).

`check_archive` reads the zip's central directory (what each entry declares) and then inflates
every entry into nothing, counting: an entry that expands beyond what it declares is refused
too, since the spreadsheet reader would trust the stream, not the declaration. Memory stays at
a few MB whatever the archive holds, and a bomb is refused from its declaration alone.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from importer_service.adapters.sources.archive import ArchiveError, inflated_size
from importer_service.adapters.sources.errors import UnsupportedFile

MB = 1024 * 1024
RATIO_FLOOR = MB  # entries smaller than this expand to little whatever their ratio


@dataclass(frozen=True)
class SourceLimits:
    max_bytes: int = 100 * MB
    max_rows: int = 1_048_576  # data rows with something in them, the header aside
    max_columns: int = 1000
    max_cells: int = 8 * 1_048_576  # rows x columns of a sheet: a full-height sheet of 8 columns
    max_cell_chars: int = 1000  # characters of a stored cell
    max_uncompressed_bytes: int = 512 * MB
    max_compression_ratio: int = 200
    max_archive_entries: int = 10_000


class FileTooLarge(UnsupportedFile):
    def __init__(self, size: int, limit: int) -> None:
        super().__init__(
            "file_too_large",
            f"The file is {_mb(size)}; at most {_mb(limit)} can be imported at once. "
            "Split it into smaller files.",
        )


class TooManyRows(UnsupportedFile):
    def __init__(self, limit: int) -> None:
        super().__init__(
            "too_many_rows",
            f"The file has more than {limit:,} rows (the header and blank rows aside); nothing "
            "was imported. "
            f"Split it into files of at most {limit:,} rows.",
        )


class TooManyColumns(UnsupportedFile):
    def __init__(self, columns: int, limit: int, sheet: str | None = None) -> None:
        where = f'The sheet "{sheet}"' if sheet is not None else "The file"
        super().__init__(
            "too_many_columns",
            f"{where} has {columns:,} columns; at most {limit:,} can be read. "
            "Remove the columns you do not need.",
        )


class TooManyCells(UnsupportedFile):
    """A sheet whose grid (every row times every column up to its last cell) is too large to
    read, however few cells hold something: a single value far from the list makes it so."""

    def __init__(self, sheet: str, rows: int, columns: int, limit: int) -> None:
        super().__init__(
            "too_many_cells",
            f'The sheet "{sheet}" spans {rows:,} rows and {columns:,} columns '
            f"({rows * columns:,} cells); at most {limit:,} cells can be read. Delete the rows "
            "and columns around your list (a value far below or to the right of it makes the "
            "sheet that large), or split the list into smaller files.",
        )


class ArchiveTooLarge(UnsupportedFile):
    def __init__(self, reason: str) -> None:
        super().__init__("archive_too_large", f"The file was refused: {reason}.")


def check_file_size(path: Path, limits: SourceLimits) -> None:
    size = path.stat().st_size
    if size > limits.max_bytes:
        raise FileTooLarge(size, limits.max_bytes)


def check_archive(
    source: Path | str | bytes | BinaryIO, limits: SourceLimits | None = None
) -> None:
    """Refuse a zip-based file that is no valid zip, or that would expand too much."""
    limits = limits or SourceLimits()
    try:
        with _opened(source) as raw, zipfile.ZipFile(raw) as archive:
            entries = archive.infolist()
            _check_declared(entries, limits)
            for entry in entries:
                if inflated_size(raw, entry, limit=entry.file_size) > entry.file_size:
                    raise ArchiveTooLarge(f"{entry.filename!r} expands beyond its declared size")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ArchiveError, EOFError, ValueError) as error:
        raise UnsupportedFile(
            "invalid_archive",
            f"The file is damaged or is not a real .xlsx or .ods workbook ({error}). "
            "Open it in your spreadsheet and save it again.",
        ) from None


def _check_declared(entries: list[zipfile.ZipInfo], limits: SourceLimits) -> None:
    if len(entries) > limits.max_archive_entries:
        raise ArchiveTooLarge(f"it holds {len(entries):,} parts, more than a workbook has")
    total = sum(entry.file_size for entry in entries)
    if total > limits.max_uncompressed_bytes:
        raise ArchiveTooLarge(
            f"it would expand to {_mb(total)}, more than the {_mb(limits.max_uncompressed_bytes)}"
            " a workbook may hold once decompressed"
        )
    for entry in entries:
        ratio = entry.file_size / max(entry.compress_size, 1)
        if entry.file_size > RATIO_FLOOR and ratio > limits.max_compression_ratio:
            raise ArchiveTooLarge(
                f"{entry.filename!r} is compressed {ratio:,.0f} to 1, more than the "
                f"{limits.max_compression_ratio} to 1 of a genuine workbook (a zip bomb?)"
            )


@contextmanager
def _opened(source: Path | str | bytes | BinaryIO) -> Iterator[BinaryIO]:
    if isinstance(source, bytes):
        yield io.BytesIO(source)
    elif isinstance(source, Path | str):
        with Path(source).open("rb") as file:
            yield file
    else:
        yield source


def _mb(size: int) -> str:
    return f"{size / MB:,.1f} MB"
