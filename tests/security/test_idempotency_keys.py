"""Every endpoint that takes an `Idempotency-Key` (found in the running services' OpenAPI
documents, so a new one cannot be missed) replays the first answer to a retry with the same
key and request, and refuses the key with another request (422 `idempotency_key_reused`)."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from contacts_testing.all_services import SERVICES
from contacts_testing.auth import add_body, bearer
from contacts_testing.owned_world import (
    STAFF,
    OwnedWorld,
    build_world,
    known_to_contacts,
    new_mobile,
    register_user,
)
from contacts_testing.running_service import RunningService

pytestmark = pytest.mark.integration
Services = dict[str, RunningService]
Bodies = Callable[[Services, OwnedWorld], Awaitable[tuple[Any, Any]]]


@dataclass(frozen=True)
class Keyed:
    """How to call one endpoint twice with different bodies, and what it answers."""

    auth: Callable[[OwnedWorld], dict[str, str]]
    bodies: Bodies  # a body, and another one (None, None: it takes no body)
    status: int = 201
    multipart: bool = False  # the bodies are `files=` of a form, not JSON

    def send(self, body: Any) -> dict[str, Any]:
        return {"files": body} if self.multipart else {"json": body}


def fresh(make: Callable[[], Any]) -> Bodies:
    async def bodies(_: Services, __: OwnedWorld) -> tuple[Any, Any]:
        return make(), make()

    return bodies


async def two_users(services: Services, _: OwnedWorld) -> tuple[Any, Any]:
    users = [await register_user(services["directory"], name) for name in ("Ada", "Bo")]
    return tuple({"user_id": user["user_id"], "role": "member"} for user in users)


async def two_contacts(services: Services, owner: OwnedWorld) -> tuple[Any, Any]:
    users = [await register_user(services["directory"], name) for name in ("Ada", "Bo")]
    for user in users:
        await known_to_contacts(services["contacts"], user)
    return tuple(add_body(owner.owner, user["connect_id"]) for user in users)


async def rows_then_all(_: Services, __: OwnedWorld) -> tuple[Any, Any]:
    return {"rows": [1]}, {"rows": None}


async def no_body(_: Services, __: OwnedWorld) -> tuple[Any, Any]:
    return None, None


def a_list() -> dict[str, Any]:
    return {"file": ("people.csv", f"Mobile\n{new_mobile()}\n".encode(), "text/csv")}


def staff(_: OwnedWorld) -> dict[str, str]:
    return STAFF


def the_owner(owner: OwnedWorld) -> dict[str, str]:
    return bearer(owner.owner)


IDEMPOTENT: dict[tuple[str, str, str], Keyed] = {
    ("directory", "POST", "/v1/users"): Keyed(
        staff, fresh(lambda: {"display_name": "Ada", "phone": new_mobile()})
    ),
    ("directory", "POST", "/v1/companies"): Keyed(
        staff, fresh(lambda: {"name": f"Initech {uuid.uuid4().hex[:6]}"})
    ),
    ("directory", "POST", "/v1/companies/{company_id}/contact-points"): Keyed(
        staff, fresh(lambda: {"display_name": f"Desk {uuid.uuid4().hex[:6]}"})
    ),
    ("directory", "POST", "/v1/companies/{company_id}/members"): Keyed(staff, two_users, 204),
    ("directory", "POST", "/v1/auth/signing-keys"): Keyed(
        lambda _: bearer("platform-admin", "admin"), no_body
    ),
    ("contacts", "POST", "/v1/contacts"): Keyed(the_owner, two_contacts),
    ("importer", "POST", "/v1/imports/pasted"): Keyed(
        the_owner, fresh(lambda: {"text": new_mobile()})
    ),
    ("importer", "POST", "/v1/imports/files"): Keyed(the_owner, fresh(a_list), multipart=True),
    ("importer", "POST", "/v1/imports/{import_id}/start"): Keyed(the_owner, no_body, 200),
    ("importer", "POST", "/v1/imports/{import_id}/invitations"): Keyed(
        the_owner, rows_then_all, 200
    ),
    ("invitations", "POST", "/v1/invitations"): Keyed(
        lambda _: bearer(uuid.uuid4()), fresh(lambda: {"phone": new_mobile(), "name": "Ada"})
    ),
}


@pytest.fixture(scope="module")
async def owner(services: Services) -> OwnedWorld:
    return await build_world(services, "Owner")


@pytest.mark.parametrize("name", SERVICES)
async def test_every_endpoint_taking_an_idempotency_key_is_tested(
    services: Services, name: str
) -> None:
    paths = (await services[name].http.get("/openapi.json")).json()["paths"]
    taking = {
        (name, method.upper(), path)
        for path, item in paths.items()
        for method, operation in item.items()
        if any(p["name"].lower() == "idempotency-key" for p in operation.get("parameters", []))
    }
    assert taking == {key for key in IDEMPOTENT if key[0] == name}


def body_of(answer: httpx.Response) -> Any:
    return answer.json() if answer.content else None  # a 204 has none


@pytest.mark.parametrize("endpoint", IDEMPOTENT, ids=" ".join)
async def test_an_idempotency_key_replays_its_request_and_refuses_another(
    services: Services, owner: OwnedWorld, endpoint: tuple[str, str, str]
) -> None:
    service, method, template = endpoint
    keyed = IDEMPOTENT[endpoint]
    first_body, other_body = await keyed.bodies(services, owner)
    http, path = services[service].http, template.format(**owner.ids)
    headers = {**keyed.auth(owner), "Idempotency-Key": str(uuid.uuid4())}
    first = await http.request(method, path, **keyed.send(first_body), headers=headers)
    assert first.status_code == keyed.status, first.text
    again = await http.request(method, path, **keyed.send(first_body), headers=headers)
    assert (again.status_code, body_of(again)) == (keyed.status, body_of(first))
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.headers.get("Location") == first.headers.get("Location")
    if other_body is not None:
        other = await http.request(method, path, **keyed.send(other_body), headers=headers)
        assert other.status_code == 422, other.text
        assert (other.json()["error"], other.json()["field"]) == (
            "idempotency_key_reused",
            "Idempotency-Key",
        )
