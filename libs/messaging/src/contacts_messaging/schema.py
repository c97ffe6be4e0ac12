"""The messaging library's own tables (outbox, inbox), applied before a service's migrations."""

from collections.abc import Sequence
from pathlib import Path

from contacts_servicekit.migrations import Migration, discover

MESSAGING_MIGRATIONS = discover("messaging", Path(__file__).parent / "migrations")


def with_messaging(migrations: Sequence[Migration]) -> list[Migration]:
    """All of a service's migrations in the order they apply: the messaging tables, then its own
    (what its start-up and its ``migrate`` command apply)."""
    return [*MESSAGING_MIGRATIONS, *migrations]
