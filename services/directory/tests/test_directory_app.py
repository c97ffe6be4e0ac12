"""The directory service's app is assembled without touching Kafka or Postgres."""

import pytest
from contacts_events import topics
from directory_service.entrypoints.app import build_app
from directory_service.settings import DirectorySettings

pytestmark = pytest.mark.unit


def test_defaults_name_the_service_its_schema_and_port() -> None:
    settings = DirectorySettings()
    assert (settings.service_name, settings.db_schema, settings.http_port) == (
        "directory",
        "directory",
        8001,
    )


def test_the_app_documents_its_probes_and_publishes_its_topics() -> None:
    app = build_app(DirectorySettings())
    assert {"/health", "/ready"} <= set(app.openapi()["paths"])
    assert app.state.host.produces == (
        topics.DIRECTORY_USERS,
        topics.DIRECTORY_COMPANIES,
    )
