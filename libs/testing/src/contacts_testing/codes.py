"""One-time codes as a person reads them: from the development channel's messages file."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

MESSAGES_FILE = "messages.jsonl"
_CODE = re.compile(r"\b(\d{6})\b")


def latest_code(messages_dir: Path, to: str, kind: str = "sign_in_code") -> str | None:
    """The code of the newest message of ``kind`` sent to ``to``, if there is one."""
    path = messages_dir / MESSAGES_FILE
    if not path.exists():
        return None
    found = None
    for line in path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        if record.get("to") == to and record.get("kind") == kind:
            match = _CODE.search(record["text"])
            found = match.group(1) if match else None
    return found


def wait_for_code(
    messages_dir: Path, to: str, kind: str = "sign_in_code", *, after: str | None = None,
    seconds: float = 10,
) -> str:  # fmt: skip
    """The newest code sent to ``to`` (other than ``after``, an earlier one), waiting for it."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        code = latest_code(messages_dir, to, kind)
        if code is not None and code != after:
            return code
        time.sleep(0.05)
    raise AssertionError(f"no {kind} message to {to} within {seconds} s")
