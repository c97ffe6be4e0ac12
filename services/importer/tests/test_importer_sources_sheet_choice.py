"""Which sheet of a workbook is read when none is chosen: the first whose header row has a
phone column (a workbook often starts with notes), every sheet surveyed for the upload's answer."""

from __future__ import annotations

from pathlib import Path

import pytest
from importer_service.adapters.sources.errors import UnsupportedFile
from importer_service.adapters.sources.limits import SourceLimits
from importer_service.adapters.sources.sniff import FileFormat
from importer_service.adapters.sources.table import SheetInfo
from importer_service.adapters.sources.tables import Table, open_table

from .test_importer_sources_sniff import WORKBOOKS, Sheets

pytestmark = pytest.mark.unit

NOTES_FIRST: Sheets = {
    "Read me": [["How to fill this list"], ["One person a row"], ["Mobile numbers only"]],
    "Contacts": [["Name", "Mobile"], ["Zoë", "+33 6 12 34 56 78"], ["Bob", "07400 123456"]],
    "Old": [["Téléphone", "Nom"], ["0612345679", "Old"]],
}


def surveyed(tmp_path: Path, fmt: FileFormat, sheets: Sheets, sheet: str | None = None) -> Table:
    path = tmp_path / f"book.{fmt.value}"
    path.write_bytes(WORKBOOKS[fmt](sheets))
    return open_table(path, fmt, SourceLimits(), sheet, survey=True)


@pytest.mark.parametrize("fmt", list(WORKBOOKS))
def test_the_first_sheet_with_a_phone_column_is_read_past_a_sheet_of_notes(
    tmp_path: Path, fmt: FileFormat
) -> None:
    table = surveyed(tmp_path, fmt, NOTES_FIRST)
    assert table.sheet == "Contacts" and table.headers == ["Name", "Mobile"]
    assert table.sheets == [
        SheetInfo("Read me", False), SheetInfo("Contacts", True), SheetInfo("Old", True)
    ]  # fmt: skip
    assert next(table.batches())[1][0] == ["Zoë", "+33 6 12 34 56 78"]
    assert table.data_rows == 2


@pytest.mark.parametrize("fmt", list(WORKBOOKS))
def test_a_chosen_sheet_is_read_and_every_sheet_still_listed(
    tmp_path: Path, fmt: FileFormat
) -> None:
    table = surveyed(tmp_path, fmt, NOTES_FIRST, " old ")
    assert (table.sheet, table.headers) == ("Old", ["Téléphone", "Nom"])
    assert [s.name for s in table.sheets] == ["Read me", "Contacts", "Old"]


@pytest.mark.parametrize("fmt", list(WORKBOOKS))
def test_without_any_phone_column_the_first_sheet_is_read(tmp_path: Path, fmt: FileFormat) -> None:
    table = surveyed(tmp_path, fmt, {"A": [["Notes"], ["x"]], "B": [["City"], ["Paris"]]})
    assert table.sheet == "A" and [s.has_phone_column for s in table.sheets] == [False, False]


@pytest.mark.parametrize("fmt", list(WORKBOOKS))
def test_an_empty_sheet_before_the_data_is_listed_without_a_phone_column(
    tmp_path: Path, fmt: FileFormat
) -> None:
    table = surveyed(tmp_path, fmt, {"Empty": [], "Data": [["Phone"], ["0612345678"]]})
    assert table.sheet == "Data" and table.sheets[0] == SheetInfo("Empty", False)


def test_an_unknown_sheet_is_refused_listing_the_sheets(tmp_path: Path) -> None:
    with pytest.raises(UnsupportedFile) as refused:
        surveyed(tmp_path, FileFormat.XLSX, NOTES_FIRST, "Clients")
    assert refused.value.code == "sheet_not_found"
    assert '"Read me", "Contacts", "Old"' in refused.value.message
