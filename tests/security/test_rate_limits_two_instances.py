"""Rate limits hold with two instances of a service (two processes, one database) answering
requests sent at the same moment: ConnectID look-ups, phone matching, invitations, resends."""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from contacts_testing.auth import bearer
from contacts_testing.owned_world import STAFF, new_mobile
from contacts_testing.running_service import RunningService, running_service
from contacts_testing.second_instance import second_instance

pytestmark = pytest.mark.integration

Pair = tuple[RunningService, httpx.AsyncClient]


async def started_pair(
    name: str, admin_url: str, bootstrap: str, folder: Path, **env: str
) -> AsyncIterator[Pair]:
    async with (
        running_service(name, admin_url, bootstrap, folder, **env) as first,
        second_instance(first, folder) as second,
    ):
        yield first, second


async def at_once(pair: Pair, method: str, paths_and_bodies: list[tuple[str, dict | None]],
                  headers: list[dict[str, str]]) -> list[httpx.Response]:  # fmt: skip
    """Every request at the same moment, alternating between the two instances."""
    clients = (pair[0].http, pair[1])
    return list(await asyncio.gather(*(
        clients[n % 2].request(method, path, json=body, headers=headers[n % len(headers)])
        for n, (path, body) in enumerate(paths_and_bodies)
    )))  # fmt: skip


def statuses(answers: list[httpx.Response]) -> Counter[int]:
    return Counter(a.status_code for a in answers)


def refusals_explained(answers: list[httpx.Response]) -> bool:
    refused = [a for a in answers if a.status_code == 429]
    return all(a.json()["error"] == "rate_limited" and int(a.headers["Retry-After"]) >= 1
               for a in refused)  # fmt: skip


@pytest.fixture
async def directories(postgres_admin_url, kafka_bootstrap, tmp_path) -> AsyncIterator[Pair]:
    async for pair in started_pair("directory", postgres_admin_url, kafka_bootstrap, tmp_path,
                                   LOOKUP_BURST="5", LOOKUP_PER_MINUTE="0.01"):  # fmt: skip
        yield pair


async def test_connect_id_look_ups_sent_at_once_to_two_instances_spend_one_bucket(directories):
    body = {"display_name": "Target", "phone": new_mobile()}
    target = (await directories[0].http.post("/v1/users", json=body, headers=STAFF)).json()
    path = f"/v1/connect-ids/{target['connect_id']}"
    seeker = bearer(uuid.uuid4())  # a fresh user: the bucket row does not exist yet
    answers = await at_once(directories, "GET", [(path, None)] * 16, [seeker])
    assert statuses(answers) == {200: 5, 429: 11}
    assert refusals_explained(answers)
    other = await directories[1].get(path, headers=bearer(uuid.uuid4()))
    assert other.status_code == 200  # per user


@pytest.fixture
async def importers(postgres_admin_url, kafka_bootstrap, tmp_path) -> AsyncIterator[Pair]:
    async for pair in started_pair("importer", postgres_admin_url, kafka_bootstrap, tmp_path,
                                   FALLBACK_REGION="GB", PHONE_MATCH_BURST="10",
                                   PHONE_MATCH_PER_HOUR="0.01"):  # fmt: skip
        yield pair


async def test_phone_matching_sent_at_once_to_two_instances_spends_one_quota(importers):
    owner = uuid.uuid4()
    pastes = [("/v1/imports/pasted", {"text": f"{new_mobile()},{new_mobile()},{new_mobile()}"})
              for _ in range(8)]  # fmt: skip
    answers = await at_once(importers, "POST", pastes, [bearer(owner)])
    assert statuses(answers) == {201: 3, 429: 5}  # 3 x 3 numbers of the 10 allowed
    assert refusals_explained(answers)
    refused = next(a for a in answers if a.status_code == 429)
    assert "Nothing was imported" in refused.text
    assert refused.headers["RateLimit-Policy"] == '"phone_matching";q=10;w=3600000'
    kept = await importers[0].pool.fetchval(
        "SELECT count(*) FROM imports WHERE owner_id = $1", owner
    )
    assert kept == 3
    other = await importers[1].post("/v1/imports/pasted", json={"text": new_mobile()},
                                    headers=bearer(uuid.uuid4()))  # fmt: skip
    assert other.status_code == 201  # per user


async def test_a_list_over_the_quota_cannot_start_and_stays_ready_to_start(importers):
    me = bearer(uuid.uuid4())
    eight = ",".join(new_mobile() for _ in range(8))
    assert (
        await importers[0].http.post("/v1/imports/pasted", json={"text": eight}, headers=me)
    ).status_code == 201
    rows = "Mobile\n" + "\n".join(new_mobile() for _ in range(3)) + "\n"
    uploaded = await importers[1].post(
        "/v1/imports/files", files={"file": ("l.csv", rows.encode())}, headers=me
    )
    path = f"/v1/imports/{uploaded.json()['import_id']}"
    await importers[1].put(f"{path}/mapping", json={"phone": "Mobile"}, headers=me)

    async def extracted() -> bool:
        return bool((await importers[0].http.get(path, headers=me)).json()["status"] == "extracted")

    await importers[0].until(extracted)
    refused = await importers[0].http.post(f"{path}/start", headers=me)
    assert refused.status_code == 429, refused.text  # 3 rows, 2 left
    assert refused.json()["error"] == "rate_limited"
    assert (await importers[1].get(path, headers=me)).json()["status"] == "extracted"


@pytest.fixture
async def invitations(postgres_admin_url, kafka_bootstrap, tmp_path) -> AsyncIterator[Pair]:
    async for pair in started_pair("invitations", postgres_admin_url, kafka_bootstrap, tmp_path,
                                   DEV_MESSAGES_DIR=str(tmp_path), INVITER_DAILY_CAP="5",
                                   DESTINATION_DAILY_CAP="3", RESEND_COOLDOWN_MINUTES="10"):  # fmt: skip
        yield pair


async def test_the_inviters_daily_cap_holds_across_two_instances(invitations):
    inviter = bearer(uuid.uuid4())
    invites = [("/v1/invitations", {"phone": new_mobile()}) for _ in range(12)]
    answers = await at_once(invitations, "POST", invites, [inviter])
    assert statuses(answers) == {201: 5, 429: 7}
    assert refusals_explained(answers)
    assert "at most 5 invitations a day" in next(a for a in answers if a.status_code == 429).text


async def test_the_destinations_daily_cap_holds_across_two_instances(invitations):
    phone = new_mobile()
    inviters = [bearer(uuid.uuid4()) for _ in range(6)]
    answers = await at_once(
        invitations, "POST", [("/v1/invitations", {"phone": phone})] * 6, inviters
    )
    assert statuses(answers) == {201: 3, 429: 3}
    assert refusals_explained(answers)


async def test_a_resend_inside_the_cool_down_is_refused_by_either_instance(invitations):
    inviter = bearer(uuid.uuid4())
    created = await invitations[0].http.post("/v1/invitations", json={"phone": new_mobile()},
                                             headers=inviter)  # fmt: skip
    invitation = created.json()["invitation_id"]

    async def sent() -> bool:
        page = (await invitations[0].http.get("/v1/invitations", headers=inviter)).json()
        return page["items"][0]["last_sent_at"] is not None

    await invitations[0].until(sent)
    path = f"/v1/invitations/{invitation}/resend"
    answers = await at_once(invitations, "POST", [(path, None)] * 4, [inviter])
    assert statuses(answers) == {429: 4}
    assert refusals_explained(answers)
    assert all(int(a.headers["Retry-After"]) <= 600 for a in answers)


async def test_inviting_again_after_a_delete_inside_the_cool_down_is_refused_by_either_instance(
    invitations,
):
    inviter, phone = bearer(uuid.uuid4()), new_mobile()
    created = await invitations[0].http.post("/v1/invitations", json={"phone": phone},
                                             headers=inviter)  # fmt: skip
    deleted = await invitations[1].delete(f"/v1/invitations/{created.json()['invitation_id']}",
                                          headers=inviter)  # fmt: skip
    assert deleted.status_code == 204
    answers = await at_once(invitations, "POST", [("/v1/invitations", {"phone": phone})] * 4,
                            [inviter])  # fmt: skip
    assert statuses(answers) == {429: 4}
    assert refusals_explained(answers)
    assert all("can be resent in" in a.json()["detail"] for a in answers)


async def test_one_invitation_of_a_destination_asked_at_once_on_both_instances(invitations):
    inviter, phone = bearer(uuid.uuid4()), new_mobile()
    answers = await at_once(invitations, "POST", [("/v1/invitations", {"phone": phone})] * 4,
                            [inviter])  # fmt: skip
    assert statuses(answers) == {201: 1, 200: 3}  # the others get the pending one, not a 429
    assert len({a.json()["invitation_id"] for a in answers}) == 1
