"""User isolation on every endpoint of every service: another user's ids give 404 (staff-only
endpoints 403), list and profile answers never hold the owner's data, and after an intruder
has tried every endpoint the owner's data is exactly as it was."""

from __future__ import annotations

import json
import uuid

import httpx
import pytest
from contacts_testing.all_services import SERVICES, operations
from contacts_testing.auth import bearer
from contacts_testing.owned_world import OwnedWorld, build_world, register_user
from contacts_testing.running_service import RunningService

from .endpoint_probes import PROBES, Probe, filled

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
async def owner(services: dict[str, RunningService]) -> OwnedWorld:
    return await build_world(services, "Owner")


@pytest.fixture(scope="module")
async def intruder(services: dict[str, RunningService]) -> uuid.UUID:
    return uuid.UUID((await register_user(services["directory"], "Intruder"))["user_id"])


async def call(http: httpx.AsyncClient, method: str, path: str, probe: Probe,
               ids: dict[str, str], headers: dict[str, str]) -> httpx.Response:  # fmt: skip
    return await http.request(
        method, filled(path, ids), headers=headers, json=filled(probe.json, ids),
        files=probe.files, data=filled(probe.data, ids) or None,
    )  # fmt: skip


@pytest.mark.parametrize("name", SERVICES)
async def test_every_endpoint_has_a_probe(services: dict[str, RunningService], name: str) -> None:
    documented = operations((await services[name].http.get("/openapi.json")).json())
    assert documented == set(PROBES[name]), "add a row to endpoint_probes.PROBES for each endpoint"


@pytest.mark.parametrize("name", SERVICES)
async def test_another_users_ids_are_404_and_nothing_of_theirs_is_shown(
    services: dict[str, RunningService], owner: OwnedWorld, intruder: uuid.UUID, name: str
) -> None:
    http = services[name].http
    ids = owner.placeholders
    for (method, path), probe in PROBES[name].items():
        answer = await call(http, method, path, probe, ids, bearer(intruder))
        where = f"{method} {path}: {answer.status_code} {answer.text[:300]}"
        assert answer.status_code == probe.expect, where
        if probe.error:
            assert answer.json()["error"] == probe.error, where
        leaked = [secret for secret in owner.secrets if secret and secret in shown(answer)]
        assert not leaked, f"{where} shows the owner's {leaked}"
    await owner_world_is_intact(services, owner)


def shown(answer: httpx.Response) -> str:
    """What the answer tells the intruder, less a problem's `instance`: the path they sent."""
    if answer.headers.get("content-type") != "application/problem+json":
        return answer.text
    return json.dumps({k: v for k, v in answer.json().items() if k != "instance"})


async def owner_world_is_intact(services: dict[str, RunningService], owner: OwnedWorld) -> None:
    me = bearer(owner.owner)
    directory, contacts = services["directory"].http, services["contacts"].http
    profile = (await directory.get("/v1/users/me", headers=me)).json()
    assert (profile["phone"], profile["email"], profile["display_name"]) == (
        owner.phone, owner.email, "Owner",
    )  # fmt: skip
    assert profile["company_id"] == owner.company_id and profile["company_role"] == "admin"
    points = (
        await directory.get(f"/v1/companies/{owner.company_id}/contact-points", headers=me)
    ).json()["items"]
    assert [p["contact_point_id"] for p in points] == [owner.contact_point_id]
    offers = "/v1/users/me/membership-offers"
    offered = (await directory.get(offers, headers=bearer(owner.offered_user_id))).json()["items"]
    assert [o["offer_id"] for o in offered] == [owner.offer_id]  # still pending
    contact = (await contacts.get(f"/v1/contacts/{owner.contact_id}", headers=me)).json()
    assert (contact["contact_id"], contact["archived"]) == (owner.contact_id, False)
    job = (await services["importer"].http.get(f"/v1/imports/{owner.import_id}", headers=me)).json()
    assert job["import_id"] == owner.import_id and job["status"] != "replaced"
    pending = (await services["invitations"].http.get("/v1/invitations", headers=me)).json()
    assert [i["invitation_id"] for i in pending["items"]] == [owner.invitation_id]
    assert pending["items"][0]["send_count"] <= 1  # the intruder's resend did not send again
