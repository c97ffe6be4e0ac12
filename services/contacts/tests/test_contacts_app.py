"""The contacts service's app is assembled without touching Kafka or Postgres."""

import pytest
from contacts_events import topics
from contacts_service.entrypoints.app import build_app
from contacts_service.settings import ContactsSettings

pytestmark = pytest.mark.unit


def test_defaults_name_the_service_its_schema_and_port() -> None:
    settings = ContactsSettings()
    assert (settings.service_name, settings.db_schema, settings.http_port) == (
        "contacts",
        "contacts",
        8002,
    )


def test_the_app_documents_its_probes_and_publishes_its_topics() -> None:
    app = build_app(ContactsSettings())
    assert {"/health", "/ready"} <= set(app.openapi()["paths"])
    assert app.state.host.produces == (topics.CONTACTS,)


def test_imports_add_contacts_from_their_matches_alone() -> None:
    """Contacts reads `importer.matches` (a few events per import), never every row of
    `importer.imports`: the last matched user of a large import waited minutes behind them."""
    subscriptions = build_app(ContactsSettings()).state.host.subscriptions
    assert all(topics.IMPORTS not in s.topics for s in subscriptions)
    [additions] = [s for s in subscriptions if s.group == "contacts.additions"]
    assert additions.topics == (topics.MATCHES, topics.INVITATIONS)
    assert set(additions.handlers) == {"ImportRowMatched", "InvitationAccepted"}
