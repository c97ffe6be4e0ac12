"""HTTP entrypoint of the contacts service: its FastAPI app, wired to its messaging host."""

from pathlib import Path

from contacts_events import topics
from contacts_messaging.host import ServiceHost, service_app
from contacts_servicekit.migrations import discover
from fastapi import FastAPI

from contacts_service.settings import ContactsSettings

MIGRATIONS = Path(__file__).parents[1] / "adapters" / "migrations"


def build_app(settings: ContactsSettings) -> FastAPI:
    host = ServiceHost(
        settings,
        discover("contacts", MIGRATIONS),
        produces=[topics.CONTACTS],
    )
    return service_app(
        host,
        title="Contacts service",
        description="Each user's contacts: by ConnectID, active/archived, company-managed.",
    )
