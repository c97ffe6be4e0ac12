# ruff: noqa: RUF001 - names in Cyrillic are what these files hold
"""Workbooks with several sheets and CSV files in a code page, through the API: the upload
lists the sheets and reads the first with a phone column, and shows the encoding detected;
another sheet or encoding can be chosen at upload or at mapping."""

from __future__ import annotations

import pytest
from importer_service.adapters.sources.sniff import FileFormat

from .conftest import bearer
from .test_importer_sources_sniff import WORKBOOKS, Sheets

pytestmark = pytest.mark.integration

BOOK: Sheets = {
    "Read me": [["Fill one person a row"], ["Mobile numbers only"]],
    "Contacts": [["Name", "Mobile"], ["Zoë", "06 12 35 70 01"], ["Bob", "06 12 35 70 02"]],
    "Old": [["Nom", "Téléphone"], ["Ancien", "06 12 35 70 03"]],
}
XLSX_BOOK = WORKBOOKS[FileFormat.XLSX](BOOK)
CYRILLIC = "Имя;Мобильный\nИван Петров;+7 912 345 67 89\nЁлка Щукина;+7 912 345 67 80\n"


async def upload(importer, me, name: str, content: bytes, **form: str):
    return await importer.http.post(
        "/v1/imports/files", files={"file": (name, content)}, data=form, headers=me
    )


@pytest.mark.parametrize("fmt", ["xlsx", "ods"])
async def test_the_upload_lists_the_sheets_and_reads_the_first_with_a_phone_column(importer, fmt):
    owner = await importer.register("+33612357000" if fmt == "xlsx" else "+33612357010")
    me = bearer(owner.user_id)
    content = WORKBOOKS[FileFormat(fmt)](BOOK)
    job = (await upload(importer, me, f"book.{fmt}", content)).json()
    assert job["sheets"] == [
        {"name": "Read me", "has_phone_column": False},
        {"name": "Contacts", "has_phone_column": True},
        {"name": "Old", "has_phone_column": True},
    ]
    assert (job["sheet"], job["headers"], job["mapping"]["phone"]) == (
        "Contacts", ["Name", "Mobile"], "Mobile"
    )  # fmt: skip
    assert job["sample_rows"][0] == ["Zoë", "06 12 35 70 01"]

    chosen = (await upload(importer, me, f"book.{fmt}", content, sheet="old")).json()
    assert (chosen["sheet"], chosen["headers"]) == ("Old", ["Nom", "Téléphone"])
    assert len(chosen["sheets"]) == 3

    unknown = await upload(importer, me, f"book.{fmt}", content, sheet="Clients")
    assert (unknown.status_code, unknown.json()["error"]) == (422, "sheet_not_found")
    assert unknown.json()["field"] == "sheet"
    assert '"Read me", "Contacts", "Old"' in str(unknown.json())


async def test_another_sheet_chosen_at_mapping_is_read_again_then_imported(importer):
    owner = await importer.register("+33612357020")
    me = bearer(owner.user_id)
    job = (await upload(importer, me, "book.xlsx", XLSX_BOOK)).json()
    mapping = f"/v1/imports/{job['import_id']}/mapping"

    seen = await importer.http.put(mapping, json={"sheet": "Old"}, headers=me)
    assert seen.status_code == 200, seen.text
    assert (seen.json()["status"], seen.json()["sheet"]) == ("uploaded", "Old")
    assert seen.json()["headers"] == ["Nom", "Téléphone"]
    assert seen.json()["sample_rows"] == [["Ancien", "06 12 35 70 03"]]

    missing = await importer.http.put(mapping, json={"sheet": "Nope"}, headers=me)
    assert (missing.status_code, missing.json()["field"]) == (422, "sheet")

    confirmed = await importer.http.put(
        mapping, json={"phone": "Téléphone", "display_name": "Nom"}, headers=me
    )
    assert confirmed.status_code == 200, confirmed.text
    extracted = await importer.finished(owner.user_id, job["import_id"])
    assert (extracted["status"], extracted["total_rows"]) == ("extracted", 1)
    rows = await importer.rows(owner.user_id, job["import_id"])
    assert [(r["raw_phone"], r["display_name"]) for r in rows] == [("06 12 35 70 03", "Ancien")]


async def test_a_csv_in_a_code_page_is_detected_and_its_encoding_can_be_corrected(importer):
    owner = await importer.register("+33612357030")
    me = bearer(owner.user_id)
    job = (await upload(importer, me, "list.csv", CYRILLIC.encode("cp1251"))).json()
    assert (job["encoding"], job["headers"]) == ("cp1251", ["Имя", "Мобильный"])
    assert job["sample_rows"][1] == ["Ёлка Щукина", "+7 912 345 67 80"]

    mapping = f"/v1/imports/{job['import_id']}/mapping"
    wrong = (await importer.http.put(mapping, json={"encoding": "koi8-r"}, headers=me)).json()
    assert wrong["encoding"] == "koi8-r" and wrong["headers"] != ["Имя", "Мобильный"]

    right = await importer.http.put(
        mapping, json={"encoding": "windows-1251", "phone": "Мобильный", "display_name": "Имя"},
        headers=me,
    )  # fmt: skip
    assert right.status_code == 200, right.text
    assert right.json()["encoding"] == "cp1251"
    await importer.finished(owner.user_id, job["import_id"])
    rows = await importer.rows(owner.user_id, job["import_id"])
    assert [r["display_name"] for r in rows] == ["Иван Петров", "Ёлка Щукина"]


async def test_an_encoding_is_chosen_at_upload_and_checked(importer):
    owner = await importer.register("+33612357040")
    me = bearer(owner.user_id)
    text = "Name;Mobile\nČeněk Dvořák;+420 601 123 456\n"  # would read in Windows-1252 too
    chosen = (await upload(importer, me, "l.csv", text.encode("cp1250"), encoding="cp1250")).json()
    assert (chosen["encoding"], chosen["sample_rows"][0][0]) == ("cp1250", "Čeněk Dvořák")

    unknown = await upload(importer, me, "l.csv", b"Mobile\n0612\n", encoding="klingon")
    assert (unknown.status_code, unknown.json()["error"]) == (422, "unknown_encoding")
    assert unknown.json()["field"] == "encoding"
    workbook = await upload(importer, me, "b.xlsx", XLSX_BOOK,
                            encoding="cp1251")  # fmt: skip
    assert (workbook.status_code, workbook.json()["field"]) == (422, "encoding")
    assert (await importer.pool.fetchval("SELECT count(*) FROM imports WHERE owner_id = $1",
                                         owner.user_id)) == 1  # fmt: skip
