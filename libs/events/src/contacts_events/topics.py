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

USERS_MAX_COMPACTION_LAG_MS: Final = 24 * 3600 * 1000
"""How long a superseded `directory.users` record (one carrying a number that changed, or an
account's number after its closure) may stay before the log cleaner removes it (KIP-354)."""

TOPIC_CONFIGS: Final = {
    DIRECTORY_USERS: {
        "cleanup.policy": "compact",
        "max.compaction.lag.ms": str(USERS_MAX_COMPACTION_LAG_MS),
    },
    DIRECTORY_COMPANIES: {"retention.ms": "-1"},
}
"""Per-topic settings. The directory's topics are kept for good, so that other services can
rebuild their projections from them. `directory.users` is compacted: every user event carries
the user's whole current profile (or, for a closure, nothing personal), so the latest record
per user id is enough to rebuild, and a closed account's number and email leave the topic
within the maximum compaction lag (docs/data-retention.md). `directory.companies` carries no
phone number or email, and keeps every record (a company's members are many records)."""

PARTITIONS: Final = 8
"""Partitions per topic: the most consumer instances of one group that can share the work."""


def namespaced(name: str, namespace: str) -> str:
    """`contacts.contacts` in namespace `t1` is `t1.contacts.contacts` (no namespace: as is).
    Namespaces let several copies of the platform share one broker (tests do)."""
    return f"{namespace}.{name}" if namespace else name


def dead_letter_topic(consumer_group: str) -> str:
    """Where one consumer group's poison messages go (one per group, so each can be replayed)."""
    return f"{consumer_group}.dlt"
