"""Uploaded lists in every format through the whole flow: columns, review, statuses, report."""

from __future__ import annotations

import csv
import io

import pytest

from .conftest import bearer, running_importer
from .files import csv_bytes, ods_bytes, xls_bytes, xlsx_bytes

pytestmark = pytest.mark.integration

HEADERS = ["Prénom", "Nom", "Téléphone portable", "E-mail"]


def people(base: int) -> list[list[str]]:
    return [
        HEADERS,
        ["Ada", "Lovelace", f"06 12 35 {base:02d} 01", "ada@example.com"],
        ["Bob", "Martin", '=HYPERLINK("http://evil")', "bob@example.com"],
        ["Cé", "Dupont", f"06 12 35 {base:02d} 01", ""],
        ["Dan", "Roy", f"+44 7400 1{base:02d}001", ""],
    ]


@pytest.mark.parametrize(
    ("maker", "filename"),
    [
        (csv_bytes, "contacts.csv"),
        (xlsx_bytes, "contacts.xlsx"),
        (xls_bytes, "contacts.xls"),
        (ods_bytes, "contacts.ods"),
    ],
)
async def test_a_list_goes_through_upload_mapping_review_import_and_report(
    importer, maker, filename
):
    base = {"contacts.csv": 11, "contacts.xlsx": 12, "contacts.xls": 13, "contacts.ods": 14}[
        filename
    ]
    owner = await importer.register(f"+336123{base:02d}999", "Owner")
    me = bearer(owner.user_id)
    uploaded = await importer.http.post(
        "/v1/imports/files", files={"file": (filename, maker(people(base)))}, headers=me
    )
    assert uploaded.status_code == 201, uploaded.text
    job = uploaded.json()
    assert job["status"] == "uploaded"
    assert job["headers"] == HEADERS
    assert job["mapping"]["phone"] == "Téléphone portable"
    assert job["mapping"]["first_name"] == "Prénom"
    assert job["sample_rows"][0][:2] == ["Ada", "Lovelace"]

    confirmed = await importer.http.put(f"/v1/imports/{job['import_id']}/mapping",
                                        json={"phone": "Téléphone portable", "first_name": "Prénom",
                                              "last_name": "Nom", "email": "E-mail"}, headers=me)  # fmt: skip
    assert confirmed.status_code == 200, confirmed.text
    extracted = await importer.finished(owner.user_id, job["import_id"])
    assert extracted["status"] == "extracted", extracted
    assert extracted["total_rows"] == 4
    review = await importer.rows(owner.user_id, job["import_id"])
    assert [r["row_number"] for r in review] == [2, 3, 4, 5]
    assert review[0]["first_name"] == "Ada" and review[0]["status"] is None

    started = await importer.http.post(f"/v1/imports/{job['import_id']}/start", headers=me)
    assert started.status_code == 200
    done = await importer.finished(owner.user_id, job["import_id"])
    assert done["status"] == "completed", done
    statuses = [r["status"] for r in await importer.rows(owner.user_id, job["import_id"])]
    assert statuses == ["ready_to_invite", "invalid", "duplicate_in_import", "ready_to_invite"]

    report = await importer.http.get(f"/v1/imports/{job['import_id']}/error-report.csv", headers=me)
    assert report.status_code == 200
    assert report.headers["content-type"].startswith("text/csv")
    lines = list(csv.reader(io.StringIO(report.text)))
    assert lines[0] == ["row", "phone", "name", "email", "status", "reason"]
    assert [line[0] for line in lines[1:]] == ["3", "4"]
    assert lines[1][1].startswith("'=")  # the formula is neutralised


async def test_a_file_without_a_phone_column_names_the_columns_found(importer):
    owner = await importer.register("+33612399001", "Owner")
    rows = [["Nom", "Ville"], ["Ada", "Paris"]]
    uploaded = await importer.http.post(
        "/v1/imports/files",
        files={"file": ("x.csv", csv_bytes(rows))},
        headers=bearer(owner.user_id),
    )
    job = uploaded.json()
    confirmed = await importer.http.put(
        f"/v1/imports/{job['import_id']}/mapping",
        json={"phone": "Téléphone"},
        headers=bearer(owner.user_id),
    )
    assert confirmed.status_code == 422
    assert "Nom" in confirmed.json()["detail"] and "Ville" in confirmed.json()["detail"]


async def test_a_renamed_binary_is_refused(importer):
    owner = await importer.register("+33612399002", "Owner")
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100
    refused = await importer.http.post(
        "/v1/imports/files", files={"file": ("list.csv", png)}, headers=bearer(owner.user_id)
    )
    assert refused.status_code == 422
    assert refused.json()["field"] == "file"


async def test_back_with_a_corrected_file_duplicates_nothing(importer):
    owner = await importer.register("+33612399003", "Owner")
    friend = await importer.register("+33612399004", "Friend")
    me = bearer(owner.user_id)
    rows = [["Name", "Mobile"], ["Friend", "06 12 39 90 04"], ["New", "06 12 39 90 05"]]
    first = (
        await importer.http.post(
            "/v1/imports/files", files={"file": ("a.csv", csv_bytes(rows))}, headers=me
        )
    ).json()
    await importer.http.put(
        f"/v1/imports/{first['import_id']}/mapping",
        json={"phone": "Mobile", "display_name": "Name"},
        headers=me,
    )
    await importer.finished(owner.user_id, first["import_id"])
    await importer.http.post(f"/v1/imports/{first['import_id']}/start", headers=me)
    await importer.finished(owner.user_id, first["import_id"])
    await importer.http.post(f"/v1/imports/{first['import_id']}/invitations", json={}, headers=me)

    corrected = [*rows, ["Third", "06 12 39 90 06"]]
    second = (await importer.http.post("/v1/imports/files", files={"file": ("a.csv", csv_bytes(corrected))},
                                       data={"replaces": first["import_id"]}, headers=me)).json()  # fmt: skip
    await importer.http.put(
        f"/v1/imports/{second['import_id']}/mapping",
        json={"phone": "Mobile", "display_name": "Name"},
        headers=me,
    )
    await importer.finished(owner.user_id, second["import_id"])
    await importer.http.post(f"/v1/imports/{second['import_id']}/start", headers=me)
    await importer.finished(owner.user_id, second["import_id"])
    statuses = [r["status"] for r in await importer.rows(owner.user_id, second["import_id"])]
    assert statuses == ["already_contact", "already_invited", "ready_to_invite"]
    first_rows = await importer.rows(owner.user_id, first["import_id"])
    assert (first_rows[0]["status"], first_rows[0]["matched_user_id"]) == (
        "user_added",
        str(friend.user_id),
    )


async def test_limits_are_answered_with_413_and_422_and_nothing_is_kept(
    postgres_admin_url, kafka_bootstrap, tmp_path
):
    async with running_importer(
        postgres_admin_url, kafka_bootstrap, tmp_path, IMPORT_MAX_BYTES="2000", IMPORT_MAX_ROWS="3"
    ) as small:
        owner = await small.register("+33612399010", "Owner")
        me = bearer(owner.user_id)
        big = csv_bytes([["Mobile"], *(["06 12 39 90 10"] for _ in range(300))])
        too_big = await small.http.post(
            "/v1/imports/files", files={"file": ("big.csv", big)}, headers=me
        )
        assert too_big.status_code == 413
        assert "nothing was imported" in too_big.json()["detail"]
        many = csv_bytes([["Mobile"], *(["06 12 39 90 10"] for _ in range(4))])
        too_many = await small.http.post(
            "/v1/imports/files", files={"file": ("many.csv", many)}, headers=me
        )
        assert too_many.status_code == 422, too_many.text
        assert too_many.json()["error"] == "too_many_rows"
        pasted = await small.http.post("/v1/imports/pasted", json={"text": "1,2,3,4"}, headers=me)
        assert (pasted.status_code, pasted.json()["error"]) == (422, "too_many_rows")
        assert await small.pool.fetchval("SELECT count(*) FROM imports") == 0
