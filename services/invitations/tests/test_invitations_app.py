"""The invitations service's app is assembled without touching Kafka or Postgres."""

import pytest
from contacts_events import topics
from invitations_service.entrypoints.app import build_app
from invitations_service.settings import InvitationsSettings

pytestmark = pytest.mark.unit


def test_defaults_name_the_service_its_schema_and_port() -> None:
    settings = InvitationsSettings()
    assert (settings.service_name, settings.db_schema, settings.http_port) == (
        "invitations",
        "invitations",
        8004,
    )


def test_the_app_documents_its_probes_and_publishes_its_topics() -> None:
    app = build_app(InvitationsSettings())
    assert {"/health", "/ready"} <= set(app.openapi()["paths"])
    assert app.state.host.produces == (topics.INVITATIONS,)


def test_expiry_runs_as_a_task_of_its_own_next_to_the_worker_and_the_processor() -> None:
    host = build_app(InvitationsSettings()).state.host
    assert [name for name, _ in host._background] == ["requests", "expiry", "delivery"]
