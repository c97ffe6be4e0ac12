"""HTTP entrypoint of the contacts service: its FastAPI app, wired to its messaging host."""

from pathlib import Path

from contacts_events import UserDeactivated, topics
from contacts_messaging.accounts.batch_locks import held_exclusively, held_open
from contacts_messaging.accounts.consumer import closed_accounts_subscription
from contacts_messaging.host import ServiceHost, Subscription
from contacts_messaging.outbox import Outbox
from contacts_servicekit.migrations import discover
from contacts_servicekit.web.app import service_app
from fastapi import FastAPI

from contacts_service.entrypoints import api_contacts
from contacts_service.entrypoints.add_grants import grant_verifier
from contacts_service.handlers.additions import accounts_added, additions
from contacts_service.handlers.closures import closure
from contacts_service.handlers.projections import accounts_changed, directory_projection
from contacts_service.settings import ContactsSettings

MIGRATIONS = Path(__file__).parents[1] / "adapters" / "migrations"
OWN_MIGRATIONS = discover("contacts", MIGRATIONS)  # after the messaging library's
DIRECTORY_GROUP = "contacts.directory"
ADDITIONS_GROUP = "contacts.additions"


def subscriptions(outbox: Outbox) -> list[Subscription]:
    return [
        Subscription(
            DIRECTORY_GROUP,
            (topics.DIRECTORY_USERS, topics.DIRECTORY_COMPANIES),
            directory_projection.bind(None),
            locks=held_exclusively(accounts_changed),
        ),
        Subscription(
            ADDITIONS_GROUP,
            (topics.MATCHES, topics.INVITATIONS),
            additions.bind(outbox),
            locks=held_open(accounts_added),
        ),
        closed_accounts_subscription("contacts", closure.bound(UserDeactivated, outbox)),
    ]


def build_app(settings: ContactsSettings) -> FastAPI:
    host = ServiceHost(settings, OWN_MIGRATIONS, produces=[topics.CONTACTS])
    for subscription in subscriptions(host.outbox):
        host.add_subscription(subscription)
    app = service_app(
        host,
        title="Contacts service",
        description="Each user's contacts: by ConnectID, active/archived, company-managed.",
    )
    app.state.add_grants = grant_verifier(settings)
    app.include_router(api_contacts.router)
    return app
