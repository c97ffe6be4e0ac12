"""A CSV file as UTF-8 with \\n or \\r\\n line ends, what polars reads: the file itself when it
already is, else a temporary copy re-encoded a megabyte at a time."""

from __future__ import annotations

import codecs
import io
import shutil
import tempfile
from pathlib import Path

from importer_service.adapters.sources.csv_dialect import (
    UTF8_BOM,
    UTF8_NAMES,
    UTF16_BE_BOM,
    UTF16_LE_BOM,
    CsvDialect,
    decode_errors,
)
from importer_service.adapters.sources.errors import UnsupportedFile

CHUNK_BYTES = 1024 * 1024
BOMS = (UTF8_BOM, UTF16_LE_BOM, UTF16_BE_BOM)


def utf8_source(path: Path, dialect: CsvDialect, head: bytes) -> tuple[Path, bool]:
    """The UTF-8 file to read and whether it is a copy (to delete once read). A file whose
    first bytes are UTF-8 but a later byte is not is read as Windows-1252, like Excel does."""
    old_mac_lines = b"\r" in head and b"\n" not in head
    encoding = dialect.encoding
    if encoding in UTF8_NAMES:
        if not _is_utf8(path):
            encoding = "cp1252"
        elif not old_mac_lines:
            return path, False
    bom = next((bom for bom in BOMS if head.startswith(bom)), b"")
    return _copy_as_utf8(path, encoding, len(bom), old_mac_lines), True


def _is_utf8(path: Path) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8")()
    with path.open("rb") as source:
        try:
            while chunk := source.read(CHUNK_BYTES):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return False
    return True


def _copy_as_utf8(path: Path, encoding: str, skip: int, old_mac_lines: bool) -> Path:
    """A temporary UTF-8 copy without byte-order mark; lone \\r line ends become \\n."""
    raw = path.open("rb")
    raw.seek(skip)
    newline = None if old_mac_lines else ""  # None: read \r, \r\n and \n all as \n
    with (
        io.TextIOWrapper(raw, encoding, decode_errors(encoding), newline=newline) as source,
        tempfile.NamedTemporaryFile(
            "w", encoding="utf-8", newline="", suffix=".csv", delete=False
        ) as copy,
    ):
        try:
            shutil.copyfileobj(source, copy, CHUNK_BYTES)
        except UnicodeDecodeError as error:
            Path(copy.name).unlink(missing_ok=True)
            raise UnsupportedFile(
                "bad_encoding",
                f"The file starts as {encoding.upper()} text but is not valid {encoding.upper()} "
                f"further on ({error.reason}). Save it again as CSV UTF-8 and upload it again.",
            ) from None
    return Path(copy.name)
