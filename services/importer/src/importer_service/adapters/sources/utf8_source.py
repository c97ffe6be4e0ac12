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
from importer_service.adapters.sources.text_encoding import SAMPLE_BYTES, detect_code_page

CHUNK_BYTES = 1024 * 1024
BOMS = (UTF8_BOM, UTF16_LE_BOM, UTF16_BE_BOM)


def utf8_source(
    path: Path, dialect: CsvDialect, head: bytes, *, chosen: bool = False
) -> tuple[Path, bool, str]:
    """The UTF-8 file to read, whether it is a copy (to delete once read), and the encoding
    it was read in. A file whose first bytes are UTF-8 but a later byte is not gets the code
    page of the bytes around that one, unless the person chose the encoding."""
    old_mac_lines = b"\r" in head and b"\n" not in head
    encoding = dialect.encoding
    if encoding in UTF8_NAMES:
        invalid_at = _first_invalid_utf8(path)
        if invalid_at is not None and not chosen:
            encoding = detect_code_page(_sample_around(path, invalid_at))
        elif not old_mac_lines and invalid_at is None:
            return path, False, encoding
    bom = next((bom for bom in BOMS if head.startswith(bom)), b"")
    return _copy_as_utf8(path, encoding, len(bom), old_mac_lines), True, encoding


def _first_invalid_utf8(path: Path) -> int | None:
    """The offset of the file's first byte that is not UTF-8; None when it all is."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    offset = 0
    with path.open("rb") as source:
        try:
            while chunk := source.read(CHUNK_BYTES):
                decoder.decode(chunk)
                offset += len(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError as error:
            return max(0, offset + error.start - 3)  # up to 3 bytes held from the chunk before
    return None


def _sample_around(path: Path, offset: int) -> bytes:
    """Whole lines of the file from the one holding `offset`, about SAMPLE_BYTES of them."""
    start = max(0, offset - 1024)
    with path.open("rb") as source:
        source.seek(start)
        window = source.read(SAMPLE_BYTES)
    if start > 0:
        window = window[window.find(b"\n") + 1 :]
    return window


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
                f"The file was read as {encoding} text, but a byte further on is not "
                f"{encoding} ({error.reason}). Choose the file's encoding (encoding), or save "
                "it again as CSV UTF-8 and upload it again.",
            ) from None
    return Path(copy.name)
