"""Each service's `/health` and `/ready`, and each schema's outbox (on whichever Postgres
cluster holds it)."""

from __future__ import annotations

import asyncio
import json
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence
from typing import Any

import asyncpg

from contacts_messaging.outbox_stats import outbox_stats
from contacts_messaging.service_databases import by_database, where
from contacts_messaging.status.report import OutboxState, ServiceState


def _get(url: str, seconds: float) -> tuple[int, Any]:
    """(status, JSON body) of a GET; (0, error text) when nothing answered."""
    try:
        with urllib.request.urlopen(url, timeout=seconds) as response:  # noqa: S310 - an operator-given http URL
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        try:
            return error.code, json.loads(error.read() or b"null")
        except ValueError:
            return error.code, None
    except (OSError, ValueError) as error:
        return 0, f"{type(error).__name__}: {error}"


async def probe_service(name: str, url: str, seconds: float = 2.0) -> ServiceState:
    (health, _), (ready, body) = await asyncio.gather(
        asyncio.to_thread(_get, f"{url}/health", seconds),
        asyncio.to_thread(_get, f"{url}/ready", seconds),
    )
    if isinstance(body, dict) and isinstance(body.get("checks"), dict):
        checks = {str(k): str(v) for k, v in body["checks"].items()}
    else:
        checks = {"http": str(body) if ready == 0 else f"/ready answered {ready}"}
    return ServiceState(name, url, up=health == 200, ready=ready == 200, checks=checks)


async def probe_services(services: Mapping[str, str]) -> list[ServiceState]:
    return list(await asyncio.gather(*(probe_service(n, u) for n, u in services.items())))


async def probe_outboxes(database_url: str, schemas: Sequence[str]) -> list[OutboxState]:
    """The outbox of each schema, read with one connection (a role that may read them all)."""
    conn = await asyncpg.connect(database_url, timeout=5)
    try:
        states = []
        for schema in schemas:
            try:
                stats = await outbox_stats(conn, schema)
                states.append(OutboxState(schema, stats.backlog, stats.oldest_age_seconds))
            except asyncpg.UndefinedTableError:
                states.append(OutboxState(schema, None, None, "no outbox table"))
            except (asyncpg.PostgresError, TimeoutError) as error:
                states.append(OutboxState(schema, None, None, f"{type(error).__name__}: {error}"))
        return states
    finally:
        await conn.close()


async def probe_all_outboxes(
    databases: Mapping[str, str], seconds: float
) -> tuple[list[OutboxState], dict[str, str]]:
    """The outbox of each schema (schema -> the URL of its cluster), one connection per
    cluster, all at once; and the clusters that could not be read, with why. A cluster that
    cannot be read leaves the others' outboxes shown."""
    clusters = by_database(databases)
    found = await asyncio.gather(
        *(
            asyncio.wait_for(probe_outboxes(url, schemas), seconds)
            for url, schemas in clusters.items()
        ),
        return_exceptions=True,
    )
    states: dict[str, OutboxState] = {}
    errors: dict[str, str] = {}
    for (url, schemas), result in zip(clusters.items(), found, strict=True):
        if isinstance(result, BaseException):
            part = "postgres" if len(clusters) == 1 else f"postgres {where(url)}"
            errors[part] = f"{type(result).__name__}: {result}"
            states |= {s: OutboxState(s, None, None, f"{where(url)} not read") for s in schemas}
        else:
            states |= {state.schema: state for state in result}
    return [states[schema] for schema in databases], errors
