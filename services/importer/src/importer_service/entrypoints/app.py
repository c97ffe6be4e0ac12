"""HTTP entrypoint of the importer service: its FastAPI app, wired to its messaging host."""

from pathlib import Path

from contacts_events import topics
from contacts_messaging.host import ServiceHost, service_app
from contacts_servicekit.migrations import discover
from fastapi import FastAPI

from importer_service.settings import ImporterSettings

MIGRATIONS = Path(__file__).parents[1] / "adapters" / "migrations"


def build_app(settings: ImporterSettings) -> FastAPI:
    host = ServiceHost(
        settings,
        discover("importer", MIGRATIONS),
        produces=[topics.IMPORTS],
    )
    return service_app(
        host,
        title="Importer service",
        description="Imports of pasted numbers and CSV/XLS/XLSX lists, a status per row.",
    )
