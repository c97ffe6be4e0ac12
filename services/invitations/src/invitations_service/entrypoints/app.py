"""HTTP entrypoint of the invitations service: its FastAPI app, wired to its messaging host."""

from pathlib import Path

from contacts_events import topics
from contacts_messaging.host import ServiceHost, service_app
from contacts_servicekit.migrations import discover
from fastapi import FastAPI

from invitations_service.settings import InvitationsSettings

MIGRATIONS = Path(__file__).parents[1] / "adapters" / "migrations"


def build_app(settings: InvitationsSettings) -> FastAPI:
    host = ServiceHost(
        settings,
        discover("invitations", MIGRATIONS),
        produces=[topics.INVITATIONS],
    )
    return service_app(
        host,
        title="Invitations service",
        description="SMS and email invitations: pending list, resend, delete, acceptance.",
    )
