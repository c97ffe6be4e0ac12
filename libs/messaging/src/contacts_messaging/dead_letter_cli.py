"""`contacts-dlt`: list and replay a consumer group's dead letters (runbook: docs/operations.md).

contacts-dlt list   --group contacts.directory [--database contacts=postgresql://...]
contacts-dlt replay --group contacts.directory [--topic directory.users] [--since 2025-01-31T09:00Z]
                    [--offsets 0:12,3:7] [--limit 10] [--dry-run] [--json]

Each dead letter is also looked up in its group's inbox, in the database of the service the
group belongs to (`--database NAME=URL`, `$<NAME>_DATABASE_URL`, `--database-url`,
`$DATABASE_URL`: contacts_messaging.service_databases): `applied` says whether the event was
in fact applied since (a replay of it is then a no-op).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from contacts_servicekit.logging import configure_logging

from contacts_messaging.dead_letter_inbox import InboxCheck, check_inbox, schema_name
from contacts_messaging.dead_letter_records import DeadLetter
from contacts_messaging.dead_letter_replay import ReplayReport, Selection, replay_dead_letters
from contacts_messaging.kafka_connection import tool_connection
from contacts_messaging.service_databases import (
    add_database_options,
    service_databases,
    service_of_group,
)

DEFAULT_BOOTSTRAP = "127.0.0.1:19092"


def _offsets(text: str) -> list[tuple[int, int]]:
    """`0:12,3:7` -> [(0, 12), (3, 7)]: partition:offset pairs on the dead-letter topic."""
    try:
        return [(int(p), int(o)) for p, o in (pair.split(":") for pair in text.split(","))]
    except ValueError:
        raise argparse.ArgumentTypeError(
            "expected partition:offset[,partition:offset...]"
        ) from None


def _moment(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            "expected an ISO 8601 time, e.g. 2025-01-31T09:00Z"
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="contacts-dlt", description=__doc__.splitlines()[0])
    commands = main.add_subparsers(dest="command", required=True)
    for name, summary in (("list", "show the dead letters a replay would send (sends nothing)"),
                          ("replay", "send dead letters back to their original topics")):  # fmt: skip
        command = commands.add_parser(name, help=summary, description=summary)
        command.add_argument("--group", required=True,
                             help="the consumer group, with its namespace if any (its dead letters "
                                  "are on <group>.dlt)")  # fmt: skip
        command.add_argument("--bootstrap", default=os.environ.get("KAFKA_BOOTSTRAP_SERVERS", DEFAULT_BOOTSTRAP),
                             help="Kafka bootstrap servers (default: $KAFKA_BOOTSTRAP_SERVERS or %(default)s; "
                                  "TLS and SASL from the services' KAFKA_* variables)")  # fmt: skip
        command.add_argument("--topic", action="append", default=[],
                             help="only dead letters from this original topic (repeatable)")  # fmt: skip
        command.add_argument("--since", type=_moment, help="only those dead-lettered at or after")
        command.add_argument("--offsets", type=_offsets, default=[],
                             help="only these partition:offset records of the dead-letter topic "
                                  "(read from there; commits nothing)")  # fmt: skip
        command.add_argument("--limit", type=int, help="at most this many")
        command.add_argument("--json", action="store_true", help="machine-readable output")
        command.add_argument("--service",
                             help="the service the group belongs to (default: named in --group)")  # fmt: skip
        command.add_argument("--schema", type=schema_name,
                             help="the schema of the group's inbox (default: the service's name)")  # fmt: skip
        add_database_options(command)
        if name == "replay":
            command.add_argument("--dry-run", action="store_true",
                                 help="say what would be replayed; send and commit nothing")  # fmt: skip
    return main


def render(report: ReplayReport, inbox: InboxCheck | None) -> str:
    verb = "would replay" if report.dry_run else "replayed"
    lines = [f"{report.dead_letter_topic}: {verb} {len(report.replayed)}, "
             f"left {len(report.skipped)}"]  # fmt: skip
    for letter in report.replayed:
        s = letter.summary()
        lines.append(f"  {verb:12} {s['dead_letter']:>32}  -> {s['original']}  "
                     f"{s['event_type'] or '-'}  {_applied(inbox, letter)}  {s['error'][:100]}")  # fmt: skip
    for letter, why in report.skipped:
        lines.append(f"  {'left':12} {letter.where:>32}  ({why})")
    if report.committed:
        done = ", ".join(f"{p}:{o}" for p, o in sorted(report.committed.items()))
        lines.append(f"committed (partition:next offset): {done}")
    if inbox is None or inbox.error:
        lines.append(f"inbox not read: {inbox.error if inbox else 'give --service'}")
    return "\n".join(lines)


def _applied(inbox: InboxCheck | None, letter: DeadLetter) -> str:
    applied = inbox.applied_of(letter) if inbox else None
    return "applied?" if applied is None else "applied" if applied else "not applied"


def as_json(report: ReplayReport, inbox: InboxCheck | None) -> dict[str, Any]:
    """The report, each letter with `applied` (true, false, or null: not known)."""
    found = report.as_dict()
    letters = [*report.replayed, *(letter for letter, _ in report.skipped)]
    for summary, letter in zip([*found["replayed"], *found["skipped"]], letters, strict=True):
        summary["applied"] = inbox.applied_of(letter) if inbox else None
    return {**found, "inbox": inbox.as_dict() if inbox else None}


async def run(args: argparse.Namespace) -> tuple[ReplayReport, InboxCheck | None]:
    selection = Selection(tuple(args.topic), args.since, tuple(args.offsets), args.limit)
    dry_run = args.command == "list" or args.dry_run
    kafka = tool_connection(args.bootstrap)
    report = await replay_dead_letters(kafka, args.group, selection, dry_run=dry_run)
    service = args.service or service_of_group(args.group)
    if service is None:
        return report, None
    url = service_databases([service], args.database, args.database_url)[service]
    letters = [*report.replayed, *(letter for letter, _ in report.skipped)]
    return report, await check_inbox(url, args.schema or service, args.group, letters)


def main(argv: Sequence[str] | None = None) -> None:
    args = parser().parse_args(argv)
    configure_logging("contacts-dlt", "INFO", stream=sys.stderr)  # stdout: the report only
    report, inbox = asyncio.run(run(args))
    print(json.dumps(as_json(report, inbox), indent=2) if args.json else render(report, inbox))
    sys.exit(0)
