"""Files nobody should be able to import, built in memory (no binary fixtures committed)."""

from __future__ import annotations

import io
import zipfile

from .conftest import MAX_BYTES, MAX_ROWS

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64)
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"


def numbers_csv(rows: int) -> bytes:
    return ("Mobile,Name\n" + "".join(f"+4474001{n:05d},N{n}\n" for n in range(rows))).encode()


def csv_of_exactly(size: int) -> bytes:
    """A valid list of a few rows padded with a notes column to exactly `size` bytes."""
    head = b"Mobile,Notes\n+447400100001,"
    return head + b"x" * (size - len(head) - 1) + b"\n"


def many_columns(columns: int) -> bytes:
    header = ",".join(f"c{n}" for n in range(columns))
    return f"{header}\n+447400100001\n".encode()


def plain_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "not a workbook")
    return out.getvalue()


def xlsx_bomb() -> bytes:
    """An .xlsx whose sheet declares 24 MB of zeros in about 24 KB (1,000 to 1)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", '<Types xmlns="http://schemas.openxmlformats.org/'
                         'package/2006/content-types"><Override PartName="/xl/workbook.xml" '
                         'ContentType="application/vnd.openxmlformats-officedocument.'
                         'spreadsheetml.sheet.main+xml"/></Types>')  # fmt: skip
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", bytes(24 * 1024 * 1024))
    data = out.getvalue()
    assert len(data) < MAX_BYTES, len(data)
    return data


ROWS_AT_LIMIT, ROWS_OVER = numbers_csv(MAX_ROWS), numbers_csv(MAX_ROWS + 1)
BYTES_AT_LIMIT, BYTES_OVER = csv_of_exactly(MAX_BYTES), csv_of_exactly(MAX_BYTES + 1)
