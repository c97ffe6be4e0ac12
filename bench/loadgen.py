"""What the HTTP load generators (pacer.py, oha.py) share: request targets, results, where
the tools are installed, the per-request timeout; and the directory bench's look-up targets.

The targets are JSON lines in vegeta's `-format=json` (the directory bench measured with
vegeta before pacer), which pacer reads as they are.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

BIN_DIR = Path.home() / ".cache" / "contacts-platform" / "bin"
REQUEST_TIMEOUT = "5s"


@dataclass(frozen=True)
class Target:
    url: str
    token: str | None = None

    def as_json(self) -> str:
        header = {"Authorization": [f"Bearer {self.token}"]} if self.token else {}
        return json.dumps({"method": "GET", "url": self.url, "header": header})


@dataclass(frozen=True)
class Result:
    code: int
    latency_ns: int
    sent_ns: int  # Unix time the request was due (latency counts from then)
    url: str
    error: str
    wait_ns: int = 0  # due time to the send (pacer's own lateness; 0 from the other tools)


def write_targets(path: Path, targets: Iterable[Target]) -> None:
    with path.open("w") as out:
        for target in targets:
            out.write(target.as_json() + "\n")


def lookup_targets(
    base_urls: list[str],
    count: int,
    known: list[str],
    unknown: list[str],
    tokens: list[str],
    unknown_share: float,
    rng: random.Random,
) -> Iterator[Target]:
    """`count` look-ups of random ConnectIDs, requesters taken round-robin in a random order
    (so each requester makes at most ceil(count / len(tokens)) of them), spread round-robin
    over the service instances at `base_urls`."""
    order = tokens[:]
    rng.shuffle(order)
    for n in range(count):
        pool = unknown if rng.random() < unknown_share else known
        base_url = base_urls[n % len(base_urls)]
        yield Target(f"{base_url}/v1/connect-ids/{rng.choice(pool)}", order[n % len(order)])
