"""Kafka topic names, in one place. Events are keyed by the aggregate they change.

| topic | producer | key |
|---|---|---|
| directory.users | directory | user id |
| directory.companies | directory | company id |
| contacts.contacts | contacts | owner (user) id |
| importer.imports | importer | import id |
| importer.matches | importer | import id |
| invitations.invitations | invitations | invitation id |

Each topic belongs to a family (`TopicFamily`) whose partitions, retention and clean-up policy
are settings of every service (`contacts_servicekit.topic_settings`).
"""

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType
from typing import Final

DIRECTORY_USERS: Final = "directory.users"
DIRECTORY_COMPANIES: Final = "directory.companies"
CONTACTS: Final = "contacts.contacts"
IMPORTS: Final = "importer.imports"
MATCHES: Final = "importer.matches"
"""Only the rows that matched a user (`ImportRowMatched`): a handful per import, so that the
contacts service adds them without reading every row of `importer.imports`."""
INVITATIONS: Final = "invitations.invitations"

ALL: Final = (DIRECTORY_USERS, DIRECTORY_COMPANIES, CONTACTS, IMPORTS, MATCHES, INVITATIONS)

KEY_FIELDS: Final[Mapping[str, str]] = MappingProxyType(
    {
        DIRECTORY_USERS: "user_id",
        DIRECTORY_COMPANIES: "company_id",
        CONTACTS: "owner_id",
        IMPORTS: "import_id",
        MATCHES: "import_id",
        INVITATIONS: "invitation_id",
    }
)
"""The payload field every event of a topic is keyed by (the record key is its text form)."""

PROFILES: Final = (DIRECTORY_USERS,)
"""Topics of state-carrying events, compacted (the `profiles` family): every user event carries
the user's whole current profile (a closure: nothing personal), so the latest record per user id
is enough to rebuild a projection, and a closed account's number and email leave the topic
within the maximum compaction lag (docs/data-retention.md)."""

HISTORY: Final = (DIRECTORY_COMPANIES,)
"""Topics whose every record is kept for good, so that other services can rebuild their
projections from them (the `history` family; a company is many records: members, contact
points, offers, none of them carrying a phone number or email)."""

WORK_SUFFIX: Final = ".work"
DEAD_LETTER_SUFFIX: Final = ".dlt"


class TopicFamily(StrEnum):
    """Topics that share partition, retention and clean-up settings (`KAFKA_TOPIC_<FAMILY>_*`)."""

    EVENTS = "events"  # integration events such as contacts.contacts
    PROFILES = "profiles"  # directory.users: compacted, the latest profile per user
    HISTORY = "history"  # directory.companies: every record kept for good
    WORK = "work"  # a service's internal work items, such as importer.work
    DEAD_LETTER = "dead_letter"  # one consumer group's poison messages (<group>.dlt)


def family_of(topic: str, namespace: str = "") -> TopicFamily:
    """The family of `topic` (namespaced with `namespace`, or not namespaced)."""
    name = topic.removeprefix(f"{namespace}.") if namespace else topic
    if name.endswith(DEAD_LETTER_SUFFIX):
        return TopicFamily.DEAD_LETTER
    if name.endswith(WORK_SUFFIX):
        return TopicFamily.WORK
    if name in PROFILES:
        return TopicFamily.PROFILES
    return TopicFamily.HISTORY if name in HISTORY else TopicFamily.EVENTS


def namespaced(name: str, namespace: str) -> str:
    """`contacts.contacts` in namespace `t1` is `t1.contacts.contacts` (no namespace: as is).
    Namespaces let several copies of the platform share one broker (tests do)."""
    return f"{namespace}.{name}" if namespace else name


def dead_letter_topic(consumer_group: str) -> str:
    """Where one consumer group's poison messages go (one per group, so each can be replayed)."""
    return f"{consumer_group}{DEAD_LETTER_SUFFIX}"
