"""Folding display names into sort keys: lists sort and search by these."""

from __future__ import annotations

import unicodedata

SEARCH_CEILING = chr(0x10FFFF)  # sorts after every character in a C-collation column


def sort_name(display_name: str | None) -> str:
    """Case- and accent-folded, whitespace-collapsed: `Émile  Zola` -> `emile zola`."""
    if not display_name:
        return ""
    decomposed = unicodedata.normalize("NFKD", display_name.casefold())
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.split())


def prefix_range(prefix: str) -> tuple[str, str]:
    """The [low, high) range of sort names that start with `prefix` (folded the same way)."""
    low = sort_name(prefix)
    return low, low + SEARCH_CEILING
