"""Every sheet's grid is measured from the file, streamed, and a sheet over the limits is
refused naming it and its size before any reader builds it (workbooks made by the tests)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from importer_service.adapters.sources.errors import UnsupportedFile
from importer_service.adapters.sources.limits import SourceLimits, TooManyCells, TooManyColumns
from importer_service.adapters.sources.sheet_size import SheetSize
from importer_service.adapters.sources.sheet_sizes import check_sheet_sizes
from importer_service.adapters.sources.sniff import FileFormat
from importer_service.adapters.sources.tables import open_table
from importer_service.adapters.sources.xlsx_fast_size import fast_size

from .hostile_files import cell, far_cell_xls, far_cell_xlsx, repeated_ods, xlsx_of_sheet
from .test_importer_sources_sniff import WORKBOOKS

pytestmark = pytest.mark.unit

LIMITS = SourceLimits()


def written(tmp_path: Path, fmt: FileFormat, content: bytes) -> Path:
    path = tmp_path / f"book.{fmt.value}"
    path.write_bytes(content)
    return path


def refused(path: Path, fmt: FileFormat, limits: SourceLimits = LIMITS) -> UnsupportedFile:
    with pytest.raises(UnsupportedFile) as refusal:
        open_table(path, fmt, limits)
    return refusal.value


def test_an_xlsx_of_three_cells_far_apart_is_refused_naming_the_sheet_and_its_grid(
    tmp_path: Path,
) -> None:
    error = refused(written(tmp_path, FileFormat.XLSX, far_cell_xlsx("ALL30000")), FileFormat.XLSX)
    assert isinstance(error, TooManyCells)
    assert error.code == "too_many_cells"
    assert 'sheet "Contacts" spans 30,000 rows and 1,000 columns (30,000,000 cells)' in (
        error.message
    )
    assert "at most 8,388,608 cells" in error.message


def test_a_declared_dimension_over_the_limit_is_refused_however_few_cells(tmp_path: Path) -> None:
    content = xlsx_of_sheet(f'<row r="1">{cell("A1", "Mobile")}</row>', dimension="A1:ZZ100000")
    error = refused(written(tmp_path, FileFormat.XLSX, content), FileFormat.XLSX)
    assert error.code == "too_many_cells" and "100,000 rows and 702 columns" in error.message


def test_cells_and_rows_without_references_follow_the_one_before(tmp_path: Path) -> None:
    loose = "<c><v>1</v></c>" * 5
    content = xlsx_of_sheet(f'<row r="3"><c r="B3"><v>1</v></c>{loose}</row><row>{loose}</row>')
    path = written(tmp_path, FileFormat.XLSX, content)
    assert check_sheet_sizes(path, FileFormat.XLSX, LIMITS) == [SheetSize("Contacts", 4, 7)]
    error = refused(path, FileFormat.XLSX, SourceLimits(max_columns=6))
    assert isinstance(error, TooManyColumns)
    assert error.message.startswith('The sheet "Contacts" has 7 columns; at most 6')


def test_prefixed_tags_are_read_by_their_local_name(tmp_path: Path) -> None:
    content = xlsx_of_sheet('<x:row r="9"><x:c r="XFD9"><x:v>1</x:v></x:c></x:row>')
    path = written(tmp_path, FileFormat.XLSX, content)
    assert check_sheet_sizes(path, FileFormat.XLSX, SourceLimits(max_columns=20_000)) == [
        SheetSize("Contacts", 9, 16_384)
    ]


@pytest.mark.parametrize(
    ("cells", "fast", "columns"),
    [
        ('<c r="B7"><v>1</v></c>', True, 2),
        ('<c s="1" r="B7"><v>1</v></c>', False, 2),  # another attribute first
        ("<c><v>1</v></c>", False, 1),  # no reference
        ('<x:c r="B7"><x:v>1</x:v></x:c>', False, 2),  # a prefix
    ],
)
def test_the_fast_path_answers_only_for_cells_that_start_with_their_reference(
    tmp_path: Path, cells: str, fast: bool, columns: int
) -> None:
    path = written(tmp_path, FileFormat.XLSX, xlsx_of_sheet(f'<row r="7">{cells}</row>', "A1"))
    with zipfile.ZipFile(path) as archive:
        assert fast_size(archive, "xl/worksheets/sheet1.xml", SheetSize("S"), LIMITS) is fast
    assert check_sheet_sizes(path, FileFormat.XLSX, LIMITS) == [SheetSize("Contacts", 7, columns)]


def test_a_far_cell_whose_reference_is_not_its_first_attribute_is_still_found(
    tmp_path: Path,
) -> None:
    far = '<row r="30000"><c t="inlineStr" r="ALL30000"><is><t>x</t></is></c></row>'
    content = xlsx_of_sheet(f'<row r="1">{cell("A1", "Mobile")}</row>{far}')
    assert refused(written(tmp_path, FileFormat.XLSX, content), FileFormat.XLSX).code == (
        "too_many_cells"
    )


@pytest.mark.parametrize(
    ("sheet_data", "prolog"),
    [
        ('<row r="1"><c r="1A"><v>1</v></c></row>', ""),  # a reference that is not one
        ('<row r="1"><c r="A1"><v>1</v></row>', ""),  # not well-formed
        ("", '<!DOCTYPE w [<!ENTITY a "aaaaaaaaaa">]>'),  # where entity bombs come from
    ],
)
def test_a_sheet_that_is_not_sound_xml_is_an_unreadable_workbook(
    tmp_path: Path, sheet_data: str, prolog: str
) -> None:
    content = xlsx_of_sheet(sheet_data, dimension="A1", prolog=prolog)
    assert refused(written(tmp_path, FileFormat.XLSX, content), FileFormat.XLSX).code == (
        "unreadable_file"
    )


def test_an_ods_of_a_row_and_a_cell_repeated_is_refused(tmp_path: Path) -> None:
    error = refused(written(tmp_path, FileFormat.ODS, repeated_ods(10_000, 1_000)), FileFormat.ODS)
    assert error.code == "too_many_cells"
    assert 'sheet "Contacts" spans 10,001 rows and 1,000 columns' in error.message


def test_the_empty_padding_of_an_ods_does_not_count(tmp_path: Path) -> None:
    path = written(tmp_path, FileFormat.ODS, repeated_ods(5, 3))  # padded to 1,048,576 x 16,384
    assert check_sheet_sizes(path, FileFormat.ODS, LIMITS) == [SheetSize("Contacts", 6, 3)]
    assert open_table(path, FileFormat.ODS, LIMITS).row_count() == 5


def test_an_xls_with_a_cell_in_its_last_row_and_column_is_refused(tmp_path: Path) -> None:
    error = refused(written(tmp_path, FileFormat.XLS, far_cell_xls()), FileFormat.XLS)
    assert error.code == "too_many_cells" and "65,536 rows and 256 columns" in error.message


@pytest.mark.parametrize("fmt", list(WORKBOOKS))
def test_a_dense_sheet_over_the_cell_limit_is_refused_and_one_at_it_is_read(
    tmp_path: Path, fmt: FileFormat
) -> None:
    grid = [[f"h{c}" for c in range(20)]] + [[f"{r}.{c}" for c in range(20)] for r in range(29)]
    path = written(tmp_path, fmt, WORKBOOKS[fmt]({"Other": [["Phone"], ["0612"]], "Big": grid}))
    error = refused(path, fmt, SourceLimits(max_cells=599))
    assert error.code == "too_many_cells" and '"Big" spans 30 rows and 20 columns' in error.message
    assert open_table(path, fmt, SourceLimits(max_cells=600)).headers == ["Phone"]
