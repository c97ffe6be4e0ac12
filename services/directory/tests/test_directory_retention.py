"""The directory's bookkeeping tables stay bounded (docs/data-retention.md, "The directory's
tables"), against a directory process and real Postgres: rows past their use are purged, rows
still in use are kept. A row is made old by moving its times back in the database, as the
days would; the purge is the service's own (its retention loop runs every second here)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import asyncpg
import httpx
import pytest
from contacts_servicekit.db import create_pool
from contacts_testing.codes import wait_for_code
from contacts_testing.consumers import wait_until
from directory_service.adapters.retention import directory_expiries
from directory_service.domain.credentials import SessionRules
from directory_service.domain.rate_limits import Limit

from .conftest import bearer, company_run_by, register
from .membership_offers import answer, offer

pytestmark = pytest.mark.integration

DAY = 86400
SLOWEST_LIMIT = Limit("sign_in_code", 3, 6 / 60)  # the defaults' slowest: full in 30 minutes


@pytest.fixture(scope="module")
def purging(start_directory, messages) -> httpx.Client:
    service = start_directory(DEV_MESSAGES_DIR=str(messages), RETENTION_PURGE_MINUTES="0.02")
    with httpx.Client(base_url=service.url, timeout=10) as client:
        yield client


@pytest.fixture
async def pool(purging, postgres_admin_url, directory_schema) -> AsyncIterator[asyncpg.Pool]:
    pool = await create_pool(postgres_admin_url, directory_schema, max_size=2)
    yield pool
    await pool.close()


async def purge_now(pool: asyncpg.Pool) -> None:
    """One round of the directory's purges (the service's loop runs them too)."""
    for expiry in directory_expiries(SessionRules(), [SLOWEST_LIMIT]):
        await expiry.purge(pool)


async def move_back(pool: asyncpg.Pool, table: str, where: str, days: float, *args: object) -> None:
    """Every timestamptz column of `table`'s rows matching `where` ($1...) `days` earlier."""
    columns = await pool.fetch(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema()"
        " AND table_name = $1 AND data_type = 'timestamp with time zone'",
        table,
    )
    moves = ", ".join(f"{c[0]} = {c[0]} - make_interval(secs => {days * DAY})" for c in columns)
    await pool.execute(f"UPDATE {table} SET {moves} WHERE {where}", *args)


def signed_up(client: httpx.Client, messages, phone: str) -> dict:
    """A new user's first tokens (sign-up with the code the development channel wrote)."""
    address = {"X-Forwarded-For": f"10.9.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}"}
    assert client.post("/v1/auth/codes", json={"phone": phone}, headers=address).status_code == 202
    body = {"phone": phone, "code": wait_for_code(messages, phone), "display_name": "Ada"}
    answer = client.post("/v1/auth/sign-in", json=body, headers=address)
    assert answer.status_code == 201, answer.text
    return answer.json()


def refresh(client: httpx.Client, refresh_token: str) -> httpx.Response:
    return client.post("/v1/auth/refresh", json={"refresh_token": refresh_token})


async def count(pool: asyncpg.Pool, sql: str, *args: object) -> int:
    return int(await pool.fetchval(sql, *args))


async def test_the_running_service_purges_codes_expired_for_over_an_hour(
    purging, pool, messages, new_phone
):
    old, fresh = new_phone(), new_phone()
    for phone in (old, fresh):
        assert purging.post("/v1/auth/codes", json={"phone": phone}).status_code == 202
    await move_back(pool, "one_time_codes", "destination = $1", 1 / 12, old)  # expired ~2 h ago
    codes_of = "SELECT count(*) FROM one_time_codes WHERE destination = $1"

    async def purged() -> bool:
        return await count(pool, codes_of, old) == 0

    await wait_until(purged, seconds=30)

    assert await count(pool, codes_of, fresh) == 1  # live: its owner is typing it


async def test_codes_expired_within_the_hour_are_kept(pool, purging, new_phone):
    phone = new_phone()
    assert purging.post("/v1/auth/codes", json={"phone": phone}).status_code == 202
    await pool.execute(
        "UPDATE one_time_codes SET expires_at = now() - interval '30 minutes' WHERE destination = $1",
        phone,
    )
    await purge_now(pool)
    assert await count(pool, "SELECT count(*) FROM one_time_codes WHERE destination = $1", phone)


async def sessions_of(pool: asyncpg.Pool, user_id: str) -> tuple[int, int]:
    """(sessions, refresh tokens) the user still has."""
    row = await pool.fetchrow(
        "SELECT count(DISTINCT s.session_id), count(t.token_hash) FROM sessions s"
        " LEFT JOIN refresh_tokens t USING (session_id) WHERE s.user_id = $1",
        uuid.UUID(user_id),
    )
    return row[0], row[1]


async def test_a_session_goes_a_week_after_it_ended_with_its_tokens(
    pool, purging, messages, new_phone
):
    ended, live = (
        signed_up(purging, messages, new_phone()),
        signed_up(purging, messages, new_phone()),
    )
    refresh(purging, ended["refresh_token"])  # two tokens, one used
    user = ended["user"]["user_id"]
    await move_back(pool, "sessions", "user_id = $1", 98, uuid.UUID(user))  # 90 days + 8
    await move_back(
        pool, "refresh_tokens", "session_id IN (SELECT session_id FROM sessions WHERE user_id = $1)",
        98, uuid.UUID(user),
    )  # fmt: skip

    await purge_now(pool)

    assert await sessions_of(pool, user) == (0, 0)
    assert await sessions_of(pool, live["user"]["user_id"]) == (1, 1)
    assert refresh(purging, live["refresh_token"]).status_code == 200


async def test_a_revoked_session_stays_while_its_stolen_token_can_be_detected(
    pool, purging, messages, new_phone
):
    stolen = signed_up(purging, messages, new_phone())
    user = uuid.UUID(stolen["user"]["user_id"])
    refresh(purging, stolen["refresh_token"])
    assert refresh(purging, stolen["refresh_token"]).json()["error"] == "refresh_token_reused"
    await move_back(pool, "sessions", "user_id = $1", 36, user)  # revoked 36 days ago
    session_in = "session_id IN (SELECT session_id FROM sessions WHERE user_id = $1)"
    await move_back(pool, "refresh_tokens", session_in, 36, user)

    await purge_now(pool)  # its tokens lived 30 days: expired 6 days ago, kept a week
    assert await sessions_of(pool, str(user)) == (1, 2)

    await move_back(pool, "sessions", "user_id = $1", 2, user)
    await move_back(pool, "refresh_tokens", session_in, 2, user)
    await purge_now(pool)
    assert await sessions_of(pool, str(user)) == (0, 0)


async def test_a_used_token_still_alive_is_kept_and_its_reuse_detected(
    pool, purging, messages, new_phone
):
    first = signed_up(purging, messages, new_phone())
    refresh(purging, first["refresh_token"])
    await move_back(pool, "sessions", "user_id = $1", 29, uuid.UUID(first["user"]["user_id"]))
    await pool.execute("UPDATE refresh_tokens SET issued_at = issued_at - interval '29 days',"
                       " expires_at = expires_at - interval '29 days'"
                       " WHERE session_id = (SELECT session_id FROM sessions WHERE user_id = $1)",
                       uuid.UUID(first["user"]["user_id"]))  # fmt: skip

    await purge_now(pool)

    assert refresh(purging, first["refresh_token"]).json()["error"] == "refresh_token_reused"


async def test_a_rate_limit_bucket_goes_once_it_would_be_full_again(pool, purging):
    full, refilling = (
        f"phone:+44{uuid.uuid4().int % 10**10}",
        f"phone:+44{uuid.uuid4().int % 10**10}",
    )
    await pool.executemany(
        "INSERT INTO rate_limits (subject, action, tokens, updated_at)"
        " VALUES ($1, 'sign_in_code', 0, now() - make_interval(secs => $2))",
        [(full, 31 * 60), (refilling, 20 * 60)],  # refills 3 tokens in 30 minutes
    )
    await purge_now(pool)
    left = await pool.fetch(
        "SELECT subject FROM rate_limits WHERE subject = ANY($1)", [full, refilling]
    )
    assert [row[0] for row in left] == [refilling]


async def test_answered_and_expired_offers_go_after_a_month(pool, purging, new_phone):
    admin = register(purging, new_phone())
    company = company_run_by(purging, admin, f"Acme {uuid.uuid4().hex[:6]}")
    offers = {}
    for name in ("answered_long_ago", "answered_lately", "expired_long_ago", "pending"):
        made = offer(purging, company, bearer(admin), register(purging, new_phone()))
        assert made.status_code == 202, made.text
        offers[name] = made.json()
    for name in ("answered_long_ago", "answered_lately"):
        assert answer(
            purging, offers[name]["user_id"], offers[name]["offer_id"], "decline"
        ).is_success
    days_back = {"answered_long_ago": 31, "expired_long_ago": 61, "pending": 29}
    for name, days in days_back.items():  # expired_long_ago: 31 days past its expiry
        where = "offer_id = $1"
        await move_back(pool, "membership_offers", where, days, uuid.UUID(offers[name]["offer_id"]))

    await purge_now(pool)

    kept = await pool.fetch(
        "SELECT offer_id FROM membership_offers WHERE offer_id = ANY($1)",
        [uuid.UUID(made["offer_id"]) for made in offers.values()],
    )
    names = {made["offer_id"]: name for name, made in offers.items()}
    assert sorted(names[str(row[0])] for row in kept) == ["answered_lately", "pending"]
