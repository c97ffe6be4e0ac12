"""One platform for the fault tests (Kafka, Postgres, the four services as processes, an SMS
provider stand-in), on ports of their own, and the bulk run each fault case breaks."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Awaitable, Callable, Coroutine, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from contacts_testing.audit import AuditConsumer
from contacts_testing.bulk_checks import (
    check_contacts,
    check_events,
    check_invitations,
    check_rows,
    not_a_row,
    row_fact,
    settle,
)
from contacts_testing.bulk_mix import BulkMix
from contacts_testing.bulk_run import BulkRun
from contacts_testing.infra import TEST_STATE_DIR
from contacts_testing.local_platform import LocalPlatform, Ports
from contacts_testing.platform_client import PlatformClient
from contacts_testing.sms_standin import SmsStandIn

PORTS = Ports(kafka=27292, postgres=27232, http_base=27200)
SECOND_INSTANCE_PORTS = {"importer": 27211, "contacts": 27212}
REPORT = TEST_STATE_DIR / "fault-report.jsonl"
QUICK, IN_CI, FULL = 20_000, 50_000, 200_000
SIZES = [QUICK, pytest.param(FULL, marks=[pytest.mark.slow, pytest.mark.timeout(2400)])]
SIZES_IN_CI = [
    pytest.param(QUICK, marks=pytest.mark.larger_in_ci),
    pytest.param(IN_CI, marks=[pytest.mark.slow, pytest.mark.ci, pytest.mark.timeout(1200)]),
    pytest.param(FULL, marks=[pytest.mark.slow, pytest.mark.timeout(2400)]),
]
"""The cases CI runs with 50,000 rows instead of 20,000 (`ci`, and `larger_in_ci` on the quick
variant it leaves out; `make test` runs the quick one, `make test-slow` every case with 200,000):
docs/testing.md says which and why."""
_BLOCKS = {QUICK: "77", FULL: "78", IN_CI: "73"}


def block(rows: int, case: int) -> str:
    """The case's own 4 digits after +44 (a million numbers; see `BulkMix`): one per size too,
    as the sizes of a case share the platform. Each prefix's blocks are valid UK mobiles
    throughout (+44 79xx is not: +44 7911 999999, the owner's number, is unallocated)."""
    return f"{_BLOCKS[rows]}{case:02d}"


@pytest.fixture(scope="package")
def sms() -> Iterator[SmsStandIn]:
    with SmsStandIn() as standin:
        yield standin


def service_env(sms: SmsStandIn) -> dict[str, dict[str, str]]:
    """The services' settings for a bulk run: SMS through the stand-in, 100 a second."""
    return {
        "invitations": {
            "SMS_PROVIDER": "http", "SMS_BASE_URL": sms.url, "SMS_ACCOUNT_SID": "AC1",
            "SMS_AUTH_TOKEN": "t", "SMS_SENDER_ID": "Contacts", "SENDS_PER_SECOND": "100",
            "INVITER_DAILY_CAP": "1000000", "DELIVERY_LEASE_SECONDS": "10",
        },
        "importer": {"IMPORT_CHUNK_ROWS": "5000"},
    }  # fmt: skip


@pytest.fixture(scope="package")
def platform(sms: SmsStandIn) -> Iterator[LocalPlatform]:
    running = LocalPlatform(PORTS, TEST_STATE_DIR / "faults", service_env(sms))
    try:
        running.start()
        yield running
    finally:
        running.stop()


@dataclass
class FaultCase:
    """A bulk run, a fault, and what was measured: durations and recovery times."""

    name: str
    platform: LocalPlatform
    sms: SmsStandIn
    rows: int
    block: str
    recoveries: list[float] = field(default_factory=list)
    notes: dict[str, object] = field(default_factory=dict)
    audit: AuditConsumer | None = None  # during `run`: counts what reaches Kafka
    background: list[asyncio.Task[None]] = field(default_factory=list)
    bulk_done: asyncio.Event = field(default_factory=asyncio.Event)

    _bulk_run: asyncio.Task[None] | None = None

    def in_background(self, work: Coroutine[Any, Any, None]) -> None:
        """Run `work` (a fault that lasts) while the bulk run goes on; `run` awaits it once the
        bulk run is done, before the checks. If it fails, the bulk run is stopped at once (it
        may be waiting for what `work` would have restarted) and the case fails with its error."""
        task = asyncio.create_task(work)
        task.add_done_callback(self._stop_bulk_run_on_failure)
        self.background.append(task)

    def _stop_bulk_run_on_failure(self, task: asyncio.Task[None]) -> None:
        if self._failed_in_background() and self._bulk_run is not None:
            self._bulk_run.cancel()

    def _failed_in_background(self) -> bool:
        return any(t.done() and not t.cancelled() and t.exception() for t in self.background)

    def restart(self, *names: str) -> None:
        """Restart services; note how long until every one is ready again."""
        started = time.monotonic()
        self.platform.restart(*names)
        self.platform.wait_ready()
        self.recoveries.append(round(time.monotonic() - started, 1))

    def back_up(self, started: float) -> None:
        """Every service ready again: note the time since `started` (the component's restart)."""
        self.platform.wait_ready(seconds=300)
        self.recoveries.append(round(time.monotonic() - started, 1))

    async def run(self, **hooks: Callable[[], Awaitable[None]]) -> BulkRun:
        """The bulk run with `hooks` (on_import, on_sending, on_joining); then every check."""
        began, sms_before = time.monotonic(), len(self.sms.requests)
        self.platform.ensure_running()
        mix = BulkMix(self.rows, self.block)
        admin = await self.platform.admin()
        since = await admin.fetchval("SELECT now()")
        await admin.close()  # a fault may restart Postgres: connect again for the checks
        urls = {name: s.url for name, s in self.platform.services.items()}
        audit = AuditConsumer(self.platform.bootstrap, keep=not_a_row, summarise=row_fact, from_now=True)  # fmt: skip
        async with audit, PlatformClient(urls) as client:
            self.audit, run = (
                audit,
                BulkRun(client, self.platform.admin_url, mix, self.sms, **hooks),
            )
            await self._bulk(run)
            admin = await self.platform.admin()
            try:
                drained = await settle(admin, run, since, seconds=900)
                checked = {
                    "rows": await check_rows(admin, run),
                    "contacts": await check_contacts(admin, run),
                    "invitations": await check_invitations(admin, run),
                    "events": await check_events(admin, run, audit, since),
                }
            finally:
                await admin.close()
        self.notes["sms_requests"] = len(self.sms.requests) - sms_before
        self.report(began, run, drained, checked)
        return run

    async def _bulk(self, run: BulkRun) -> None:
        """The bulk run, then whatever runs in the background (cancelled if the run fails).
        A service that exited on its own meanwhile fails the case, whatever else failed."""
        self._bulk_run = asyncio.create_task(run.run())
        try:
            try:
                await self._bulk_run
            except asyncio.CancelledError:
                if not self._failed_in_background():
                    raise
            self.bulk_done.set()
            await asyncio.gather(*self.background)  # raises a background failure
        except Exception as failure:
            self._no_crash(failure)
            raise
        finally:
            for task in self.background:
                task.cancel()
        self._no_crash()

    def _no_crash(self, failure: BaseException | None = None) -> None:
        if crashed := self.platform.crashed():
            raise AssertionError(
                f"services exited on their own (exit codes): {crashed}"
            ) from failure

    def _records_twice(self) -> int:
        """Records the audit read more than once by event id: a relay that resent what Kafka
        had written but not acknowledged. Consumers' inboxes drop them; the checks count facts."""
        seen = self.audit.seen.values() if self.audit is not None else []
        return sum(count - 1 for count in seen if count > 1)

    def report(self, began: float, run: BulkRun, drained: float, checked: dict[str, int]) -> None:
        line = {
            "case": self.name, "rows": self.rows, "seconds": round(time.monotonic() - began, 1),
            "phases": {k: round(v, 1) for k, v in run.phases.items()},
            "drain_after_run": round(drained, 1), "recoveries": self.recoveries,
            "checked": checked, "records_on_kafka_twice": self._records_twice(),
            "client_retries": run.retried, **self.notes,
        }  # fmt: skip
        with REPORT.open("a") as out:
            out.write(json.dumps(line) + "\n")
        print(json.dumps(line))


@pytest.fixture
def fault_case(request, platform, sms) -> Callable[[int, str], FaultCase]:
    def make(rows: int, block: str) -> FaultCase:
        return FaultCase(request.node.name, platform, sms, rows, block)

    return make
