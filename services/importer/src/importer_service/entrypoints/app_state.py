"""What the routes take from the app's state, built once when the app starts (app.py)."""

from __future__ import annotations

import asyncpg
from contacts_events import EventContext
from contacts_messaging.api import get_outbox
from fastapi import Request

from importer_service.adapters.file_reader import FileReader
from importer_service.adapters.unit_of_work import PostgresImportsWork
from importer_service.handlers.rules import ImportRules


def reader_of(request: Request) -> FileReader:
    """The pool of worker processes that read uploaded files."""
    reader: FileReader = request.app.state.file_reader
    return reader


def rules_of(request: Request) -> ImportRules:
    """The rules from the settings: quota, chunking, region, retention."""
    rules: ImportRules = request.app.state.import_rules
    return rules


def imports_work(
    request: Request, conn: asyncpg.Connection, context: EventContext
) -> PostgresImportsWork:
    """The use cases' unit of work on `conn`, its events written with `context`."""
    rules = rules_of(request)
    return PostgresImportsWork(conn, get_outbox(request), context, rules.quota, rules.chunking)
