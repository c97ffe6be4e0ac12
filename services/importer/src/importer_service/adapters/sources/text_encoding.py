"""The code page of a text file that is not UTF-8, told by charset-normalizer from a sample.

A CSV saved by a spreadsheet without "UTF-8" is in the code page of the machine that saved it:
Windows-1252 in Western Europe, 1250 or ISO-8859-2 in Central Europe, 1251 for Cyrillic,
Shift-JIS (cp932) in Japan, GBK (gb18030) in China... Read in the wrong one, every name comes
out garbled without a word, so the encoding is detected from a bounded sample (the file's
first bytes, or those around its first byte that is not UTF-8) and shown in the upload's
answer, where the person can correct it.

charset-normalizer decodes the sample with each candidate and measures how messy the text
comes out. On a short list of names several code pages come out equally clean to it (Polish
ISO-8859-2 read as Windows-1252 gives "£ukasz ¯ó³kiewski": letters beside symbols it does not
count as mess). Names are letters, so the candidates are ranked first by the symbols they put
between letters, then by charset-normalizer's mess, then by how common the code page is.
Candidates are the code pages spreadsheets write, so that an exotic one that happens to decode
a short sample cleanly never wins over the usual one.
"""

from __future__ import annotations

import codecs

from charset_normalizer import CharsetMatch, from_bytes

SAMPLE_BYTES = 64 * 1024
SCANNED_CHARS = 20_000  # of each candidate's text, for symbols between letters
FALLBACK = "cp1252"  # what Excel writes on Western Windows, and the reading of last resort
SPREADSHEET_ENCODINGS = (  # most common first: the tie-break
    "cp1252", "cp1250", "cp1251", "iso8859_2", "cp932", "gb18030", "big5", "cp949",
    "euc_jp", "koi8_r", "cp1253", "cp1254", "cp1255", "cp1256", "cp1257", "cp1258",
    "iso8859_15",
)  # fmt: skip
WORD_MARKS = frozenset(" \t\r\n,;|\"'-.()/+@_&0123456789")


def detect_code_page(sample: bytes) -> str:
    """The codec name (as `canonical_encoding` gives it) of the code page `sample` (not UTF-8)
    is most likely written in."""
    whole_lines = sample[: sample.rfind(b"\n") + 1] or sample  # no character cut at the end
    matches = list(from_bytes(whole_lines[:SAMPLE_BYTES], cp_isolation=list(SPREADSHEET_ENCODINGS)))
    if not matches:
        return FALLBACK
    best = min(matches, key=_rank)
    found = _commonest(best.could_be_from_charset or [best.encoding])
    return canonical_encoding(found) or found


def canonical_encoding(name: str) -> str | None:
    """The codec's own name for an encoding a person typed (`windows-1251`, `Shift_JIS`,
    `latin-1`...); None when Python has no such text encoding."""
    try:
        info = codecs.lookup(name.strip())
    except (LookupError, ValueError):
        return None
    return info.name if getattr(info, "_is_text_encoding", True) else None


def _rank(match: CharsetMatch) -> tuple[int, float, int]:
    return _symbols_between_letters(str(match)), match.chaos, _order(match.encoding)


def _commonest(encodings: list[str]) -> str:
    """Of the code pages that read the sample alike, the most common one."""
    return min(encodings, key=_order)


def _order(encoding: str) -> int:
    names = SPREADSHEET_ENCODINGS
    return names.index(encoding) if encoding in names else len(names)


def _symbols_between_letters(text: str) -> int:
    """Symbols (not letters, digits, spaces or the punctuation of names and lists) with a
    letter on either side: the trace of a text read in the wrong code page."""
    text = text[:SCANNED_CHARS]
    found = 0
    for index in range(1, len(text) - 1):
        char = text[index]
        if char.isalpha() or char in WORD_MARKS or char.isspace():
            continue
        found += text[index - 1].isalpha() or text[index + 1].isalpha()
    return found
