"""CSV files read as tables: every encoding and delimiter, rows numbered as a spreadsheet shows
them, streamed in batches, and malformed files refused with a reason."""

from __future__ import annotations

from pathlib import Path

import pytest
from importer_service.adapters.sources.errors import UnsupportedFile
from importer_service.adapters.sources.limits import SourceLimits, TooManyColumns, TooManyRows
from importer_service.adapters.sources.sniff import FileFormat
from importer_service.adapters.sources.tables import Table, open_table

from .test_importer_sources_csv_dialect import ENCODINGS, ROWS, csv_text, encoded

pytestmark = pytest.mark.unit

LIMITS = SourceLimits()


def opened(tmp_path: Path, content: bytes, limits: SourceLimits = LIMITS) -> Table:
    path = tmp_path / "upload"
    path.write_bytes(content)
    return open_table(path, FileFormat.CSV, limits)


def everything(table: Table, size: int = 50_000) -> list[tuple[int, list[str]]]:
    """Every row with its number."""
    return [(first + i, row) for first, rows in table.batches(size) for i, row in enumerate(rows)]


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
@pytest.mark.parametrize("how", ENCODINGS)
def test_every_encoding_and_delimiter_reads_the_same_rows(
    tmp_path: Path, how: str, delimiter: str
) -> None:
    with opened(tmp_path, encoded(csv_text(delimiter), how)) as table:
        assert (table.headers, table.sheets, table.sheet) == (ROWS[0], [], None)
        assert everything(table) == [(2, ROWS[1]), (3, ROWS[2])]
        assert table.row_count() == 2


def test_cells_stay_text_exactly_as_written(tmp_path: Path) -> None:
    content = (
        b'Phone,Zip,Note\n0612345678,01000,  spaced  \n+33 6 12,007, "not quoted"\n00.0,1e5,\n'
    )
    assert [row for _, row in everything(opened(tmp_path, content))] == [
        ["0612345678", "01000", "  spaced  "],
        ["+33 6 12", "007", ' "not quoted"'],
        ["00.0", "1e5", ""],
    ]


def test_quotes_line_breaks_and_line_ends_are_read_as_spreadsheets_do(tmp_path: Path) -> None:
    content = b'Name,Phone\r\n"Dupont, Jean",0612\r\n"Line\r\nbreak",0613\r\n"Say ""hi""",0614\r\n'
    assert everything(opened(tmp_path, content)) == [
        (2, ["Dupont, Jean", "0612"]),
        (3, ["Line\r\nbreak", "0613"]),  # one record: one row in a spreadsheet
        (4, ['Say "hi"', "0614"]),
    ]


def test_old_mac_line_ends_are_read(tmp_path: Path) -> None:
    assert everything(opened(tmp_path, b"Name;Phone\rZo\x8a;0612\rLea;0613\r")) == [
        (2, ["ZoŠ", "0612"]),
        (3, ["Lea", "0613"]),
    ]


def test_a_quote_inside_an_unquoted_value_is_a_plain_character(tmp_path: Path) -> None:
    content = b"Name,Height,Phone\nO'Neil,5'11\",0612\nRoux,6',0613\n"
    assert everything(opened(tmp_path, content)) == [
        (2, ["O'Neil", "5'11\"", "0612"]),
        (3, ["Roux", "6'", "0613"]),
    ]


def test_a_quote_never_closed_is_refused_with_its_line(tmp_path: Path) -> None:
    content = b'Name,Phone\nDupont,0612\n"Martin,0613\nRoux,0614\n'
    with pytest.raises(UnsupportedFile) as refused:
        opened(tmp_path, content)
    assert refused.value.code == "unbalanced_quotes"
    assert "line 3" in refused.value.message


def test_windows_1252_after_a_long_ascii_start_is_still_read_right(tmp_path: Path) -> None:
    content = b"Name,Phone\n" + b"Dupont,0612\n" * 30_000 + b"Andr\xe9,0613\n"
    with opened(tmp_path, content) as table:
        assert everything(table)[-1] == (30_002, ["André", "0613"])


def test_the_utf8_copy_of_another_encoding_goes_once_closed(tmp_path: Path) -> None:
    table = opened(tmp_path, csv_text(";").encode("utf-16"))
    copies = [path for path in Path(table._records._path.parent).glob("*.csv")]  # type: ignore[attr-defined]
    copy = table._records._path  # type: ignore[attr-defined]
    assert copy.exists() and copy in copies
    table.close()
    assert not copy.exists()


def test_rows_are_numbered_across_batches_blank_rows_kept(tmp_path: Path) -> None:
    lines = ["Phone"] + [f"06{n:08d}" if n % 4 else "" for n in range(1, 11)]
    with opened(tmp_path, ("\n".join(lines) + "\n").encode()) as table:
        batches = list(table.batches(3))
        assert [(first, len(rows)) for first, rows in batches] == [(2, 3), (5, 3), (8, 3), (11, 1)]
        assert everything(table, 3)[3] == (5, [""])  # the fourth data row is blank, row 5
        assert table.row_count() == 10


def test_a_sep_hint_is_not_a_row_but_blank_lines_before_the_header_are(tmp_path: Path) -> None:
    assert everything(opened(tmp_path, b"sep=;\nPhone;Name\n0612;A\n")) == [(2, ["0612", "A"])]
    with opened(tmp_path, b"\n\nPhone;Name\n0612;A\n") as table:
        assert table.headers == ["Phone", "Name"]
        assert everything(table) == [(4, ["0612", "A"])]


def test_empty_and_repeated_headers_get_names_and_short_rows_are_padded(tmp_path: Path) -> None:
    with opened(tmp_path, b" Phone ,,phone,\xef\xbb\xbfName\n0612\n0613,a,b,c,d,e\n") as table:
        assert table.headers == [
            "Phone",
            "Column 2",
            "phone (2)",
            "\ufeffName".replace("\ufeff", ""),
        ]
        assert [row for _, row in everything(table)] == [
            ["0612", "", "", ""],
            ["0613", "a", "b", "c"],
        ]


@pytest.mark.parametrize("content", [b"", b"\xef\xbb\xbf", b"\xff\xfe", b" \r\n\r\n "])
def test_an_empty_file_is_refused(tmp_path: Path, content: bytes) -> None:
    with pytest.raises(UnsupportedFile) as refused:
        opened(tmp_path, content)
    assert refused.value.code == "empty_file"


@pytest.mark.parametrize("content", [b"Phone,Name\n", b"Phone,Name", b"Phone,Name\n,\n\n  ,\n"])
def test_a_header_without_rows_is_refused(tmp_path: Path, content: bytes) -> None:
    with pytest.raises(UnsupportedFile) as refused:
        opened(tmp_path, content)
    assert refused.value.code == "no_rows"


def test_more_rows_than_the_limit_are_refused_before_any_is_read(tmp_path: Path) -> None:
    content = b"Phone\n" + b"0612\n" * 101
    assert opened(tmp_path, content, SourceLimits(max_rows=101)).row_count() == 101
    with pytest.raises(TooManyRows) as refused:
        opened(tmp_path, content, SourceLimits(max_rows=100))
    assert (
        "more than 100 rows" in refused.value.message
        and "nothing was imported" in refused.value.message
    )


def test_more_columns_than_the_limit_are_refused(tmp_path: Path) -> None:
    content = (",".join(f"c{n}" for n in range(11)) + "\n" + "1," * 10 + "1\n").encode()
    with pytest.raises(TooManyColumns):
        opened(tmp_path, content, SourceLimits(max_columns=10))


def test_a_file_over_the_size_limit_is_refused(tmp_path: Path) -> None:
    with pytest.raises(UnsupportedFile) as refused:
        opened(tmp_path, b"Phone\n0612\n", SourceLimits(max_bytes=5))
    assert refused.value.code == "file_too_large"


def test_a_large_file_comes_in_batches_no_larger_than_asked(tmp_path: Path) -> None:
    rows = 120_000
    content = "Phone,Name\n" + "".join(f"+3361{n:07d},Name {n}\n" for n in range(rows))
    with opened(tmp_path, content.encode()) as table:
        sizes, last = [], None
        for first, batch in table.batches(25_000):
            sizes.append(len(batch))
            last = (first + len(batch) - 1, batch[-1])
        assert sizes == [25_000] * 4 + [20_000]
        assert last == (rows + 1, [f"+3361{rows - 1:07d}", f"Name {rows - 1}"])


def test_a_blank_header_row_still_leaves_its_rows(tmp_path: Path) -> None:
    with opened(tmp_path, b",,\n0612,A,\n") as table:
        assert table.headers == ["Column 1", "Column 2", "Column 3"]
        assert everything(table) == [(2, ["0612", "A", ""])]
