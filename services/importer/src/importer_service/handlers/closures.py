"""What the importer does when an owner's account closes: their imports not finished yet stop
(`failed`, error `account_closed`), their stored files and parse results are deleted, and the
work still queued for them does nothing (every step checks the import's status).

The closure is recorded by the consumer group `importer.accounts`, which stops the imports in
its transaction. Each pipeline step holds the owner open while it runs (`still_open`), so a
step either commits before the closure or sees it and stops the imports itself: an import
another transaction held when the closure ran (a long extraction) is stopped by its own step.
"""

from __future__ import annotations

from uuid import UUID

import asyncpg
import structlog
from contacts_events import UserDeactivated
from contacts_events.envelope import CloudEvent
from contacts_messaging.accounts import store as closed_accounts
from contacts_messaging.handlers import EventHandlers

from importer_service.adapters import chunk_checks, file_store
from importer_service.adapters import imports_repository as imports
from importer_service.domain.model import Import

log = structlog.get_logger(__name__)
ACCOUNT_CLOSED = {
    "error": "account_closed",
    "message": "The account this import belonged to was closed: the import was stopped.",
}


async def stop_imports_of(conn: asyncpg.Connection, owner_id: UUID) -> list[UUID]:
    """Stop the owner's unfinished imports (idempotent); the ids of those stopped now."""
    stopped = await imports.fail_unfinished(conn, owner_id, ACCOUNT_CLOSED)
    for import_id in stopped:
        await file_store.delete(conn, import_id)
        await chunk_checks.forget(conn, import_id)
    if stopped:
        log.info("imports.stopped", owner_id=str(owner_id), imports=[str(i) for i in stopped])
    return stopped


async def still_open(conn: asyncpg.Connection, job: Import) -> bool:
    """Hold the import's owner open until this step commits; False (and the owner's imports
    stopped) when the account is closed already."""
    if await closed_accounts.is_open(conn, job.owner_id):
        return True
    await stop_imports_of(conn, job.owner_id)
    return False


closure = EventHandlers[None]()
"""The service's hook in the shared `<service>.accounts` group (contacts_messaging.accounts)."""


@closure.on(UserDeactivated)
async def stop_running_imports(
    closed: UserDeactivated, event: CloudEvent, conn: asyncpg.Connection, _: None
) -> None:
    await stop_imports_of(conn, closed.user_id)
