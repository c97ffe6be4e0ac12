"""HTTP entrypoint of the importer service: its FastAPI app, wired to its messaging host."""

import asyncio
from pathlib import Path
from typing import Protocol

import structlog
from contacts_events import UserDeactivated, topics
from contacts_messaging.accounts.consumer import closed_accounts_subscription
from contacts_messaging.host import ServiceHost, Subscription
from contacts_messaging.producer_settings import ProducerSettings
from contacts_servicekit.migrations import discover
from contacts_servicekit.web.app import service_app
from fastapi import FastAPI

from importer_service.adapters import row_columns
from importer_service.adapters.chunk_workers import ChunkWorkers
from importer_service.adapters.file_reader import FileReader
from importer_service.adapters.import_purge import ImportPurge
from importer_service.adapters.sources.limits import SourceLimits
from importer_service.adapters.work_queue import (
    EXPRESS_TOPIC,
    WORK_TOPIC,
    express_items,
    work_items,
)
from importer_service.adapters.worker_process import WorkerLimits
from importer_service.domain import phone_engine, phones
from importer_service.entrypoints import (
    api_import_progress,
    api_import_results,
    api_import_rows,
    api_imports,
)
from importer_service.handlers.closures import closure
from importer_service.handlers.pipeline import Pipeline, steps
from importer_service.handlers.projections import projections
from importer_service.handlers.rules import ImportRules
from importer_service.settings import ImporterSettings

MIGRATIONS = Path(__file__).parents[1] / "adapters" / "migrations"
OWN_MIGRATIONS = discover("importer", MIGRATIONS)  # after the messaging library's
STEP_ROUNDS_A_BATCH = 4  # work items a batch: IMPORT_STEPS_IN_FLIGHT x this (bench/IMPORTER.md)

log = structlog.get_logger(__name__)


def build_app(settings: ImporterSettings) -> FastAPI:
    host = ServiceHost(
        settings,
        OWN_MIGRATIONS,
        produces=[topics.IMPORTS, topics.MATCHES, WORK_TOPIC, EXPRESS_TOPIC],
    )
    use_phone_engine(settings.import_phone_engine)
    row_columns.warm()
    workers = ChunkWorkers(settings.import_parse_processes)
    start_now = settings.import_workers_at_start  # else when an import first needs them
    host.add_background("chunk-workers", lambda _host: _chunk_workers(workers, start_now))
    reader = file_reader(settings)
    rules = ImportRules.of(settings)
    host.add_background("file-readers", lambda _host: _ready_until_stop(reader))
    host.add_purge(ImportPurge(rules.retention))
    host.add_subscription(
        Subscription(
            "importer.projections",
            (topics.DIRECTORY_USERS, topics.CONTACTS, topics.INVITATIONS),
            projections.bind(None),
        )
    )
    packing = ProducerSettings.load()
    pipeline = steps.bind(
        Pipeline(host.outbox, rules.chunking, workers, reader, rules.quota, packing)
    )
    # a work item is up to a chunk of rows: commit each step alone, so the chunk counter's row
    # lock (taken at the end of a step) is held only until its commit; a few steps side by side
    # (their order does not matter), so one's Python runs while another's statements do; a
    # batch of a few rounds of them, so that a slot freed takes the next item at once
    in_flight = settings.import_steps_in_flight
    host.add_subscription(
        Subscription("importer.workers", (WORK_TOPIC,), pipeline, events=work_items,
                     max_records=in_flight * STEP_ROUNDS_A_BATCH, side_by_side=in_flight)
    )  # fmt: skip
    # small imports' steps, read beside the large ones' (work_queue: the express lane)
    express_steps = {step.name: pipeline[step.name] for step in express_items.events()}
    host.add_subscription(
        Subscription("importer.express", (EXPRESS_TOPIC,), express_steps, events=express_items,
                     max_records=1)
    )  # fmt: skip
    host.add_subscription(
        closed_accounts_subscription("importer", closure.bound(UserDeactivated, None))
    )
    app = service_app(
        host,
        title="Importer service",
        description="Imports of pasted numbers and CSV/XLS/XLSX lists, a status per row.",
    )
    app.state.file_reader = reader
    app.state.import_rules = rules
    for api in (api_imports, api_import_rows, api_import_results, api_import_progress):
        app.include_router(api.router)
    return app


def use_phone_engine(name: str) -> phone_engine.PhoneEngine:
    """Check numbers with the engine `IMPORT_PHONE_ENGINE` names, or with phonenumbers, saying
    why, when the Rust engine's metadata is older than phonenumbers' (before the phone-check
    workers start: they are told it)."""
    engine, fallback = phone_engine.choose(name)
    if fallback is not None:
        log.warning(
            "phone_engine.fallback", asked=name, used=engine.name, reason=fallback,
            rphonenumbers_metadata=phone_engine.ENGINES[name].metadata_version,
            phonenumbers=phone_engine.PHONENUMBERS.metadata_version,
        )  # fmt: skip
    phones.use_engine(engine)
    log.info("phone_engine", engine=engine.name, metadata=engine.metadata_version)
    return engine


def file_reader(settings: ImporterSettings) -> FileReader:
    limits = SourceLimits(
        max_bytes=settings.import_max_bytes, max_rows=settings.import_max_rows,
        max_cells=settings.import_max_cells, max_cell_chars=settings.import_max_cell_chars,
    )  # fmt: skip
    workers = WorkerLimits(settings.import_parse_max_mb, settings.import_parse_seconds)
    return FileReader(limits, workers, settings.import_parse_workers)


class _Workers(Protocol):
    def close(self) -> None: ...


async def _close_on_stop(workers: _Workers) -> None:
    """Hold worker processes until the service stops."""
    try:
        await asyncio.Event().wait()
    finally:
        workers.close()


async def _chunk_workers(workers: ChunkWorkers, start_now: bool) -> None:
    """The chunk workers, started now in the background (a fork server, then its workers)
    with IMPORT_WORKERS_AT_START, else when an import first needs them (`prepare_for`); all
    ended at the stop."""
    if start_now:
        workers.start()
    await _close_on_stop(workers)


async def _ready_until_stop(reader: FileReader) -> None:
    """A file-reading worker ready for the first upload, and every one ended at the stop."""
    await reader.start()
    await _close_on_stop(reader)
