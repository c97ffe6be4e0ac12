"""Validation of names that end up inside SQL text (schemas, channels)."""

import re

_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def sql_identifier(name: str) -> str:
    """Return `name` if it is a plain lower-case SQL identifier, else raise ValueError."""
    if not _IDENTIFIER.match(name):
        raise ValueError(f"{name!r} is not a plain SQL identifier (a-z, 0-9, _; at most 63)")
    return name
