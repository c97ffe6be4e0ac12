"""Size limits and the zip-bomb check of .xlsx and .ods files, on archives built in memory."""

from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path

import pytest
from importer_service.adapters.sources import limits as limits_module
from importer_service.adapters.sources.errors import UnsupportedFile
from importer_service.adapters.sources.limits import (
    ArchiveTooLarge,
    FileTooLarge,
    SourceLimits,
    TooManyRows,
    check_archive,
    check_file_size,
)

from .test_importer_sources_sniff import ONE_SHEET, ods_bytes, xlsx_bytes

pytestmark = pytest.mark.unit

MB = 1024 * 1024
ZEROS = bytes(MB)


@pytest.fixture(scope="module")
def bomb() -> bytes:
    """An xlsx-looking zip whose sheet is 1 GB of zeros, about 5 MB compressed: written a
    megabyte at a time, so the test never holds more than that and the archive."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            for _ in range(1024):
                sheet.write(ZEROS)
    return out.getvalue()


def test_the_defaults_are_those_the_platform_promises() -> None:
    limits = SourceLimits()
    assert (limits.max_bytes, limits.max_rows, limits.max_uncompressed_bytes) == (
        100 * MB,
        1_048_576,
        512 * MB,
    )
    assert (limits.max_columns, limits.max_compression_ratio) == (1000, 200)


def test_a_zip_bomb_is_refused_from_its_declaration_without_inflating_it(
    bomb: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    def never(*_: object, **__: object) -> int:
        raise AssertionError("the bomb was inflated")

    monkeypatch.setattr(limits_module, "inflated_size", never)
    with pytest.raises(ArchiveTooLarge) as refused:
        check_archive(bomb, SourceLimits())
    assert refused.value.code == "archive_too_large"
    assert "1,024.0 MB" in refused.value.message and "512.0 MB" in refused.value.message
    assert len(bomb) < 8 * MB


def test_a_zip_bomb_on_disk_is_refused_too(bomb: bytes, tmp_path: Path) -> None:
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(bomb)
    with pytest.raises(ArchiveTooLarge):
        check_archive(path, SourceLimits())


def test_an_entry_compressed_far_beyond_a_workbook_is_refused_under_the_size_limit() -> None:
    archive = _zip({"[Content_Types].xml": b"<Types/>", "xl/worksheets/sheet1.xml": ZEROS * 8})
    with pytest.raises(ArchiveTooLarge) as refused:
        check_archive(io.BytesIO(archive), SourceLimits())
    assert "xl/worksheets/sheet1.xml" in refused.value.message and "to 1" in refused.value.message


def test_an_entry_that_inflates_beyond_what_it_declares_is_refused() -> None:
    archive = _declaring(_zip({"xl/worksheets/sheet1.xml": ZEROS * 4}), size=1000)
    assert zipfile.ZipFile(io.BytesIO(archive)).infolist()[0].file_size == 1000
    with pytest.raises(ArchiveTooLarge) as refused:
        check_archive(archive, SourceLimits())
    assert "expands beyond its declared size" in refused.value.message


def test_too_many_entries_are_refused() -> None:
    archive = _zip({f"xl/part{n}.xml": b"<a/>" for n in range(30)})
    with pytest.raises(ArchiveTooLarge) as refused:
        check_archive(archive, SourceLimits(max_archive_entries=20))
    assert "30 parts" in refused.value.message


@pytest.mark.parametrize(
    "content", [b"PK\x03\x04 not really a zip", xlsx_bytes(ONE_SHEET)[:-100], b""]
)
def test_what_is_not_a_valid_zip_is_refused(content: bytes) -> None:
    with pytest.raises(UnsupportedFile) as refused:
        check_archive(content, SourceLimits())
    assert refused.value.code == "invalid_archive"
    assert "save it again" in refused.value.message


def test_a_damaged_deflate_stream_is_refused() -> None:
    archive = bytearray(_zip({"xl/worksheets/sheet1.xml": b"<row>1</row>" * 10_000}))
    start = archive.index(b"sheet1.xml") + len(b"sheet1.xml")
    archive[start : start + 64] = b"\xff" * 64
    with pytest.raises(UnsupportedFile) as refused:
        check_archive(bytes(archive), SourceLimits())
    assert refused.value.code == "invalid_archive"


@pytest.mark.parametrize("content", [xlsx_bytes(ONE_SHEET), ods_bytes(ONE_SHEET)])
def test_genuine_workbooks_pass_from_bytes_paths_and_files(content: bytes, tmp_path: Path) -> None:
    path = tmp_path / "book"
    path.write_bytes(content)
    check_archive(content, SourceLimits())
    check_archive(path, SourceLimits())
    check_archive(str(path), SourceLimits())
    with path.open("rb") as file:
        check_archive(file)


def test_a_file_over_the_size_limit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    path.write_bytes(b"x" * 2001)
    check_file_size(path, SourceLimits(max_bytes=2001))
    with pytest.raises(FileTooLarge) as refused:
        check_file_size(path, SourceLimits(max_bytes=2000))
    assert refused.value.code == "file_too_large"


def test_too_many_rows_says_the_limit_and_that_nothing_was_imported() -> None:
    error = TooManyRows(1_048_576)
    assert error.code == "too_many_rows" and isinstance(error, UnsupportedFile)
    assert "more than 1,048,576 rows" in error.message and "nothing was imported" in error.message


def _zip(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return out.getvalue()


def _declaring(archive: bytes, size: int) -> bytes:
    """The one-entry `archive` with its uncompressed size rewritten as `size`, in the local
    header and in the central directory, as a forger would."""
    forged = bytearray(archive)
    struct.pack_into("<I", forged, 22, size)  # local header: uncompressed size
    central = forged.index(b"PK\x01\x02")
    struct.pack_into("<I", forged, central + 24, size)
    return bytes(forged)
