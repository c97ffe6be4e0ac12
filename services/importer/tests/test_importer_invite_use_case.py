""" "Invite contact" (handlers/results.invite and invitations.request_invitations) alone, on an
in-memory unit of work (fake_work.py): no Postgres, no Kafka. The same through the API and
the invitations service is proven by test_importer_one_call.py and the invitations' flow."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from contacts_events import InvitationRequested
from contacts_servicekit.domain_errors import Conflicting, Missing, Purged
from importer_service.domain.model import Import, ImportStatus, NewImport
from importer_service.domain.retention import ImportRetention
from importer_service.handlers import results
from importer_service.handlers.ports import ReadyRow

from .fake_work import FakeImportsWork

pytestmark = pytest.mark.unit
OWNER, STRANGER = uuid.UUID(int=1), uuid.UUID(int=2)
RETENTION = ImportRetention(30)
READY = [ReadyRow(2, "+33612345678", "Léa"), ReadyRow(5, "+33612345679", None),
         ReadyRow(9, "+447400123456", "Sam")]  # fmt: skip


async def an_import(
    work: FakeImportsWork, status: ImportStatus = ImportStatus.COMPLETED, **changes: object
) -> Import:
    import_id = uuid.uuid4()
    await work.create(NewImport(import_id, OWNER, "pasted", ImportStatus.EXTRACTED, "FR", 10))
    work.stored[import_id] = replace(work.stored[import_id], status=status, **changes)
    work.ready_rows[import_id] = list(READY)
    return work.stored[import_id]


def requested(work: FakeImportsWork) -> list[tuple[int | None, str, str | None]]:
    found = [e for e in work.events if isinstance(e, InvitationRequested)]
    return [(e.row_number, e.phone_e164 or "", e.display_name) for e in found]


async def test_every_ready_row_is_asked_for_once_with_its_number_and_name() -> None:
    work = FakeImportsWork()
    job = await an_import(work)

    assert await results.invite(work, OWNER, job.import_id, None, RETENTION) == (3, 0)
    assert requested(work) == [(2, "+33612345678", "Léa"), (5, "+33612345679", None),
                               (9, "+447400123456", "Sam")]  # fmt: skip
    sent = [e for e in work.events if isinstance(e, InvitationRequested)]
    assert {e.request_id for e in sent} == set(work.requests.values())
    assert {(e.import_id, e.inviter_id) for e in sent} == {(job.import_id, OWNER)}


async def test_asking_again_skips_the_numbers_asked_for_before_from_any_import() -> None:
    work = FakeImportsWork()
    first, second = await an_import(work), await an_import(work)
    await results.invite(work, OWNER, first.import_id, [2], RETENTION)
    work.events.clear()

    assert await results.invite(work, OWNER, second.import_id, None, RETENTION) == (2, 1)
    assert [row for row, _, _ in requested(work)] == [5, 9]
    assert await results.invite(work, OWNER, second.import_id, None, RETENTION) == (0, 3)


async def test_only_the_rows_chosen_are_asked_for() -> None:
    work = FakeImportsWork()
    job = await an_import(work)

    assert await results.invite(work, OWNER, job.import_id, [5, 9, 40], RETENTION) == (2, 0)
    assert [row for row, _, _ in requested(work)] == [5, 9]


async def test_the_refusals_of_the_rows_asked_for_again_are_forgotten_and_only_theirs() -> None:
    work = FakeImportsWork()
    job = await an_import(work)
    await results.invite(work, OWNER, job.import_id, [2], RETENTION)
    work.refused_rows[job.import_id] = {2, 5}  # the invitations service refused both since

    await results.invite(work, OWNER, job.import_id, [2, 5], RETENTION)

    assert work.refused_rows[job.import_id] == {2}  # 2 was skipped: its refusal stands


@pytest.mark.parametrize("status", [ImportStatus.VALIDATING, ImportStatus.EXTRACTED])
async def test_an_import_not_completed_invites_no_one(status: ImportStatus) -> None:
    work = FakeImportsWork()
    job = await an_import(work, status)

    with pytest.raises(Conflicting) as refused:
        await results.invite(work, OWNER, job.import_id, None, RETENTION)
    assert refused.value.code == "import_not_completed" and work.events == []
    assert work.requests == {}


async def test_another_owners_import_is_not_found_and_nothing_is_asked() -> None:
    work = FakeImportsWork()
    job = await an_import(work)

    with pytest.raises(Missing):
        await results.invite(work, STRANGER, job.import_id, None, RETENTION)
    with pytest.raises(Missing):
        await results.invite(work, OWNER, uuid.uuid4(), None, RETENTION)
    assert work.events == [] and work.requests == {}


async def test_rows_past_their_retention_invite_no_one() -> None:
    work = FakeImportsWork()
    long_ago = datetime.now(UTC) - timedelta(days=31)
    job = await an_import(work, finished_at=long_ago, completed_at=long_ago)

    with pytest.raises(Purged):
        await results.invite(work, OWNER, job.import_id, None, RETENTION)
    assert work.events == []
