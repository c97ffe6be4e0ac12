"""The full results of a completed import as CSV and .xlsx: every row with its cells as mapped,
its status, reason code, reason and E.164 number, cells neutralised as in the error report."""

from __future__ import annotations

import csv
import io
import uuid
from pathlib import Path

import fastexcel
import pytest

from .conftest import bearer
from .files import csv_bytes

pytestmark = pytest.mark.integration

ROWS = [
    ["First", "Last", "Mobile", "Mail"],
    ["Ada", "Lovelace", "06 12 36 30 01", "ada@example.com"],
    ["=cmd|' /C calc'!A0", "Martin", '=HYPERLINK("http://evil.example")', ""],
    ["Cé", "Dupont", "06 12 36 30 01", ""],
]
EXPECTED = [
    ["row", "phone", "first_name", "last_name", "display_name", "email", "country", "status",
     "reason_code", "reason", "phone_e164"],
    ["2", "06 12 36 30 01", "Ada", "Lovelace", "", "ada@example.com", "", "ready_to_invite"],
    ["3", "'=HYPERLINK(\"http://evil.example\")", "'=cmd|' /C calc'!A0", "Martin", "", "", "",
     "invalid"],
    ["4", "06 12 36 30 01", "Cé", "Dupont", "", "", "", "duplicate_in_import"],
]  # fmt: skip


async def test_every_row_comes_out_as_csv_and_xlsx_once_completed(importer, tmp_path: Path):
    owner = await importer.register("+33612363000", "Owner")
    me = bearer(owner.user_id)
    form = {"phone": "Mobile", "first_name": "First", "last_name": "Last", "email": "Mail"}
    sent = await importer.http.post("/v1/imports/files", files={"file": ("l.csv", csv_bytes(ROWS))},
                                    data=form, headers=me)  # fmt: skip
    path = f"/v1/imports/{sent.json()['import_id']}"
    await importer.finished(owner.user_id, sent.json()["import_id"])
    early = await importer.http.get(f"{path}/results.csv", headers=me)
    assert (early.status_code, early.json()["error"]) == (409, "import_not_completed")
    await importer.http.post(f"{path}/start", headers=me)
    await importer.finished(owner.user_id, sent.json()["import_id"])

    as_csv = await importer.http.get(f"{path}/results.csv", headers=me)
    assert as_csv.headers["content-type"].startswith("text/csv")
    assert "results.csv" in as_csv.headers["content-disposition"]
    lines = list(csv.reader(io.StringIO(as_csv.text)))
    assert [line[:8] for line in lines] == [line[:8] for line in EXPECTED]
    assert lines[0] == EXPECTED[0]
    assert lines[1][10] == "'+33612363001" and lines[3][10] == "'+33612363001"
    assert lines[2][8] != "" and lines[3][9] != ""  # why: a reason code and a sentence

    as_xlsx = await importer.http.get(f"{path}/results.xlsx", headers=me)
    assert as_xlsx.headers["content-type"].startswith("application/vnd.openxmlformats")
    (tmp_path / "r.xlsx").write_bytes(as_xlsx.content)
    sheet = fastexcel.read_excel(tmp_path / "r.xlsx").load_sheet(
        0, header_row=None, dtypes="string"
    )
    cells = [[cell or "" for cell in row] for row in sheet.to_polars().rows()]
    assert cells == lines  # the same cells, neutralised the same way

    for name in ("results.csv", "results.xlsx"):
        stranger = await importer.http.get(f"{path}/{name}", headers=bearer(uuid.uuid4()))
        assert stranger.status_code == 404
