"""HTTP entrypoint of the invitations service: its FastAPI app, wired to its messaging host,
its request processor, its delivery worker and its expiry task."""

from datetime import timedelta
from pathlib import Path

from contacts_channels import channels_from_settings
from contacts_events import UserDeactivated, topics
from contacts_messaging.accounts.consumer import closed_accounts_subscription
from contacts_messaging.host import ServiceHost, Subscription
from contacts_servicekit.migrations import discover
from contacts_servicekit.web.app import service_app
from fastapi import FastAPI

from invitations_service.adapters.retention import invitations_expiries
from invitations_service.adapters.send_workers_repository import SendWorkers
from invitations_service.entrypoints import (
    api_destination_countries,
    api_invitations,
    api_sms_status,
)
from invitations_service.handlers.accepting import directory
from invitations_service.handlers.closures import closure
from invitations_service.handlers.expiry import ExpiryTask
from invitations_service.handlers.sending.handover import HandOver
from invitations_service.handlers.sending.processor import RequestProcessor
from invitations_service.handlers.sending.rate_share import LIVE_FOR
from invitations_service.handlers.sending.requests import request_batch_handlers, requests
from invitations_service.handlers.sending.wake import DeliveryWake
from invitations_service.handlers.sending.worker import DeliveryWorker
from invitations_service.settings import InvitationsSettings

MIGRATIONS = Path(__file__).parents[1] / "adapters" / "migrations"
OWN_MIGRATIONS = discover("invitations", MIGRATIONS)  # after the messaging library's


def build_app(settings: InvitationsSettings) -> FastAPI:
    host = ServiceHost(settings, OWN_MIGRATIONS, produces=[topics.INVITATIONS])
    policy = settings.policy()
    processor = RequestProcessor(policy, host.outbox)
    wake = DeliveryWake(settings.delivery_claim_linger_ms / 1000)
    handover = HandOver()
    host.add_subscription(
        Subscription(
            "invitations.requests",
            (topics.IMPORTS,),
            requests.bind(processor.wake),
            batch_handlers=request_batch_handlers(processor.wake),
        )
    )
    host.add_subscription(
        Subscription(
            "invitations.directory",
            (topics.DIRECTORY_USERS, topics.DIRECTORY_COMPANIES),
            directory.bind(host.outbox),
        )
    )
    host.add_subscription(
        closed_accounts_subscription("invitations", closure.bound(UserDeactivated, host.outbox))
    )

    async def deliver(running: ServiceHost) -> None:
        built = channels_from_settings(settings, environment=settings.environment)
        worker = DeliveryWorker(
            running.pool, running.outbox, {"sms": built.sms, "email": built.email}, policy, settings.invite_link_base,
            per_second=settings.sends_per_second, concurrency=settings.send_concurrency,
            lease=timedelta(seconds=settings.delivery_lease_seconds), wake=wake,
            workers=SendWorkers(running.pool, LIVE_FOR),
        )  # fmt: skip
        handover.attach(worker if settings.delivery_handover else None)
        try:
            await worker.run()
        finally:
            handover.attach(None)
            await built.close()

    async def handle_requests(running: ServiceHost) -> None:
        await processor.run(running.pool)

    async def expire(running: ServiceHost) -> None:
        await ExpiryTask(running.pool, running.outbox, policy).run()

    host.add_background("requests", handle_requests)
    host.add_background("expiry", expire)
    kept = timedelta(days=settings.failed_request_retention_days)
    for expiry in invitations_expiries(kept):
        host.add_purge(expiry)
    host.add_background("delivery", deliver)
    app = service_app(
        host, title="Invitations service",
        description="SMS and email invitations: pending list, resend, delete, acceptance.",
    )  # fmt: skip
    app.state.policy = policy
    app.state.delivery_handover = handover  # invites and resends hand their messages over
    app.state.sms_callback = (
        settings.status_callback_url,
        settings.sms_auth_token.get_secret_value(),
    )
    app.include_router(api_invitations.router)
    app.include_router(api_sms_status.router)
    app.include_router(api_destination_countries.router)
    return app
