"""`contacts-status [--json]`: services up and ready, outbox backlogs, consumer lag, dead letters.

Defaults fit the platform `make up` starts (deploy/local/platform.sh); every address can be
given. Exits 0 when every service is up and ready and every part could be read, 1 otherwise.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from collections.abc import Sequence

from contacts_servicekit.logging import configure_logging

from contacts_messaging.kafka_connection import Kafka, tool_connection
from contacts_messaging.service_databases import SERVICES, add_database_options, service_databases
from contacts_messaging.status.kafka_state import kafka_state
from contacts_messaging.status.probes import probe_all_outboxes, probe_services
from contacts_messaging.status.render import render
from contacts_messaging.status.report import PlatformStatus

READ_SECONDS = 15.0  # for each of Postgres and Kafka


def _service(text: str) -> tuple[str, str]:
    name, sep, url = text.partition("=")
    if not sep or not name or not url.startswith(("http://", "https://")):
        raise argparse.ArgumentTypeError("expected name=http://host:port")
    return name, url.rstrip("/")


def parser() -> argparse.ArgumentParser:
    env = os.environ.get
    base = int(env("SERVICE_PORT_BASE", "8000"))
    p = argparse.ArgumentParser(prog="contacts-status", description=__doc__.splitlines()[0])
    p.add_argument("--service", type=_service, action="append", default=[], metavar="NAME=URL",
                   help="a service to probe (repeatable; default: the four on 127.0.0.1:"
                        f"{base + 1}-{base + 4}, from $SERVICE_PORT_BASE)")  # fmt: skip
    p.add_argument("--schema", action="append", default=[],
                   help="a schema whose outbox to read (repeatable; default: the services' names)")  # fmt: skip
    add_database_options(p, "STATUS_DATABASE_URL")  # a role that may read the outboxes
    p.add_argument("--bootstrap", default=env("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:19092"),
                   help="Kafka (default: $KAFKA_BOOTSTRAP_SERVERS or %(default)s; TLS and SASL "
                        "from the services' KAFKA_* variables)")  # fmt: skip
    p.add_argument("--namespace", default=env("KAFKA_NAMESPACE", ""),
                   help="the services' Kafka namespace, if any (default: $KAFKA_NAMESPACE)")  # fmt: skip
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(base=base)
    return p


async def collect(
    services: dict[str, str], databases: dict[str, str], cluster: Kafka, namespace: str
) -> PlatformStatus:
    """`databases`: each schema whose outbox to read -> the URL of the Postgres holding it."""
    status = PlatformStatus()
    names = [name for name in services] or list(SERVICES)
    probes = asyncio.gather(
        probe_services(services),
        probe_all_outboxes(databases, READ_SECONDS),
        asyncio.wait_for(kafka_state(cluster, namespace, names), READ_SECONDS),
        return_exceptions=True,
    )
    found, outboxes, kafka = await probes
    if isinstance(found, BaseException):
        raise found
    if isinstance(outboxes, BaseException):
        raise outboxes
    status.services = found
    status.outboxes, postgres_errors = outboxes
    status.errors.update(postgres_errors)
    if isinstance(kafka, BaseException):
        status.errors["kafka"] = f"{type(kafka).__name__}: {kafka}"
    else:
        status.consumer_groups, status.dead_letters = kafka
    return status


def main(argv: Sequence[str] | None = None) -> None:
    args = parser().parse_args(argv)
    configure_logging("contacts-status", "WARNING", stream=sys.stderr)  # stdout: the report only
    services = dict(args.service) or {
        name: f"http://127.0.0.1:{args.base + i}" for i, name in enumerate(SERVICES, start=1)
    }
    schemas = args.schema or list(services)
    databases = service_databases(schemas, args.database, args.database_url)
    cluster = tool_connection(args.bootstrap)
    status = asyncio.run(collect(services, databases, cluster, args.namespace))
    print(json.dumps(status.as_dict(), indent=2) if args.json else render(status))
    sys.exit(0 if status.healthy else 1)
