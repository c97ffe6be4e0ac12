"""The importer service's app is assembled without touching Kafka or Postgres."""

import pytest
from contacts_events import topics
from importer_service.adapters.work_queue import EXPRESS_TOPIC, WORK_TOPIC
from importer_service.entrypoints.app import build_app
from importer_service.settings import ImporterSettings

pytestmark = pytest.mark.unit


def test_defaults_name_the_service_its_schema_and_port() -> None:
    settings = ImporterSettings()
    assert (settings.service_name, settings.db_schema, settings.http_port) == (
        "importer",
        "importer",
        8003,
    )


def test_the_app_documents_its_probes_and_publishes_its_topics() -> None:
    app = build_app(ImporterSettings())
    assert {"/health", "/ready"} <= set(app.openapi()["paths"])
    assert app.state.host.produces == (topics.IMPORTS, topics.MATCHES, WORK_TOPIC, EXPRESS_TOPIC)


def test_small_imports_have_a_consumer_group_of_their_own() -> None:
    host = build_app(ImporterSettings()).state.host
    groups = {sub.group: sub for sub in host.subscriptions}
    assert groups["importer.workers"].topics == (WORK_TOPIC,)
    assert groups["importer.express"].topics == (EXPRESS_TOPIC,)
    assert set(groups["importer.express"].handlers) == set(groups["importer.workers"].handlers)
