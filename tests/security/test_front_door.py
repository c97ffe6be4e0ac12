"""The front door, as an attacker and a careless client try it, against running processes: the
directory (twice, on one database), and a contacts service that verifies the directory's
tokens through its JWKS and adds by ConnectID only with a look-up's grant.

Findings of the security review this closes (issue 14): 1 sign-in by code, 2 tokens the
directory issues, 3 a phone number taken without proof, 6 ConnectID enumeration."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from contacts_events.connect_id import display, generate
from contacts_servicekit.auth import mint_token
from contacts_testing.auth import bearer
from contacts_testing.codes import wait_for_code
from contacts_testing.owned_world import new_mobile
from contacts_testing.running_service import RunningService, running_service
from contacts_testing.second_instance import second_instance
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

pytestmark = pytest.mark.integration

LOOKUP_BURST = 3


@dataclass
class FrontDoor:
    directory: RunningService
    directory_2: httpx.AsyncClient  # a second instance on the same database
    contacts: RunningService
    messages: Path


@pytest.fixture(scope="module")
async def door(
    postgres_admin_url: str, kafka_bootstrap: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[FrontDoor]:
    folder = tmp_path_factory.mktemp("front-door")
    namespace = f"t{uuid.uuid4().hex[:10]}"  # one platform: the contacts learn the users
    directory_env = {
        "KAFKA_NAMESPACE": namespace, "DEV_MESSAGES_DIR": str(folder / "messages"),
        "LOOKUP_BURST": str(LOOKUP_BURST), "LOOKUP_PER_MINUTE": "0.001",
        "CODES_PER_ADDRESS_BURST": "1000", "SIGN_IN_ATTEMPTS_PER_ADDRESS_BURST": "1000",
    }  # fmt: skip
    async with running_service("directory", postgres_admin_url, kafka_bootstrap, folder, **directory_env) as directory:  # fmt: skip
        jwks = f"{directory.process.url}/.well-known/jwks.json"
        async with (
            second_instance(directory, folder) as directory_2,
            running_service(
                "contacts", postgres_admin_url, kafka_bootstrap, folder,
                KAFKA_NAMESPACE=namespace, JWT_JWKS_URL=jwks,
            ) as contacts,
        ):  # fmt: skip
            yield FrontDoor(directory, directory_2, contacts, folder / "messages")


async def signed_in(door: FrontDoor, phone: str, name: str = "Someone") -> dict:
    directory = door.directory.http
    assert (await directory.post("/v1/auth/codes", json={"phone": phone})).status_code == 202
    code = await asyncio.to_thread(wait_for_code, door.messages, phone)
    answer = await directory.post(
        "/v1/auth/sign-in", json={"phone": phone, "code": code, "display_name": name}
    )
    assert answer.status_code in (200, 201), answer.text
    tokens: dict = answer.json()
    return tokens


def auth(tokens: dict) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens['access_token']}"}


# 1. Sign-up and sign-in with a one-time code by SMS


async def test_asking_for_a_code_tells_nobody_whether_the_number_is_a_users(door):
    registered = new_mobile()
    await signed_in(door, registered)
    answers = [
        await door.directory.http.post("/v1/auth/codes", json={"phone": phone})
        for phone in (registered, new_mobile())
    ]

    assert [a.status_code for a in answers] == [202, 202]
    assert answers[0].content == answers[1].content
    assert sorted(answers[0].headers) == sorted(answers[1].headers)


async def test_guessing_a_code_stops_after_five_tries(door):
    phone = new_mobile()
    directory = door.directory.http
    await directory.post("/v1/auth/codes", json={"phone": phone})
    code = await asyncio.to_thread(wait_for_code, door.messages, phone)
    guesses = [f"{n:06d}" for n in range(1_000_000) if f"{n:06d}" != code][:6]

    answers = [
        await directory.post("/v1/auth/sign-in", json={"phone": phone, "code": guess})
        for guess in guesses
    ]
    late = await directory.post(
        "/v1/auth/sign-in", json={"phone": phone, "code": code, "display_name": "Late"}
    )

    assert {(a.status_code, a.json()["error"]) for a in answers} == {(422, "code_invalid")}
    assert (late.status_code, late.json()["error"]) == (422, "code_invalid")


async def test_codes_for_one_number_are_limited_across_two_instances(door):
    phone = new_mobile()
    clients = (door.directory.http, door.directory_2)
    answers = await asyncio.gather(
        *(clients[n % 2].post("/v1/auth/codes", json={"phone": phone}) for n in range(8))
    )

    assert sorted(a.status_code for a in answers) == [202] * 3 + [429] * 5
    refused = next(a for a in answers if a.status_code == 429)
    assert refused.json()["field"] == "phone"
    assert int(refused.headers["Retry-After"]) > 0


# 2. The directory issues the tokens


async def test_directory_tokens_work_elsewhere_and_survive_a_key_rotation(door):
    before = await signed_in(door, new_mobile())
    contacts = door.contacts.http
    assert (await contacts.get("/v1/contacts", headers=auth(before))).status_code == 200

    rotated = await door.directory.http.post(
        "/v1/auth/signing-keys", headers=bearer("operator", "admin")
    )
    assert rotated.status_code == 201
    after = await signed_in(door, new_mobile())

    assert (await contacts.get("/v1/contacts", headers=auth(after))).status_code == 200
    assert (await contacts.get("/v1/contacts", headers=auth(before))).status_code == 200


async def test_a_token_signed_by_a_key_the_directory_never_published_is_refused(door):
    forged = mint_token(
        str(uuid.uuid4()), issuer="contacts-platform-dev", audience="contacts-platform",
        algorithm="EdDSA", private_key=Ed25519PrivateKey.generate(), key_id="made-up-key",
    )  # fmt: skip

    answer = await door.contacts.http.get(
        "/v1/contacts", headers={"Authorization": f"Bearer {forged}"}
    )

    assert answer.status_code == 401
    assert answer.json()["detail"] == "no signing key for this token"


# 3. A phone number changes only when proven


async def test_someone_elses_unclaimed_number_cannot_be_taken_by_a_profile_change(door):
    victim = new_mobile()
    intruder = await signed_in(door, new_mobile(), "Intruder")

    taken = await door.directory.http.patch(
        "/v1/users/me", json={"phone": victim}, headers=auth(intruder)
    )

    assert (taken.status_code, taken.json()["error"]) == (422, "verification_required")
    owner = await signed_in(door, victim, "Rightful Owner")  # the owner can still sign up
    assert owner["signed_up"] is True


# 6. ConnectID enumeration


async def test_the_contacts_service_is_no_oracle_of_connect_ids(door):
    prober = await signed_in(door, new_mobile(), "Prober")
    target = await signed_in(door, new_mobile(), "Target")
    guesses = [display(generate()) for _ in range(50)] + [target["user"]["connect_id"]]

    answers = await asyncio.gather(
        *(
            door.contacts.http.post("/v1/contacts", json={"connect_id": c}, headers=auth(prober))
            for c in guesses
        )
    )

    assert {(a.status_code, a.json()["error"]) for a in answers} == {(422, "lookup_required")}
    assert len({a.content for a in answers}) == 1  # the known ConnectID answers alike


async def test_adding_by_connect_id_spends_the_look_up_budget(door):
    adder = await signed_in(door, new_mobile(), "Adder")
    people = [await signed_in(door, new_mobile(), f"Person {n}") for n in range(LOOKUP_BURST + 1)]
    directory = door.directory.http

    looked_up = [
        await directory.get(f"/v1/connect-ids/{p['user']['connect_id']}", headers=auth(adder))
        for p in people
    ]

    assert [a.status_code for a in looked_up] == [200] * LOOKUP_BURST + [429]
    last = people[-1]["user"]["connect_id"]
    borrowed = looked_up[0].json()["add_token"]  # a grant for someone else
    refused = await door.contacts.http.post(
        "/v1/contacts", json={"connect_id": last, "add_token": borrowed}, headers=auth(adder)
    )
    assert (refused.status_code, refused.json()["error"]) == (422, "add_token_invalid")

    async def add_first() -> httpx.Response:
        body = {"connect_id": people[0]["user"]["connect_id"], "add_token": borrowed}
        return await door.contacts.http.post("/v1/contacts", json=body, headers=auth(adder))

    for _ in range(100):  # the contacts service learns the user from the directory's events
        added = await add_first()
        if added.status_code != 404:
            break
        await asyncio.sleep(0.2)
    assert added.status_code == 201, added.text
