"""A CSV file's encoding and delimiter, guessed from its first bytes.

Encoding: the one the person chose, else a byte-order mark (UTF-8, UTF-16 LE/BE), then strict
UTF-8, else the code page charset-normalizer finds (text_encoding). Windows-1252 reads the five
bytes it leaves undefined as Latin-1, so that it never fails.
Delimiter: the candidate whose count outside quotes is the same on most lines (csv.Sniffer is
fooled by commas inside names and by decimal commas). Excel's `sep=;` first line is honoured.
"""

from __future__ import annotations

import codecs
import re
from collections import Counter
from dataclasses import dataclass

from importer_service.adapters.sources.text_encoding import detect_code_page

UTF8_BOM = b"\xef\xbb\xbf"
UTF16_LE_BOM = b"\xff\xfe"
UTF16_BE_BOM = b"\xfe\xff"
UTF8_NAMES = ("utf-8", "utf-8-sig")
DELIMITERS = (",", ";", "\t", "|")
SAMPLE_CHARS = 64 * 1024
SAMPLE_RECORDS = 50
LATIN1_FALLBACK = "importer-latin-1-fallback"
_SEP_HINT = re.compile(r"\s*sep=(.)\s*", re.IGNORECASE)


def _latin1_fallback(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeDecodeError):
        raise error
    return error.object[error.start : error.end].decode("latin-1"), error.end


codecs.register_error(LATIN1_FALLBACK, _latin1_fallback)


@dataclass(frozen=True)
class CsvDialect:
    encoding: str  # a Python codec name: utf-8, utf-8-sig, utf-16-le, utf-16-be, cp1252, cp1251...
    delimiter: str
    skip_lines: int = 0  # lines before the header: blank lines and Excel's "sep=" hint
    sep_line: bool = False  # the first skipped line is "sep=", which spreadsheets do not show


def decode_errors(encoding: str) -> str:
    """The error mode to decode `encoding` with: never fails for cp1252, strict otherwise."""
    return LATIN1_FALLBACK if encoding == "cp1252" else "strict"


def detect_encoding(head: bytes) -> str:
    """A byte-order mark's encoding, else UTF-8 when `head` is, else Windows-1252 (enough to
    tell text from binary data; `text_encoding` tells the code page)."""
    if head.startswith(UTF8_BOM):
        return "utf-8-sig"
    if head.startswith(UTF16_LE_BOM):
        return "utf-16-le"
    if head.startswith(UTF16_BE_BOM):
        return "utf-16-be"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8"


def text_encoding(head: bytes) -> str:
    """The encoding of a text file that starts with `head`: `detect_encoding`'s, except that
    a file that is not UTF-8 gets the code page its bytes look written in."""
    encoding = detect_encoding(head)
    return detect_code_page(head) if encoding == "cp1252" else encoding


def decode_head(head: bytes, encoding: str) -> str:
    """The text of a file's first bytes (which may end in the middle of a character)."""
    errors = LATIN1_FALLBACK if encoding == "cp1252" else "replace"
    text: str = codecs.getincrementaldecoder(encoding)(errors=errors).decode(head, final=False)
    return text.removeprefix("\ufeff")


def detect_csv(head: bytes, encoding: str | None = None) -> CsvDialect:
    """The dialect of a CSV file starting with `head`, read in `encoding` when one is chosen."""
    encoding = encoding or text_encoding(head)
    lines = decode_head(head, encoding)[:SAMPLE_CHARS].splitlines(keepends=True)
    sep_hint = _SEP_HINT.fullmatch(lines[0]) if lines else None
    skipped = 1 if sep_hint else 0
    while skipped < len(lines) - 1 and not lines[skipped].strip():
        skipped += 1
    delimiter = sep_hint.group(1) if sep_hint else guess_delimiter("".join(lines[skipped:]))
    return CsvDialect(encoding, delimiter, skipped, sep_line=sep_hint is not None)


def guess_delimiter(text: str) -> str:
    """The delimiter most consistently present outside quotes; "," when there is none (a file
    of one column)."""
    records = _delimiter_counts(text)
    scores = {delimiter: _consistency(delimiter, records) for delimiter in DELIMITERS}
    best = max(DELIMITERS, key=lambda delimiter: scores[delimiter])  # ties: earlier wins
    return best if scores[best][1] > 0 else ","


def _consistency(delimiter: str, records: list[Counter[str]]) -> tuple[float, int]:
    """(share of records with the most common non-zero count, that count)."""
    counts = Counter(record[delimiter] for record in records)
    usual = max((n for n in counts if n > 0), key=lambda n: (counts[n], n), default=0)
    return (counts[usual] / len(records) if usual else 0.0), usual


def _delimiter_counts(text: str) -> list[Counter[str]]:
    """Per record (a quoted field may span lines), how often each candidate occurs outside
    quotes. A quote opens a field only at its start, as spreadsheets read it; a last record
    cut inside a quoted field is left out."""
    records: list[Counter[str]] = []
    record: Counter[str] = Counter()
    in_quotes, just_closed, previous, length = False, False, "\n", 0
    for char in text:
        opens_quote = just_closed or previous in DELIMITERS or previous in "\r\n"
        just_closed = in_quotes and char == '"'  # a quote right after it is an escaped quote
        if char == '"' and (in_quotes or opens_quote):
            in_quotes = not in_quotes
        elif not in_quotes and char in "\r\n":
            if length:
                records.append(record)
            record, length = Counter(), -1
        elif not in_quotes and char in DELIMITERS:
            record[char] += 1
        previous, length = char, length + 1
        if len(records) == SAMPLE_RECORDS:
            return records
    if length > 0 and (not records or not in_quotes):
        records.append(record)
    return records or [Counter()]
