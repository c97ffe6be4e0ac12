"""What an uploaded file really is, from its first bytes, and whether its name agrees.

The client's content type is never asked: a PNG, a PDF or a program renamed `x.csv`, or an
.xlsx renamed `.csv`, is refused with a sentence naming what was found and what is accepted.
"""

from __future__ import annotations

import struct
from enum import StrEnum

from importer_service.adapters.sources.csv_dialect import decode_head, detect_encoding
from importer_service.adapters.sources.errors import UnsupportedFile

__all__ = ["ACCEPTED", "FileFormat", "UnsupportedFile", "detect_format"]


class FileFormat(StrEnum):
    CSV = "csv"
    XLS = "xls"
    XLSX = "xlsx"
    ODS = "ods"


EXTENSIONS = {
    ".csv": FileFormat.CSV,
    ".txt": FileFormat.CSV,
    ".xls": FileFormat.XLS,
    ".xlsx": FileFormat.XLSX,
    ".ods": FileFormat.ODS,
}
ACCEPTED = (
    "Accepted: CSV text (.csv, .txt), Excel workbooks (.xls, .xlsx) and OpenDocument "
    "spreadsheets (.ods), each named with the extension that matches its content."
)
NAMED_LIKE = {
    FileFormat.CSV: "a CSV text file",
    FileFormat.XLS: "an .xls workbook",
    FileFormat.XLSX: "an .xlsx workbook",
    FileFormat.ODS: "an .ods spreadsheet",
}
DESCRIPTIONS = {
    FileFormat.CSV: "text (CSV)",
    FileFormat.XLS: "an Excel 97-2003 workbook (.xls)",
    FileFormat.XLSX: "an Excel workbook (.xlsx)",
    FileFormat.ODS: "an OpenDocument spreadsheet (.ods)",
}
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP = (b"PK\x03\x04", b"PK\x05\x06")
ODS_MIME = "application/vnd.oasis.opendocument.spreadsheet"
SIGNATURES = {
    b"\x89PNG\r\n\x1a\n": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"%PDF-": "a PDF document",
    b"{\\rtf": "an RTF document",
    b"\x7fELF": "a program (ELF)",
    b"MZ": "a Windows program",
    b"Rar!\x1a\x07": "a RAR archive",
    b"7z\xbc\xaf\x27\x1c": "a 7-Zip archive",
    b"\x1f\x8b": "a gzip archive",
    b"SQLite format 3\x00": "an SQLite database",
}
MARKUP = ("<!doctype", "<html", "<?xml", "<table", "<workbook")
MAX_CONTROL_SHARE = 0.01  # text: fewer control characters than this (tab and line breaks aside)


def detect_format(head: bytes, filename: str) -> FileFormat:
    """The format of a file whose first bytes are `head` (a few KB are enough)."""
    name = filename.replace("\\", "/").rsplit("/", 1)[-1][:200]
    expected = _format_of_name(name)
    if not head:
        raise UnsupportedFile("empty_file", f'The file "{name}" is empty.')
    found, description = _content(head)
    if found is expected:
        return expected
    rename = f" Name it .{found.value} and upload it again." if found is not None else ""
    raise UnsupportedFile(
        "content_mismatch",
        f'"{name}" is named like {NAMED_LIKE[expected]} but contains {description}.{rename} '
        + ACCEPTED,
    )


def _format_of_name(name: str) -> FileFormat:
    extension = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension in EXTENSIONS:
        return EXTENSIONS[extension]
    what = f"a {extension} file" if extension else "a file without an extension"
    raise UnsupportedFile("unsupported_extension", f'"{name}" is {what}. {ACCEPTED}')


def _content(head: bytes) -> tuple[FileFormat | None, str]:
    """The format the bytes are (None when not one we read) and how to name it to a person."""
    if head.startswith(OLE2):
        return FileFormat.XLS, DESCRIPTIONS[FileFormat.XLS]
    if head.startswith(ZIP):
        return _zip_content(head)
    for signature, description in SIGNATURES.items():
        if head.startswith(signature) and (signature != b"MZ" or b"\x00" in head):
            return None, description
    return _text_content(head)


def _text_content(head: bytes) -> tuple[FileFormat | None, str]:
    encoding = detect_encoding(head)
    if b"\x00" in head and not encoding.startswith("utf-16"):
        return None, "binary data"
    text = decode_head(head, encoding)
    controls = sum(1 for char in text if ord(char) < 32 and char not in "\t\n\r\f\v")
    if controls > len(text) * MAX_CONTROL_SHARE:
        return None, "binary data"
    if text.lstrip().lower().startswith(MARKUP):
        return None, "an HTML or XML document (open it in a spreadsheet, save it as .xlsx)"
    return FileFormat.CSV, DESCRIPTIONS[FileFormat.CSV]


def _zip_content(head: bytes) -> tuple[FileFormat | None, str]:
    """XLSX and ODS are both zip archives: their first entries tell them apart."""
    names, first_stored = _leading_zip_entries(head)
    if names[:1] == ["mimetype"]:
        mime = first_stored.decode("ascii", "replace").strip()
        if mime == ODS_MIME:
            return FileFormat.ODS, DESCRIPTIONS[FileFormat.ODS]
        return None, f"a zip archive of type {mime[:80]!r}"
    folders = {name.split("/", 1)[0] for name in names if "/" in name}
    if "xl" in folders:
        return FileFormat.XLSX, DESCRIPTIONS[FileFormat.XLSX]
    if "word" in folders:
        return None, "a Word document (.docx)"
    if "ppt" in folders:
        return None, "a PowerPoint presentation (.pptx)"
    if "[Content_Types].xml" in names:  # an Office file whose parts lie beyond the head
        return FileFormat.XLSX, DESCRIPTIONS[FileFormat.XLSX]
    return None, "a zip archive"


def _leading_zip_entries(head: bytes) -> tuple[list[str], bytes]:
    """The names of the zip entries whose local headers lie in `head`, and the first entry's
    content when it is stored uncompressed (an ODS file's `mimetype`)."""
    names: list[str] = []
    first_stored = b""
    offset = 0
    while head.startswith(b"PK\x03\x04", offset) and offset + 30 <= len(head):
        flags, method, size, name_length, extra_length = struct.unpack_from(
            "<2xHH8xI4xHH", head, offset + 4
        )
        start = offset + 30 + name_length + extra_length
        names.append(head[offset + 30 : offset + 30 + name_length].decode("utf-8", "replace"))
        if len(names) == 1 and method == 0:
            first_stored = head[start : start + size]
        if flags & 0x08 and size == 0:  # sizes follow the data: the next header cannot be found
            break
        offset = start + size
    return names, first_stored
