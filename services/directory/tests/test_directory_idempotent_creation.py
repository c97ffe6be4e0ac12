"""Every creating POST of the directory takes an `Idempotency-Key`: a retry with the same key
and body gets the first answer (and its `Location`), and nothing is created or announced
twice; the key with another body is 422 `idempotency_key_reused`."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

import asyncpg
import httpx
import pytest

from .conftest import STAFF, bearer, company_run_by, register

pytestmark = pytest.mark.integration
ADMIN = bearer("platform-admin", "admin")
EVENTS_NAMING = "SELECT count(*) FROM outbox WHERE strpos(convert_from(value, 'UTF8'), $1) > 0"


@dataclass(frozen=True)
class Creation:
    path: str
    headers: dict[str, str]
    body: Any
    other_body: Any  # None: the endpoint takes no body
    status: int
    counted: str  # the rows it creates: a query of one argument, the mark below
    mark: str  # what names the created thing (and so its event)


def body_of(answer: httpx.Response) -> Any:
    return answer.json() if answer.content else None  # a 204 has none


@pytest.fixture
async def rows(postgres_admin_url: str, directory_schema: str) -> AsyncIterator[asyncpg.Pool]:
    pool = await asyncpg.create_pool(
        postgres_admin_url,
        server_settings={"search_path": directory_schema},
        min_size=1,
        max_size=2,
    )
    yield pool
    await pool.close()


def company_creation(directory: httpx.Client, new_phone: Callable[[], str]) -> Creation:
    name = f"Initech {uuid.uuid4().hex[:6]}"
    return Creation("/v1/companies", STAFF, {"name": name}, {"name": name + " 2"}, 201,
                    "SELECT count(*) FROM companies WHERE name = $1", name)  # fmt: skip


def contact_point_creation(directory: httpx.Client, new_phone: Callable[[], str]) -> Creation:
    admin = register(directory, new_phone(), "Wile")
    company_id = company_run_by(directory, admin, "Acme")
    name = f"Reception {uuid.uuid4().hex[:6]}"
    return Creation(f"/v1/companies/{company_id}/contact-points", bearer(admin),
                    {"display_name": name}, {"display_name": "Sales"}, 201,
                    "SELECT count(*) FROM contact_points WHERE display_name = $1", name)  # fmt: skip


def membership_offer(directory: httpx.Client, new_phone: Callable[[], str]) -> Creation:
    admin = register(directory, new_phone(), "Wile")
    company_id = company_run_by(directory, admin, "Acme")
    user, other = register(directory, new_phone()), register(directory, new_phone())
    return Creation(f"/v1/companies/{company_id}/members", bearer(admin),
                    {"user_id": user, "role": "member"}, {"user_id": other, "role": "member"}, 202,
                    "SELECT count(*) FROM membership_offers WHERE user_id = $1::uuid", user)  # fmt: skip


def direct_membership(directory: httpx.Client, new_phone: Callable[[], str]) -> Creation:
    company_id = company_run_by(directory, register(directory, new_phone(), "Wile"), "Acme")
    user, other = register(directory, new_phone()), register(directory, new_phone())
    return Creation(f"/v1/companies/{company_id}/members", STAFF,
                    {"user_id": user, "role": "member"}, {"user_id": other, "role": "member"}, 204,
                    "SELECT count(*) FROM memberships WHERE user_id = $1::uuid", user)  # fmt: skip


def key_rotation(directory: httpx.Client, new_phone: Callable[[], str]) -> Creation:
    since = directory.get("/.well-known/jwks.json").json()["keys"][0]["kid"]
    return Creation("/v1/auth/signing-keys", ADMIN, None, None, 201,
                    "SELECT count(*) FROM signing_keys WHERE created_at >"
                    " (SELECT created_at FROM signing_keys WHERE kid = $1)", since)  # fmt: skip


@pytest.mark.parametrize(
    "make",
    [company_creation, contact_point_creation, membership_offer, direct_membership, key_rotation],
)
async def test_a_retry_replays_the_first_answer_and_creates_once(
    directory: httpx.Client, new_phone: Callable[[], str], rows: asyncpg.Pool,
    make: Callable[[httpx.Client, Callable[[], str]], Creation],
) -> None:  # fmt: skip
    creation = make(directory, new_phone)
    headers = {**creation.headers, "Idempotency-Key": str(uuid.uuid4())}

    async def post(body: Any) -> httpx.Response:
        return await asyncio.to_thread(directory.post, creation.path, json=body, headers=headers)

    events_before = await rows.fetchval(EVENTS_NAMING, creation.mark)
    first, again = await post(creation.body), await post(creation.body)

    assert first.status_code == creation.status, first.text
    assert (again.status_code, body_of(again)) == (first.status_code, body_of(first))
    assert again.headers["Idempotent-Replayed"] == "true"
    if creation.status == 201:
        assert again.headers["Location"] == first.headers["Location"]
    assert await rows.fetchval(creation.counted, creation.mark) == 1
    if creation.path != "/v1/auth/signing-keys":  # a key rotation announces nothing
        assert await rows.fetchval(EVENTS_NAMING, creation.mark) == events_before + 1

    if creation.other_body is not None:  # a rotation takes no body: no other request
        other = await post(creation.other_body)
        assert (other.status_code, other.json()["error"]) == (422, "idempotency_key_reused")


def test_created_things_answer_where_they_are(directory: httpx.Client) -> None:
    company = directory.post("/v1/companies", json={"name": "Globex"}, headers=STAFF)
    assert company.status_code == 201
    location = company.headers["Location"]
    assert location == f"/v1/companies/{company.json()['company_id']}"
    assert directory.get(location, headers=STAFF).json() == company.json()
    point = directory.post(
        f"{location}/contact-points", json={"display_name": "Desk"}, headers=STAFF
    )
    assert point.headers["Location"] == (
        f"{location}/contact-points/{point.json()['contact_point_id']}"
    )
