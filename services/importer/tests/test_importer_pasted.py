"""Pasted numbers: every number gets its status, events on Kafka, invitations requested."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from contacts_events import (
    AcceptanceMatch,
    CancellationReason,
    ContactAdded,
    ContactSource,
    InvitationAccepted,
    InvitationCancelled,
    InvitationChannel,
    InvitationExpired,
    InvitationRefused,
    InvitationSent,
    topics,
)
from contacts_events.kafka_binding import from_record
from contacts_events.topics import namespaced
from contacts_testing.kafka_reader import read_topic

from .conftest import bearer

pytestmark = pytest.mark.integration


async def test_pasted_numbers_get_every_status(importer, kafka_bootstrap):
    owner = await importer.register("+33612345001", "Owner")
    friend = await importer.register("+33612345002", "Friend")
    known = await importer.register("+33612345003", "Known")
    await importer.events.publish(
        ContactAdded(
            owner_id=owner.user_id, contact_user_id=known.user_id, source=ContactSource.CONNECT_ID
        )
    )
    text = ("06 12 34 50 02, +33612345003;0612345099\n+33 6 12 34 50 99\t01 23 45 67 89, 0612345001; not a number\n"
            "+44 7400 123456")  # fmt: skip
    created = await importer.http.post(
        "/v1/imports/pasted", json={"text": text}, headers=bearer(owner.user_id)
    )
    assert created.status_code == 201, created.text
    job = await importer.finished(owner.user_id, created.json()["import_id"])
    assert job["status"] == "completed", job
    rows = {r["row_number"]: r for r in await importer.rows(owner.user_id, job["import_id"])}
    statuses = {n: (r["status"], r["reason_code"]) for n, r in rows.items()}
    assert statuses[1][0] == "user_added" and rows[1]["matched_user_id"] == str(friend.user_id)
    assert statuses[2][0] == "already_contact"
    assert statuses[3][0] == "ready_to_invite"
    assert statuses[4] == ("duplicate_in_import", statuses[4][1])
    assert statuses[5][0] == "invalid"  # a landline cannot receive SMS
    assert statuses[6][0] == "self"
    assert statuses[7][0] == "invalid"
    assert statuses[8][0] == "ready_to_invite"  # the +44 overrides the default region
    assert job["counts"] == {"user_added": 1, "already_contact": 1, "ready_to_invite": 2,
                             "duplicate_in_import": 1, "invalid": 2, "self": 1, "already_invited": 0}  # fmt: skip
    assert job["progress"] == 1.0

    records = await read_topic(
        kafka_bootstrap, namespaced(topics.IMPORTS, importer.namespace), expect=10, seconds=30
    )
    events = [
        from_record(r.key, r.value, r.headers)
        for r in records
        if r.key == job["import_id"].encode()
    ]
    names = [e.name for e in events]
    assert names[0] == "ImportStarted" and names[-1] == "ImportCompleted"
    validated = [e.data for e in events if e.name == "ImportRowValidated"]
    assert sorted(v.row_number for v in validated) == list(range(1, 9))

    # the user_added row alone is on importer.matches too, for the contacts service
    matches = await read_topic(
        kafka_bootstrap, namespaced(topics.MATCHES, importer.namespace), expect=10, seconds=5
    )
    matched = [from_record(r.key, r.value, r.headers) for r in matches
               if r.key == job["import_id"].encode()]  # fmt: skip
    assert [(e.name, e.data.row_number, e.data.matched_user_id) for e in matched] == [
        ("ImportRowMatched", 1, friend.user_id)
    ]
    assert matched[0].data.source == "pasted"


async def test_inviting_the_ready_rows_requests_each_number_once(importer, kafka_bootstrap):
    owner = await importer.register("+33612346001", "Owner")
    created = await importer.http.post(
        "/v1/imports/pasted", json={"text": "0612346002, 0612346003"}, headers=bearer(owner.user_id)
    )
    job = await importer.finished(owner.user_id, created.json()["import_id"])
    invited = await importer.http.post(
        f"/v1/imports/{job['import_id']}/invitations", json={}, headers=bearer(owner.user_id)
    )
    assert invited.json() == {"requested": 2, "skipped": 0}
    again = await importer.http.post(
        f"/v1/imports/{job['import_id']}/invitations", json={}, headers=bearer(owner.user_id)
    )
    assert again.json() == {"requested": 0, "skipped": 2}

    second = await importer.http.post(
        "/v1/imports/pasted", json={"text": "0612346002"}, headers=bearer(owner.user_id)
    )
    job2 = await importer.finished(owner.user_id, second.json()["import_id"])
    assert (await importer.rows(owner.user_id, job2["import_id"]))[0]["status"] == "already_invited"

    records = await read_topic(
        kafka_bootstrap, namespaced(topics.IMPORTS, importer.namespace), expect=1000, seconds=5
    )
    requested = [from_record(r.key, r.value, r.headers).data for r in records
                 if dict(r.headers)["ce_type"].endswith(b"InvitationRequested.v1")]  # fmt: skip
    assert sorted(e.phone_e164 for e in requested if e.inviter_id == owner.user_id) == [
        "+33612346002",
        "+33612346003",
    ]


async def test_another_users_import_is_404(importer):
    owner = await importer.register("+33612347001", "Owner")
    created = await importer.http.post(
        "/v1/imports/pasted", json={"text": "0612347002"}, headers=bearer(owner.user_id)
    )
    stranger = bearer(uuid.uuid4())
    import_id = created.json()["import_id"]
    assert (
        await importer.http.get(f"/v1/imports/{import_id}", headers=stranger)
    ).status_code == 404
    assert (
        await importer.http.get(f"/v1/imports/{import_id}/rows", headers=stranger)
    ).status_code == 404
    assert (
        await importer.http.get(f"/v1/imports/{import_id}/error-report.csv", headers=stranger)
    ).status_code == 404
    empty = await importer.http.post(
        "/v1/imports/pasted", json={"text": " ,;\n"}, headers=bearer(owner.user_id)
    )
    assert (empty.status_code, empty.json()["error"]) == (422, "no_numbers")


async def test_a_refused_invitation_shows_on_its_row_and_the_row_can_be_invited_again(importer):
    owner = await importer.register("+33612348001", "Owner")
    me = bearer(owner.user_id)
    created = await importer.http.post(
        "/v1/imports/pasted", json={"text": "0612348002, 0612348003"}, headers=me
    )
    job = await importer.finished(owner.user_id, created.json()["import_id"])
    invitations = f"/v1/imports/{job['import_id']}/invitations"
    assert (await importer.http.post(invitations, json={}, headers=me)).json()["requested"] == 2
    request = await importer.pool.fetchrow(
        "SELECT request_id, row_number, phone_e164 FROM invitation_requests"
        " WHERE import_id = $1 AND row_number = 2",
        uuid.UUID(job["import_id"]),
    )
    refused = InvitationRefused(
        invitation_id=uuid.uuid4(), request_id=request["request_id"], inviter_id=owner.user_id,
        import_id=uuid.UUID(job["import_id"]), row_number=2, channel=InvitationChannel.SMS,
        phone_e164=request["phone_e164"], reason_code="country_not_allowed",
        reason="Your company invites only numbers in BE.",
    )  # fmt: skip
    await importer.events.publish(refused, refused)  # twice: still one refusal

    async def refusals():
        page = await importer.http.get(f"{invitations}/refusals", headers=me)
        assert page.status_code == 200, page.text
        return page.json()

    await importer.until(lambda: _has_items(refusals))
    page = await refusals()
    assert page["total"] == 1
    assert [(r["row_number"], r["phone_e164"], r["reason_code"], r["reason"])
            for r in page["items"]] == [(2, "+33612348003", "country_not_allowed",
                                         "Your company invites only numbers in BE.")]  # fmt: skip
    stranger = await importer.http.get(f"{invitations}/refusals", headers=bearer(uuid.uuid4()))
    assert stranger.status_code == 404

    again = await importer.http.post(invitations, json={}, headers=me)
    assert again.json() == {"requested": 1, "skipped": 1}  # the refused row only
    assert (await refusals()) == {"items": [], "total": 0, "next_cursor": None}


async def _has_items(fetch):
    return bool((await fetch())["items"])


async def test_a_message_announced_after_its_invitation_closed_does_not_reopen_it(importer):
    """The invitations service announces a message that was in flight when the invitee joined
    after the acceptance (which cannot name the number): the number stays invitable, the
    import's request for it is done; a pending one stays already invited."""
    owner = await importer.register("+33612349001", "Owner")
    me = bearer(owner.user_id)
    joined, pending, request = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    expires = datetime.now(UTC) + timedelta(days=30)
    await importer.pool.execute(  # as "Invite contact" in an earlier import left it
        "INSERT INTO invitation_requests (request_id, inviter_id, phone_e164, import_id, row_number)"
        " VALUES ($1, $2, '+33612349002', $3, 1)",
        request, owner.user_id, uuid.uuid4(),
    )  # fmt: skip

    def sent(invitation_id: uuid.UUID, phone: str, request_id=None) -> InvitationSent:
        return InvitationSent(
            invitation_id=invitation_id, inviter_id=owner.user_id, channel=InvitationChannel.SMS,
            phone_e164=phone, expires_at=expires, request_id=request_id,
        )  # fmt: skip

    accepted = InvitationAccepted(
        invitation_id=joined, inviter_id=owner.user_id, invitee_user_id=uuid.uuid4(),
        channel=InvitationChannel.SMS, matched_by=AcceptanceMatch.PHONE,
    )  # fmt: skip
    late = await importer.events.publish(accepted, sent(joined, "+33612349002", request))
    await importer.events.publish(sent(pending, "+33612349003"))

    async def consumed(event_id: uuid.UUID) -> bool:
        return bool(
            await importer.pool.fetchval("SELECT true FROM inbox WHERE event_id = $1", event_id)
        )

    await importer.until(lambda: consumed(late[-1].id))
    await importer.until(lambda: importer.pool.fetchval(
        "SELECT true FROM pending_invitations WHERE invitation_id = $1", pending))  # fmt: skip

    created = await importer.http.post(
        "/v1/imports/pasted", json={"text": "0612349002, 0612349003"}, headers=me
    )
    job = await importer.finished(owner.user_id, created.json()["import_id"])
    rows = await importer.rows(owner.user_id, job["import_id"])
    assert [(r["phone_e164"], r["status"]) for r in rows] == [
        ("+33612349002", "ready_to_invite"),
        ("+33612349003", "already_invited"),
    ]
    numbers = "SELECT invitation_id, phone_e164 FROM pending_invitations WHERE inviter_id = $1"
    kept = dict(await importer.pool.fetch(numbers, owner.user_id))
    assert kept == {joined: None, pending: "+33612349003"}  # a closed one keeps no number


async def test_an_invitation_accepted_after_its_message_frees_the_number_and_forgets_it(importer):
    """In order: sent (naming the number), then accepted (naming only the invitation). The
    request for the number, found by the number the message gave, is done; the closed
    invitation keeps no copy of the number, which is now a user's (erased if they leave)."""
    owner = await importer.register("+33612349101", "Owner")
    invitation = uuid.uuid4()
    await importer.pool.execute(  # a request made before `request_id` was carried
        "INSERT INTO invitation_requests (request_id, inviter_id, phone_e164, import_id, row_number)"
        " VALUES ($1, $2, '+33612349102', $3, 1)",
        uuid.uuid4(), owner.user_id, uuid.uuid4(),
    )  # fmt: skip
    sent = InvitationSent(
        invitation_id=invitation, inviter_id=owner.user_id, channel=InvitationChannel.SMS,
        phone_e164="+33612349102", expires_at=datetime.now(UTC) + timedelta(days=30),
    )  # fmt: skip
    accepted = InvitationAccepted(
        invitation_id=invitation, inviter_id=owner.user_id, invitee_user_id=uuid.uuid4(),
        channel=InvitationChannel.SMS, matched_by=AcceptanceMatch.PHONE,
    )  # fmt: skip
    published = await importer.events.publish(sent, accepted)
    applied = "SELECT true FROM inbox WHERE event_id = $1"
    await importer.until(lambda: importer.pool.fetchval(applied, published[-1].id))

    row = await importer.pool.fetchrow(
        "SELECT closed, phone_e164 FROM pending_invitations WHERE invitation_id = $1", invitation
    )
    assert (row["closed"], row["phone_e164"]) == (True, None)
    requests = "SELECT count(*) FROM invitation_requests WHERE inviter_id = $1"
    assert await importer.pool.fetchval(requests, owner.user_id) == 0


async def test_an_invitation_closed_before_its_first_message_frees_the_number(importer):
    """Cancelled (the inviter deleted it at once), accepted or expired before any message went
    out: no InvitationSent ever names the number, the closing event names the import's request
    (`request_id`), which is done; the number can be invited again. An open one stays."""
    owner = await importer.register("+33612349301", "Owner")
    me = bearer(owner.user_id)
    text = "0612349302, 0612349303, 0612349304, 0612349305"
    created = await importer.http.post("/v1/imports/pasted", json={"text": text}, headers=me)
    job = await importer.finished(owner.user_id, created.json()["import_id"])
    invitations = f"/v1/imports/{job['import_id']}/invitations"
    assert (await importer.http.post(invitations, json={}, headers=me)).json()["requested"] == 4
    requests = dict(await importer.pool.fetch(
        "SELECT phone_e164, request_id FROM invitation_requests WHERE import_id = $1",
        uuid.UUID(job["import_id"]),
    ))  # fmt: skip
    closed = {"inviter_id": owner.user_id}
    cancelled = InvitationCancelled(
        invitation_id=uuid.uuid4(), request_id=requests["+33612349302"],
        reason=CancellationReason.DELETED_BY_INVITER, **closed,
    )  # fmt: skip
    accepted = InvitationAccepted(
        invitation_id=uuid.uuid4(), request_id=requests["+33612349303"],
        invitee_user_id=uuid.uuid4(), channel=InvitationChannel.SMS,
        matched_by=AcceptanceMatch.PHONE, **closed,
    )  # fmt: skip
    expired = InvitationExpired(
        invitation_id=uuid.uuid4(), request_id=requests["+33612349304"], **closed
    )
    published = await importer.events.publish(cancelled, accepted, expired, times=2)

    async def consumed() -> bool:
        return await importer.pool.fetchval(
            "SELECT count(*) FROM inbox WHERE event_id = ANY($1::uuid[])", [e.id for e in published]
        ) == len(published)  # fmt: skip

    await importer.until(consumed)
    again = await importer.http.post("/v1/imports/pasted", json={"text": text}, headers=me)
    job = await importer.finished(owner.user_id, again.json()["import_id"])
    rows = await importer.rows(owner.user_id, job["import_id"])
    assert [(r["phone_e164"], r["status"]) for r in rows] == [
        ("+33612349302", "ready_to_invite"),
        ("+33612349303", "ready_to_invite"),
        ("+33612349304", "ready_to_invite"),
        ("+33612349305", "already_invited"),
    ]
    invited = await importer.http.post(
        f"/v1/imports/{job['import_id']}/invitations", json={}, headers=me
    )
    assert invited.json() == {"requested": 3, "skipped": 0}
