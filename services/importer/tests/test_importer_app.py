"""The importer service's app is assembled without touching Kafka or Postgres."""

import pytest
from contacts_events import topics
from importer_service.adapters.work_queue import EXPRESS_TOPIC, WORK_TOPIC
from importer_service.entrypoints.app import STEP_ROUNDS_A_BATCH, build_app
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


@pytest.mark.parametrize("in_flight", [2, 1, 3])
def test_chunk_steps_run_side_by_side_as_set(in_flight: int) -> None:
    """IMPORT_STEPS_IN_FLIGHT work items at once, each in its own transaction, out of a batch
    of a few rounds of them; the express lane keeps one step a batch."""
    settings = ImporterSettings(import_steps_in_flight=in_flight)
    groups = {sub.group: sub for sub in build_app(settings).state.host.subscriptions}
    workers, express = groups["importer.workers"], groups["importer.express"]
    assert workers.side_by_side == in_flight
    assert workers.max_records == in_flight * STEP_ROUNDS_A_BATCH
    assert (express.max_records, express.side_by_side) == (1, 0)


def test_two_steps_are_in_flight_by_default() -> None:
    assert ImporterSettings().import_steps_in_flight == 2


def test_the_chunk_workers_start_with_the_service_unless_told(monkeypatch) -> None:
    """The default: a fresh instance's first large import finds its workers ready (the tests'
    own environment says false: contacts_testing.fixtures)."""
    monkeypatch.delenv("IMPORT_WORKERS_AT_START", raising=False)
    assert ImporterSettings().import_workers_at_start is True
    monkeypatch.setenv("IMPORT_WORKERS_AT_START", "false")
    assert ImporterSettings().import_workers_at_start is False
