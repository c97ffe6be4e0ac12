"""Column names a person can tell apart: the header row's cells, tidied, never empty or twice."""

from __future__ import annotations

from collections.abc import Sequence

MAX_HEADER_CHARS = 255


def header_names(cells: Sequence[str | None]) -> list[str]:
    """`cells` stripped (line breaks inside a cell become spaces); an empty one is named after
    its position (`Column 3`), a repeated one numbered (`Phone (2)`), ignoring case."""
    names: list[str] = []
    taken: set[str] = set()
    for position, cell in enumerate(cells, start=1):
        text = (cell or "").replace("\ufeff", "").replace("\x00", "")  # NUL: not for jsonb
        base = " ".join(text.split())[:MAX_HEADER_CHARS]
        base = base or f"Column {position}"
        name, copy = base, 2
        while name.casefold() in taken:
            name, copy = f"{base} ({copy})", copy + 1
        taken.add(name.casefold())
        names.append(name)
    return names


def texts(rows: list[tuple[str | None, ...]], width: int) -> list[list[str]]:
    """Rows as `width` strings each: "" for an empty cell, padded or cut to the header's width."""
    return [[cell or "" for cell in row[:width]] + [""] * (width - len(row)) for row in rows]
