"""How long a closed account's token still works: `DELETE /v1/users/me` on the directory, then
the seconds until contacts, importer and invitations (processes of one platform: one Kafka
namespace) refuse the same token. Asserts only that each refuses within a bounded wait; the
measured seconds are printed (`-s`) for docs/operations.md."""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import AsyncIterator

import pytest
from contacts_testing.all_services import running_services
from contacts_testing.auth import bearer
from contacts_testing.owned_world import register_user
from contacts_testing.running_service import RunningService

pytestmark = pytest.mark.e2e
PROBES = {"contacts": "/v1/contacts", "importer": "/v1/imports", "invitations": "/v1/invitations"}
CLOSURES = 5  # measured, after one that warms the consumers up
BOUND_SECONDS = 60.0  # the wait is bounded; the figure is not asserted


@pytest.fixture(scope="module")
async def platform(
    postgres_admin_url: str, kafka_bootstrap: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[dict[str, RunningService]]:
    folder = tmp_path_factory.mktemp("closure-lag")
    env = {"invitations": {"DEV_MESSAGES_DIR": str(folder)}}
    async with running_services(
        postgres_admin_url, kafka_bootstrap, folder, env, shared_namespace=True
    ) as services:
        yield services


async def test_every_service_refuses_a_closed_accounts_token_soon_after_the_closure(
    platform: dict[str, RunningService],
) -> None:
    await close_and_measure(platform)  # the consumer groups' first assignment is not the lag
    measured = [await close_and_measure(platform) for _ in range(CLOSURES)]
    for part in measured[0]:
        seconds = sorted(lags[part] for lags in measured)
        print(f"closure lag {part}: min {seconds[0]:.3f} s, median "
              f"{statistics.median(seconds):.3f} s, max {seconds[-1]:.3f} s")  # fmt: skip


async def close_and_measure(platform: dict[str, RunningService]) -> dict[str, float]:
    """Close a new user's account; the seconds until each service refused its token (from the
    directory's answer), and the parts of that time (`timeline`)."""
    directory = platform["directory"]
    user_id = (await register_user(directory, "Leaving"))["user_id"]
    me = bearer(user_id)
    for name, path in PROBES.items():
        assert (await platform[name].http.get(path, headers=me)).status_code == 200
    assert (await directory.http.delete("/v1/users/me", headers=me)).status_code == 204
    committed = time.monotonic()  # the closing transaction committed before the answer
    assert (await directory.http.get("/v1/users/me", headers=me)).status_code == 401
    waits = [seconds_until_refused(platform[n], p, me, committed) for n, p in PROBES.items()]
    refused = dict(zip(PROBES, await asyncio.gather(*waits), strict=True))
    return refused | await timeline(platform, user_id)


async def seconds_until_refused(
    service: RunningService, path: str, me: dict[str, str], since: float
) -> float:
    while time.monotonic() - since < BOUND_SECONDS:
        answer = await service.http.get(path, headers=me)
        if answer.status_code == 401 and answer.json()["error"] == "account_closed":
            return time.monotonic() - since
        await asyncio.sleep(0.02)
    raise AssertionError(f"{path} still accepts a closed account's token after {BOUND_SECONDS} s")


async def timeline(platform: dict[str, RunningService], user_id: str) -> dict[str, float]:
    """Where the time went, by the database's clock: from the closure to the relay's claim of
    its event, and from that claim to each service's recording of the closure (Kafka, the
    consumer's batch and transaction)."""
    closed_at = "SELECT closed_at FROM closed_accounts WHERE user_id = $1::uuid"
    directory = platform["directory"].pool
    closed = await directory.fetchval(closed_at, user_id)
    claimed = None
    for _ in range(300):  # the relay marks its row sent after Kafka's acknowledgement, which
        claimed = await directory.fetchval(  # the consumers may beat on a slow machine
            "SELECT sent_at FROM outbox WHERE key = $1::text::bytea"
            " AND headers::text LIKE '%UserDeactivated%'",
            user_id,
        )
        if claimed is not None:
            break
        await asyncio.sleep(0.1)
    assert claimed is not None, "the directory's relay never marked its UserDeactivated sent"
    recorded = {name: await platform[name].pool.fetchval(closed_at, user_id) for name in PROBES}
    return {"relay claim": (claimed - closed).total_seconds()} | {
        f"kafka+consumer {name}": (at - claimed).total_seconds() for name, at in recorded.items()
    }
