"""Each list format through the running platform: the directory, contacts and importer services
as their real processes on one Kafka namespace. A user registered at the directory reaches the
importer's projection by events; a CSV, an XLS, an XLSX and an ODS list go through upload,
mapping, import, statuses and the error report over HTTP; the matched users end up in the
owner's contacts at the contacts service."""

from __future__ import annotations

import asyncio
import csv
import io
import uuid
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any

import httpx
import pytest
from contacts_testing.auth import bearer
from contacts_testing.running_service import RunningService, running_service

from .files import csv_bytes, ods_bytes, xls_bytes, xlsx_bytes

pytestmark = pytest.mark.e2e

STAFF = bearer(uuid.uuid4(), "service")
HEADERS = ["First name", "Last name", "Mobile", "Email"]
FORMATS = {"csv": csv_bytes, "xls": xls_bytes, "xlsx": xlsx_bytes, "ods": ods_bytes}
MAPPING = {"phone": "Mobile", "first_name": "First name", "last_name": "Last name",
           "email": "Email"}  # fmt: skip


@pytest.fixture(scope="module")
async def platform(
    postgres_admin_url: str, kafka_bootstrap: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[dict[str, RunningService]]:
    namespace = f"e{uuid.uuid4().hex[:10]}"
    folder: Path = tmp_path_factory.mktemp("platform")
    env = {"KAFKA_NAMESPACE": namespace}
    async with AsyncExitStack() as stack:
        services = {
            name: await stack.enter_async_context(
                running_service(name, postgres_admin_url, kafka_bootstrap, folder, **env, **extra)
            )
            for name, extra in (
                ("directory", {}),
                ("contacts", {}),
                ("importer", {"IMPORT_CHUNK_ROWS": "2"}),  # several chunks per list
            )
        }
        yield services


async def register(directory: RunningService, phone: str, name: str) -> uuid.UUID:
    answer = await directory.http.post(
        "/v1/users", json={"display_name": name, "phone": phone}, headers=STAFF
    )
    assert answer.status_code == 201, answer.text
    return uuid.UUID(answer.json()["user_id"])


async def poll(http: httpx.AsyncClient, path: str, owner: uuid.UUID, until: set[str]) -> Any:
    for _ in range(600):
        job = (await http.get(path, headers=bearer(owner))).json()
        if job["status"] in until:
            return job
        await asyncio.sleep(0.1)
    raise AssertionError(f"{path} stayed {job['status']}")


async def test_every_list_format_gets_its_statuses_report_and_contacts_through_the_platform(
    platform: dict[str, RunningService],
) -> None:
    directory, contacts, importer = (platform[n] for n in ("directory", "contacts", "importer"))
    tag = uuid.uuid4().int % 90 + 10  # numbers of this run only
    owner = await register(directory, f"+3361236{tag:02d}00", "Owner")
    friends = {
        fmt: await register(directory, f"+3361236{tag:02d}{i + 1:02d}", f"Friend {fmt}")
        for i, fmt in enumerate(FORMATS)
    }
    everyone = [owner, *friends.values()]
    await importer.until(
        lambda: importer.pool.fetchval(
            "SELECT count(*) = $2 FROM registered_users WHERE user_id = ANY($1)",
            everyone, len(everyone),
        ),
        seconds=60,
    )  # fmt: skip
    me = bearer(owner)

    for i, (fmt, maker) in enumerate(FORMATS.items()):
        rows = [
            HEADERS,
            ["Ada", "Friend", f"06 12 36 {tag:02d} {i + 1:02d}", "ada@example.com"],  # a user
            ["Bob", "Formula", '=HYPERLINK("http://evil")', ""],
            ["Cé", "Dupont", f"06 12 37 {tag:02d} {i + 1:02d}", ""],
            ["Dan", "Again", f"+33 6 12 37 {tag:02d} {i + 1:02d}", ""],  # same number as Cé
            ["Me", "Myself", f"06 12 36 {tag:02d} 00", ""],
            ["Fay", "Landline", "01 23 45 67 89", ""],
        ]
        uploaded = await importer.http.post(
            "/v1/imports/files", files={"file": (f"list.{fmt}", maker(rows))}, headers=me
        )
        assert uploaded.status_code == 201, uploaded.text
        path = f"/v1/imports/{uploaded.json()['import_id']}"
        mapped = await importer.http.put(f"{path}/mapping", json=MAPPING, headers=me)
        assert mapped.status_code == 200, mapped.text
        extracted = await poll(importer.http, path, owner, {"extracted", "failed"})
        assert (extracted["status"], extracted["total_rows"]) == ("extracted", 6), extracted
        started = await importer.http.post(f"{path}/start", headers=me)
        assert started.status_code == 200, started.text
        done = await poll(importer.http, path, owner, {"completed", "failed"})

        assert done["status"] == "completed", (fmt, done)
        page = (await importer.http.get(f"{path}/rows", params={"limit": 100}, headers=me)).json()
        assert [(r["row_number"], r["status"], r["reason_code"]) for r in page["items"]] == [
            (2, "user_added", "user_added"),
            (3, "invalid", "unparseable"),
            (4, "ready_to_invite", "ready_to_invite"),
            (5, "duplicate_in_import", "duplicate_in_import"),
            (6, "self", "self"),
            (7, "invalid", "not_mobile"),
        ], fmt
        assert page["items"][0]["matched_user_id"] == str(friends[fmt])
        assert page["items"][2]["phone_e164"] == f"+3361237{tag:02d}{i + 1:02d}"
        assert done["counts"] == {
            "invalid": 2, "ready_to_invite": 1, "user_added": 1, "already_contact": 0,
            "already_invited": 0, "duplicate_in_import": 1, "self": 1,
        }, fmt  # fmt: skip

        report = await importer.http.get(f"{path}/error-report.csv", headers=me)
        assert report.status_code == 200
        lines = list(csv.reader(io.StringIO(report.text)))
        assert [(line[0], line[4]) for line in lines[1:]] == [
            ("3", "invalid"), ("5", "duplicate_in_import"), ("6", "self"), ("7", "invalid"),
        ], fmt  # fmt: skip
        assert lines[1][1] == '\'=HYPERLINK("http://evil")'  # neutralised
        assert "row 4" in lines[2][5]  # the duplicate points at the first row with the number

    async def friends_added() -> bool:
        answer = await contacts.http.get("/v1/contacts", params={"limit": 200}, headers=me)
        return set(friends.values()) <= {uuid.UUID(c["contact_id"]) for c in answer.json()["items"]}

    await contacts.until(friends_added, seconds=60)
