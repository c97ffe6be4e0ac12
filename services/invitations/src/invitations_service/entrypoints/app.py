"""HTTP entrypoint of the invitations service: its FastAPI app, wired to its messaging host
and to its delivery worker."""

from datetime import timedelta
from pathlib import Path

from contacts_events import topics
from contacts_messaging.host import ServiceHost, Subscription, service_app
from contacts_servicekit.migrations import discover
from fastapi import FastAPI

from invitations_service.adapters.channels.base import Channel
from invitations_service.adapters.channels.dev_outbox import DevChannel
from invitations_service.adapters.channels.sms_http import HttpSmsChannel
from invitations_service.adapters.channels.smtp import SmtpChannel
from invitations_service.entrypoints import api_invitations, api_sms_status
from invitations_service.handlers.accepting import directory_handlers
from invitations_service.handlers.delivery import DeliveryWorker
from invitations_service.handlers.requests import request_handlers
from invitations_service.settings import InvitationsSettings

MIGRATIONS = Path(__file__).parents[1] / "adapters" / "migrations"


def status_callback_url(settings: InvitationsSettings) -> str:
    return f"{settings.invite_link_base.rstrip('/')}/v1/sms/status"


def channels(settings: InvitationsSettings) -> dict[str, Channel]:
    """The SMS and email channels the settings choose (`dev` writes messages to a folder)."""
    dev = DevChannel(Path(settings.dev_messages_dir))
    sms: Channel = dev
    if settings.sms_provider == "http":
        sms = HttpSmsChannel(
            settings.sms_base_url, settings.sms_account_sid, settings.sms_auth_token, settings.sms_sender_id,
            status_callback_url=status_callback_url(settings),
        )  # fmt: skip
    email: Channel = dev
    if settings.email_provider == "smtp":
        email = SmtpChannel(
            settings.smtp_host, settings.smtp_port, settings.smtp_sender,
            settings.smtp_username, settings.smtp_password,
        )  # fmt: skip
    return {"sms": sms, "email": email}


def build_app(settings: InvitationsSettings) -> FastAPI:
    host = ServiceHost(settings, discover("invitations", MIGRATIONS), produces=[topics.INVITATIONS])
    policy = settings.policy()
    host.add_subscription(
        Subscription("invitations.requests", (topics.IMPORTS,), request_handlers(policy))
    )
    host.add_subscription(
        Subscription(
            "invitations.directory", (topics.DIRECTORY_USERS,), directory_handlers(host.outbox)
        )
    )

    async def deliver(running: ServiceHost) -> None:
        worker = DeliveryWorker(
            running.pool, running.outbox, channels(settings), policy, settings.invite_link_base,
            per_second=settings.sends_per_second, lease=timedelta(seconds=settings.delivery_lease_seconds),
        )  # fmt: skip
        await worker.run()

    host.add_background("delivery", deliver)
    app = service_app(
        host, title="Invitations service",
        description="SMS and email invitations: pending list, resend, delete, acceptance.",
    )  # fmt: skip
    app.state.policy = policy
    app.state.sms_callback = (status_callback_url(settings), settings.sms_auth_token)
    app.include_router(api_invitations.router)
    app.include_router(api_sms_status.router)
    return app
