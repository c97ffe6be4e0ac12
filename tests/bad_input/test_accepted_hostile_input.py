# ruff: noqa: RUF001 - look-alike characters are what this corpus is about
"""Input that is hostile but valid is accepted and kept verbatim, never run: names with SQL,
markup and formulas, digits of other scripts; files exactly at the limits pass."""

from __future__ import annotations

import asyncio
import csv
import io
import uuid

import pytest
from contacts_testing.auth import bearer
from contacts_testing.owned_world import STAFF, OwnedWorld, new_mobile
from contacts_testing.running_service import RunningService

from .hostile_files import BYTES_AT_LIMIT, ROWS_AT_LIMIT
from .owner_snapshot import snapshot

pytestmark = pytest.mark.integration

HOSTILE_NAMES = [
    "Robert'); DROP TABLE users;--",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "名前 ✓ 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 שלום مرحبا",  # right-to-left scripts; direction controls are removed (test_bad_characters)
]
FORMULAS = ['=HYPERLINK("http://evil")', "+SUM(1,2)", "-2+3", "@cmd", "\tTab", "\rReturn"]


async def finished(importer: RunningService, me: dict[str, str], import_id: str) -> dict:
    for _ in range(300):
        job = (await importer.http.get(f"/v1/imports/{import_id}", headers=me)).json()
        if job["status"] in ("extracted", "completed", "failed"):
            return dict(job)
        await asyncio.sleep(0.1)
    raise AssertionError(f"import {import_id} never finished: {job}")


@pytest.mark.parametrize("name", HOSTILE_NAMES)
async def test_hostile_names_are_kept_verbatim_and_only_ever_returned_as_json(
    services: dict[str, RunningService], name: str
) -> None:
    directory = services["directory"].http
    body = {"display_name": name, "phone": new_mobile()}
    created = await directory.post("/v1/users", json=body, headers=STAFF)
    assert created.status_code == 201, created.text
    me = await directory.get("/v1/users/me", headers=bearer(created.json()["user_id"]))
    assert me.headers["content-type"] == "application/json"
    assert me.json()["display_name"] == " ".join(name.split())
    assert (await directory.get("/ready")).status_code == 200


async def test_digits_of_other_scripts_are_read_letters_and_extensions_refused_per_row(
    services: dict[str, RunningService], owner: OwnedWorld
) -> None:
    importer, me = services["importer"], bearer(owner.owner)
    pasted = [
        "+٤٤ ٧٤٠٠ ١٠٠٠٠١",
        "＋４４７４００１００００２",
        "+44 74OO 100003",
        "+447400100004 ext. 5",
    ]
    created = await importer.http.post(
        "/v1/imports/pasted", json={"text": "\n".join(pasted)}, headers=me
    )
    assert created.status_code == 201, created.text
    job = await finished(importer, me, created.json()["import_id"])
    rows = (await importer.http.get(f"/v1/imports/{job['import_id']}/rows", headers=me)).json()[
        "items"
    ]
    assert [(r["raw_phone"], r["phone_e164"], r["status"], r["reason_code"]) for r in rows] == [
        (pasted[0], "+447400100001", "ready_to_invite", "ready_to_invite"),
        (pasted[1], "+447400100002", "ready_to_invite", "ready_to_invite"),
        (pasted[2], None, "invalid", "unparseable"),
        (pasted[3], None, "invalid", "has_extension"),  # an invalid row keeps no number
    ]


async def test_formula_cells_are_neutralised_in_the_error_report_and_names_kept_as_typed(
    services: dict[str, RunningService], owner: OwnedWorld
) -> None:
    importer, me = services["importer"], bearer(owner.owner)
    before = await snapshot(services, owner)
    out = io.StringIO()
    csv.writer(out).writerows([["Name", "Mobile"], *([name, "123"] for name in FORMULAS + HOSTILE_NAMES),
                               *(["Formula in the phone", cell] for cell in FORMULAS)])  # fmt: skip
    uploaded = await importer.http.post("/v1/imports/files",
                                        files={"file": ("l.csv", out.getvalue().encode())}, headers=me)  # fmt: skip
    assert uploaded.status_code == 201, uploaded.text
    path = f"/v1/imports/{uploaded.json()['import_id']}"
    await importer.http.put(
        f"{path}/mapping", json={"phone": "Mobile", "display_name": "Name"}, headers=me
    )
    await finished(importer, me, uploaded.json()["import_id"])
    await importer.http.post(f"{path}/start", headers=me)
    assert (await finished(importer, me, uploaded.json()["import_id"]))["status"] == "completed"
    rows = (await importer.http.get(f"{path}/rows", headers=me)).json()["items"]
    written = FORMULAS + HOSTILE_NAMES
    assert [r["display_name"] for r in rows[: len(written)]] == [
        " ".join(n.split()) for n in written
    ]
    report = (await importer.http.get(f"{path}/error-report.csv", headers=me)).text
    lines = list(csv.reader(io.StringIO(report, newline="")))[1:]
    assert len(lines) == len(written) + len(FORMULAS)  # every row is invalid: all reported
    cells = [cell for line in lines for cell in line]
    assert not [c for c in cells if c.startswith(("=", "+", "-", "@", "\t", "\r"))], cells
    quoted = [c for c in cells if c.startswith("'")]
    for formula in ("=HYPERLINK", "+SUM", "-2+3", "@cmd"):
        assert any(c.startswith(f"'{formula}") for c in quoted), (formula, quoted)
    after = await snapshot(services, owner)
    assert {k: v for k, v in after.items() if k != "imports"} == {
        k: v for k, v in before.items() if k != "imports"
    }  # fmt: skip
    assert set(before["imports"]) <= set(after["imports"])


@pytest.mark.parametrize(("what", "content"), [("rows", ROWS_AT_LIMIT), ("bytes", BYTES_AT_LIMIT)])
async def test_a_file_exactly_at_a_limit_is_accepted(
    services: dict[str, RunningService], what: str, content: bytes
) -> None:
    me = bearer(uuid.uuid4())
    uploaded = await services["importer"].http.post(
        "/v1/imports/files", files={"file": ("l.csv", content)}, headers=me
    )
    assert uploaded.status_code == 201, (what, uploaded.text[:300])
