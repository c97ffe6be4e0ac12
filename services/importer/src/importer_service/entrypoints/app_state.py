"""What the routes take from the app's state, built once when the app starts (app.py)."""

from __future__ import annotations

import asyncpg
from contacts_events import EventContext
from contacts_messaging.api import get_host, get_outbox
from contacts_servicekit.web.requests import Caller
from fastapi import Request

from importer_service.adapters.file_reader import FileReader
from importer_service.adapters.unit_of_work import PostgresImportsWork, PostgresTransactions
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


def transactions_of(request: Request, caller: Caller) -> PostgresTransactions:
    """Units of work for a use case that opens its transactions itself (one after reading a
    file), its events written with the caller's context."""
    rules, context = rules_of(request), caller.event_context()
    return PostgresTransactions(
        get_host(request).pool, get_outbox(request), context, rules.quota, rules.chunking
    )
