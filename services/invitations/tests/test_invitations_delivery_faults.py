"""Deliveries through a real HTTP SMS provider stand-in: provider errors are retried, and a
sender killed mid-request never makes the provider deliver a message twice."""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter

import pytest
from contacts_channels.sms_callback import expected_signature

from .conftest import bearer, outbox_events, running_invitations
from .sms_standin import SmsStandIn

pytestmark = [pytest.mark.integration, pytest.mark.fault]


def provider_env(standin: SmsStandIn) -> dict[str, str]:
    return {
        "SMS_PROVIDER": "http",
        "SMS_BASE_URL": standin.url,
        "SMS_ACCOUNT_SID": "AC1",
        "SMS_AUTH_TOKEN": "t",
        "SMS_SENDER_ID": "Contacts",
    }


async def test_a_provider_answering_500_then_201_delivers_exactly_one_message(
    postgres_admin_url, kafka_bootstrap, tmp_path
):
    with SmsStandIn(fail_first=1) as standin:
        async with running_invitations(
            postgres_admin_url, kafka_bootstrap, tmp_path, **provider_env(standin)
        ) as service:
            inviter = uuid.uuid4()
            await service.http.post(
                "/v1/invitations", json={"phone": "+33612341001"}, headers=bearer(inviter)
            )

            async def sent():
                items = (await service.http.get("/v1/invitations", headers=bearer(inviter))).json()[
                    "items"
                ]
                return items[0]["status"] == "sent"

            await service.until(sent)
            assert len(standin.requests) == 2  # one 500, one accepted
            assert len(standin.delivered) == 1
            assert (
                standin.requests[0]["key"] == standin.requests[1]["key"]
            )  # the same attempt, retried
            assert standin.requests[1]["To"] == "+33612341001"
            assert "/invite/" in standin.requests[1]["Body"]


async def test_a_sender_killed_mid_request_never_delivers_a_message_twice(
    postgres_admin_url, kafka_bootstrap, tmp_path
):
    with SmsStandIn(delay_seconds=1.0) as standin:
        env = {**provider_env(standin), "DELIVERY_LEASE_SECONDS": "3", "SEND_CONCURRENCY": "4"}
        async with running_invitations(
            postgres_admin_url, kafka_bootstrap, tmp_path, **env
        ) as service:
            inviter = uuid.uuid4()
            phones = [f"+3361234200{i}" for i in range(8)]
            for phone in phones:
                created = await service.http.post(
                    "/v1/invitations", json={"phone": phone}, headers=bearer(inviter)
                )
                assert created.status_code == 201
            await service.until(lambda: standin.in_flight >= 2)
            service.process.kill()  # SIGKILL while the provider answers several sends
            await asyncio.sleep(0.5)
            service.process.start()
            await asyncio.to_thread(service.process.wait_for, "/ready")

            async def all_sent():
                items = (await service.http.get("/v1/invitations", headers=bearer(inviter))).json()[
                    "items"
                ]
                return len(items) == 8 and all(i["send_count"] == 1 for i in items)

            await service.until(all_sent, seconds=60)
            attempts = {
                str(r["delivery_id"]): r["attempts"]
                for r in await service.pool.fetch("SELECT delivery_id, attempts FROM deliveries")
            }
        assert sorted(m["To"] for m in standin.delivered.values()) == sorted(phones)
        assert len(standin.delivered) == 8
        assert 2 <= standin.max_in_flight <= 4  # concurrent, within SEND_CONCURRENCY
        requests = Counter(r["key"] for r in standin.requests)
        assert max(requests.values()) >= 2, "the interrupted sends were not retried"  # same key
        for key, count in requests.items():  # each attempt called the provider at most once
            assert count <= attempts[key], (key, count, attempts[key])


async def test_a_signed_failure_callback_marks_the_invitation_and_an_unsigned_one_is_refused(
    postgres_admin_url, kafka_bootstrap, tmp_path
):
    with SmsStandIn() as standin:
        async with running_invitations(
            postgres_admin_url, kafka_bootstrap, tmp_path, **provider_env(standin)
        ) as service:
            inviter = uuid.uuid4()
            created = (
                await service.http.post(
                    "/v1/invitations", json={"phone": "+33612343001"},
                    headers={**bearer(inviter), "X-Correlation-ID": "invite-then-fail"},
                )
            ).json()  # fmt: skip

            async def provider_id():
                return await service.pool.fetchval(
                    "SELECT provider_message_id FROM deliveries WHERE invitation_id = $1 AND status = 'sent'",
                    uuid.UUID(created["invitation_id"]),
                )

            sid = await service.until(provider_id)
            form = {"MessageSid": sid, "MessageStatus": "undelivered", "ErrorCode": "30003"}
            url = "http://127.0.0.1:8004/v1/sms/status"  # INVITE_LINK_BASE's default
            unsigned = await service.http.post("/v1/sms/status", data=form)
            assert unsigned.status_code == 403
            signed = await service.http.post(
                "/v1/sms/status",
                data=form,
                headers={"X-Twilio-Signature": expected_signature(url, form, "t")},
            )
            assert signed.status_code == 204, signed.text
            items = (await service.http.get("/v1/invitations", headers=bearer(inviter))).json()[
                "items"
            ]
            assert items[0]["status"] == "delivery_failed"
            [failed] = [
                e
                for e in await outbox_events(service.pool)
                if e.name == "InvitationDeliveryFailed" and e.subject == created["invitation_id"]
            ]
            assert failed.correlationid == "invite-then-fail"  # that of the invite
