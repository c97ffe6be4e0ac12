"""Bad characters and oversized heads against the four running services: NUL in any parameter
or field is 422 naming it (never a 500), invisible and direction-changing characters leave
names, and a 32 MB header is refused with 431 without the process reading it (an
`Idempotency-Key` reused for another request: test_idempotency_keys.py)."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import httpx
import pytest
from contacts_testing.all_services import SERVICES
from contacts_testing.auth import bearer
from contacts_testing.owned_world import STAFF, OwnedWorld, build_world, new_mobile
from contacts_testing.running_service import RunningService

from .nul_cases import NulCase, nul_cases
from .raw_http import (
    memory_kb,
    request_with_huge_head,
    request_with_many_headers,
    reset_peak_memory,
)

pytestmark = pytest.mark.integration

HUGE_HEADER = 32 * 1024 * 1024
MEMORY_BOUND_KB = 16 * 1024  # the old servers grew by more than the header (32 MB and up)
DISGUISED = "\u202eevil\u200b \ufeffAd\u200dmin\u2066\u2069\u200e"
SHOWN = "evil Admin"


def refusal(answer: httpx.Response) -> tuple[int, str | None, str | None]:
    body = answer.json() if answer.headers.get("content-type") == "application/problem+json" else {}
    return answer.status_code, body.get("error"), body.get("field")


@pytest.fixture(scope="module")
async def owner(services: dict[str, RunningService]) -> OwnedWorld:
    return await build_world(services, "Owner")


@pytest.mark.parametrize("name", SERVICES)
async def test_nul_in_any_parameter_or_field_of_any_endpoint_is_422_naming_it(
    services: dict[str, RunningService], owner: OwnedWorld, name: str
) -> None:
    http = services[name].http
    cases = list(nul_cases((await http.get("/openapi.json")).json()))
    assert len(cases) >= 8, [case.label for case in cases]
    wrong = {}
    for case in cases:
        answer = await send(http, case, STAFF if name == "directory" else bearer(owner.owner))
        if refusal(answer) != (422, "invalid_character", case.field):
            wrong[case.label] = f"{answer.status_code} {answer.text[:200]}"
    assert not wrong, "\n".join(f"{label}: {answer}" for label, answer in wrong.items())
    assert (await http.get("/ready")).status_code == 200


async def send(http: httpx.AsyncClient, case: NulCase, auth: dict[str, str]) -> httpx.Response:
    request = dict(case.request)
    request["headers"] = {**auth, **request.get("headers", {})}
    return await http.request(case.method, case.path, **request)


NAMED: dict[str, tuple[str, str, str, dict[str, Any], str]] = {
    "pasted text": ("importer", "POST", "/v1/imports/pasted", {"json": {"text": "+447400123456\x00"}}, "text"),
    "contacts search": ("contacts", "GET", "/v1/contacts", {"params": {"q": "a\x00"}}, "q"),
    "rows filter": ("importer", "GET", "/v1/imports/{import_id}/rows", {"params": {"status": "ready\x00"}}, "status"),
    "invitation email": ("invitations", "POST", "/v1/invitations",
                         {"json": {"channel": "email", "email": "a\x00@example.com"}}, "email"),
    "user email": ("directory", "PATCH", "/v1/users/me", {"json": {"email": "a\x00@example.com"}}, "email"),
    "new user's email": ("directory", "POST", "/v1/users",
                         {"json": {"display_name": "A", "phone": "+447400000001", "email": "a@b\x00.com"}}, "email"),
    "invitee name": ("invitations", "POST", "/v1/invitations", {"json": {"phone": "+447400100009", "name": "Ada\x00"}}, "name"),
    "SMS callback form": ("invitations", "POST", "/v1/sms/status", {"data": {"MessageSid": "SM1\x00"}}, "MessageSid"),
}  # fmt: skip


@pytest.mark.parametrize("case", NAMED)
async def test_the_reported_nul_requests_are_422_naming_the_field(
    services: dict[str, RunningService], owner: OwnedWorld, case: str
) -> None:
    service, method, path, request, field = NAMED[case]
    auth = STAFF if path == "/v1/users" else bearer(owner.owner)
    answer = await services[service].http.request(
        method, path.format(**owner.ids), headers=auth, **request
    )
    assert refusal(answer) == (422, "invalid_character", field), answer.text[:300]
    assert "U+0000" in answer.json()["detail"]


async def test_directory_names_lose_invisible_and_direction_changing_characters(
    services: dict[str, RunningService], owner: OwnedWorld
) -> None:
    directory, me = services["directory"].http, bearer(owner.owner)
    user = await directory.post("/v1/users", headers=STAFF,
                                json={"display_name": DISGUISED, "phone": new_mobile()})  # fmt: skip
    assert user.json()["display_name"] == SHOWN, user.text
    renamed = await directory.patch("/v1/users/me", headers=bearer(user.json()["user_id"]),
                                    json={"display_name": f"{DISGUISED} 2"})  # fmt: skip
    assert renamed.json()["display_name"] == f"{SHOWN} 2"
    company = await directory.post("/v1/companies", json={"name": DISGUISED}, headers=STAFF)
    assert company.json()["name"] == SHOWN
    point = await directory.post(f"/v1/companies/{owner.company_id}/contact-points",
                                 json={"display_name": DISGUISED}, headers=me)  # fmt: skip
    assert point.json()["display_name"] == SHOWN
    invisible = await directory.patch(
        "/v1/users/me", json={"display_name": "\u200b\u202e"}, headers=me
    )
    assert refusal(invisible) == (422, "name_empty", "display_name")


async def test_invitee_names_lose_invisible_and_direction_changing_characters(
    services: dict[str, RunningService],
) -> None:
    invitations, me = services["invitations"].http, bearer(uuid.uuid4())
    named = await invitations.post("/v1/invitations", headers=me,
                                   json={"phone": new_mobile(), "name": DISGUISED})  # fmt: skip
    assert named.status_code == 201 and named.json()["name"] == SHOWN, named.text
    invisible = await invitations.post("/v1/invitations", headers=me,
                                       json={"phone": new_mobile(), "name": "\u200b\ufeff"})  # fmt: skip
    assert invisible.json()["name"] is None


async def test_imported_name_columns_lose_invisible_and_direction_changing_characters(
    services: dict[str, RunningService],
) -> None:
    importer, me = services["importer"], bearer(uuid.uuid4())
    csv = (
        f"Mobile,Name,First,Last\n+447400100001,{DISGUISED},\ufeffAda\u200f,\u2067Love\u200clace\n"
    )
    uploaded = await importer.http.post(
        "/v1/imports/files", files={"file": ("l.csv", csv.encode())}, headers=me
    )
    path = f"/v1/imports/{uploaded.json()['import_id']}"
    mapping = {
        "phone": "Mobile",
        "display_name": "Name",
        "first_name": "First",
        "last_name": "Last",
    }
    assert (await importer.http.put(f"{path}/mapping", json=mapping, headers=me)).status_code == 200

    async def extracted() -> list[dict[str, Any]]:
        return list((await importer.http.get(f"{path}/rows", headers=me)).json()["items"])

    [row] = await importer.until(extracted)
    assert (row["display_name"], row["first_name"], row["last_name"]) == (SHOWN, "Ada", "Lovelace")


@pytest.mark.parametrize("name", SERVICES)
async def test_a_32_mb_header_is_refused_with_431_without_being_read(
    services: dict[str, RunningService], name: str
) -> None:
    process = services[name].process
    assert process.process is not None
    pid = process.process.pid
    reset_peak_memory(pid)
    resident_before = memory_kb(pid, "VmRSS")
    answer = await asyncio.to_thread(request_with_huge_head, process.port, HUGE_HEADER)
    assert answer.startswith(b"HTTP/1.1 431 "), answer[:200]
    assert b'"error":"headers_too_large"' in answer.replace(b" ", b"")
    grown = memory_kb(pid, "VmHWM") - resident_before
    assert grown < MEMORY_BOUND_KB, f"{name} grew by {grown} kB reading a 32 MB header"
    assert (await services[name].http.get("/ready")).status_code == 200


@pytest.mark.parametrize("name", SERVICES)
async def test_too_many_headers_are_refused_with_431(
    services: dict[str, RunningService], name: str
) -> None:
    port = services[name].process.port
    answer = await asyncio.to_thread(request_with_many_headers, port, 1000)
    assert answer.startswith(b"HTTP/1.1 431 "), answer[:200]
    assert (await asyncio.to_thread(request_with_many_headers, port, 20)).startswith(
        b"HTTP/1.1 200"
    )
