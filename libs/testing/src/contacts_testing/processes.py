"""What /proc says of a test's processes: whether one still runs, and what it started."""

from __future__ import annotations

from pathlib import Path


def running(pid: int) -> bool:
    """Whether the process exists and has not ended (a zombie waiting for its parent has)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2] != "Z"


def descendants(pid: int) -> list[int]:
    """The processes `pid` started, and theirs, down to the last generation (from any of their
    threads: /proc lists a child under the thread that started it)."""
    children = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            children += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return children + [d for child in children for d in descendants(child)]
