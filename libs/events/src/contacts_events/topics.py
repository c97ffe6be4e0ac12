"""Kafka topic names, in one place. Events are keyed by the aggregate they change.

| topic | producer | key |
|---|---|---|
| directory.users | directory | user id |
| directory.companies | directory | company id |
| contacts.contacts | contacts | owner (user) id |
| importer.imports | importer | import id |
| invitations.invitations | invitations | invitation id |
"""

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

DIRECTORY_USERS: Final = "directory.users"
DIRECTORY_COMPANIES: Final = "directory.companies"
CONTACTS: Final = "contacts.contacts"
IMPORTS: Final = "importer.imports"
INVITATIONS: Final = "invitations.invitations"

ALL: Final = (DIRECTORY_USERS, DIRECTORY_COMPANIES, CONTACTS, IMPORTS, INVITATIONS)

KEY_FIELDS: Final[Mapping[str, str]] = MappingProxyType(
    {
        DIRECTORY_USERS: "user_id",
        DIRECTORY_COMPANIES: "company_id",
        CONTACTS: "owner_id",
        IMPORTS: "import_id",
        INVITATIONS: "invitation_id",
    }
)
"""The payload field every event of a topic is keyed by (the record key is its text form)."""

TOPIC_CONFIGS: Final = {
    DIRECTORY_USERS: {"retention.ms": "-1"},
    DIRECTORY_COMPANIES: {"retention.ms": "-1"},
}
"""Per-topic settings: the directory's history is kept for good, so that other services can
rebuild their projections from it."""

PARTITIONS: Final = 8
"""Partitions per topic: the most consumer instances of one group that can share the work."""


def namespaced(name: str, namespace: str) -> str:
    """`contacts.contacts` in namespace `t1` is `t1.contacts.contacts` (no namespace: as is).
    Namespaces let several copies of the platform share one broker (tests do)."""
    return f"{namespace}.{name}" if namespace else name


def dead_letter_topic(consumer_group: str) -> str:
    """Where one consumer group's poison messages go (one per group, so each can be replayed)."""
    return f"{consumer_group}.dlt"
