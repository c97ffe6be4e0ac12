"""The messaging library's own tables (outbox, inbox), applied before a service's migrations."""

from pathlib import Path

from contacts_servicekit.migrations import discover

MESSAGING_MIGRATIONS = discover("messaging", Path(__file__).parent / "migrations")
