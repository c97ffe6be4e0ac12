"""Postgres connection pools bound to one service schema, and transient-error classification."""

from __future__ import annotations

import asyncio

import asyncpg

from contacts_servicekit.identifiers import sql_identifier

_TRANSIENT: tuple[type[BaseException], ...] = (
    OSError,
    asyncio.TimeoutError,
    asyncpg.PostgresConnectionError,
    asyncpg.InterfaceError,
    asyncpg.exceptions.OperatorInterventionError,  # admin shutdown, cannot connect now
    asyncpg.exceptions.InsufficientResourcesError,  # too many connections, disk full
    asyncpg.exceptions.SerializationError,
    asyncpg.exceptions.DeadlockDetectedError,
)


def is_transient(exc: BaseException) -> bool:
    """True for failures of the database or network that retrying later can cure."""
    return isinstance(exc, _TRANSIENT)


async def create_pool(
    dsn: str, schema: str, *, min_size: int = 1, max_size: int = 10, application_name: str = ""
) -> asyncpg.Pool:
    """A pool whose connections resolve unqualified names in `schema` (and only there).

    A released connection is not reset beyond rolling back an unfinished transaction (asyncpg
    does that always): the platform's code keeps session state transaction-scoped (``SET
    LOCAL``, transaction advisory locks, ``LISTEN`` only on connections of its own), and
    skipping asyncpg's reset query saves a round trip on every request.
    """
    return await asyncpg.create_pool(
        dsn,
        min_size=min_size,
        max_size=max_size,
        reset=_keep_session,
        server_settings={
            "search_path": sql_identifier(schema),
            "application_name": application_name or schema,
        },
    )


async def _keep_session(_connection: asyncpg.Connection) -> None:
    """Nothing to reset: see :func:`create_pool`."""
