"""Which Postgres holds each service's schema, for the operator tools (`contacts-status`,
`contacts-dlt`): every service may run on a cluster of its own (docs/operations.md).

For a service (or schema) NAME the URL is the first of:

1. `--database NAME=URL` on the command line (repeatable);
2. `$<NAME>_DATABASE_URL` (`CONTACTS_DATABASE_URL`, `IMPORTER_DATABASE_URL`, ...);
3. `--database-url`, whose default is the first of the tool's fallback variables that is set
   (`$DATABASE_URL`, ...), else the local platform's superuser.

So one URL for everything (today's single cluster) still works, and a split is named service by
service. The role must read the service's schema: a superuser, or the service's own role.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Iterable, Mapping, Sequence
from urllib.parse import urlsplit

from contacts_servicekit.settings import DEFAULT_DATABASE_URL

SERVICES = ("directory", "contacts", "importer", "invitations")


def _named_url(text: str) -> tuple[str, str]:
    name, sep, url = text.partition("=")
    if not sep or not name or not url.startswith(("postgresql://", "postgres://")):
        raise argparse.ArgumentTypeError("expected NAME=postgresql://user:password@host:port/db")
    return name, url


def add_database_options(parser: argparse.ArgumentParser, *fallback_variables: str) -> None:
    """`--database NAME=URL` (repeatable) and `--database-url` (every other service's)."""
    variables = (*fallback_variables, "DATABASE_URL")
    default = next((os.environ[v] for v in variables if os.environ.get(v)), DEFAULT_DATABASE_URL)
    parser.add_argument("--database", type=_named_url, action="append", default=[],
                        metavar="NAME=URL",
                        help="the Postgres holding service NAME's schema (repeatable; default: "
                             "$<NAME>_DATABASE_URL, else --database-url)")  # fmt: skip
    parser.add_argument("--database-url", default=default,
                        help="the Postgres of every service not named otherwise (default: "
                             f"{' or '.join('$' + v for v in variables)} or the local platform's)")  # fmt: skip


def service_databases(
    names: Iterable[str], given: Sequence[tuple[str, str]], fallback: str,
    environ: Mapping[str, str] = os.environ,
) -> dict[str, str]:  # fmt: skip
    """NAME -> URL for each of `names`, by the order above."""
    named = dict(given)
    return {
        name: named.get(name) or environ.get(f"{name.upper()}_DATABASE_URL") or fallback
        for name in names
    }


def by_database(databases: Mapping[str, str]) -> dict[str, list[str]]:
    """URL -> the names it holds: one connection per cluster, whatever the number of schemas."""
    grouped: dict[str, list[str]] = {}
    for name, url in databases.items():
        grouped.setdefault(url, []).append(name)
    return grouped


def where(url: str) -> str:
    """`host:port/database` of a URL, without its credentials (fit for a report or a log)."""
    parts = urlsplit(url)
    host = parts.hostname or "?"
    return f"{host}:{parts.port or 5432}{parts.path or '/'}"


def service_of_group(group: str, services: Sequence[str] = SERVICES) -> str | None:
    """The service a consumer group belongs to (`<namespace>.<service>.<...>`), if any."""
    return next((part for part in group.split(".")[:-1] if part in services), None)
