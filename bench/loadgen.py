"""vegeta: a constant-rate (open-loop) HTTP load generator, installed on first use.

Open loop matters: vegeta sends at the set rate whether or not answers came back (it starts
more workers when all are busy), so a slow server shows up as latency instead of a silently
lower request rate, as it would with a closed-loop tool.
"""

from __future__ import annotations

import csv
import json
import os
import random
import shutil
import subprocess
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

BIN_DIR = Path.home() / ".cache" / "contacts-platform" / "bin"
VEGETA = BIN_DIR / "vegeta"
VEGETA_MODULE = "github.com/tsenart/vegeta/v12@latest"
REQUEST_TIMEOUT = "5s"


def ensure_vegeta() -> Path:
    if VEGETA.exists():
        return VEGETA
    go = shutil.which("go")
    if go is None:
        raise RuntimeError("vegeta is not installed and there is no `go` to install it with")
    env = {**os.environ, "GOBIN": str(BIN_DIR)}
    subprocess.run([go, "install", VEGETA_MODULE], env=env, check=True, timeout=600)  # noqa: S603
    return VEGETA


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
    sent_ns: int  # Unix time the request was sent
    url: str
    error: str


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


def attack(targets: Path, rate: int, seconds: float, output: Path) -> None:
    """Run vegeta at `rate` requests/s for `seconds`; the binary results go to `output`."""
    command = [
        str(VEGETA), "attack", "-format=json", f"-targets={targets}", f"-rate={rate}/1s",
        f"-duration={seconds}s", f"-timeout={REQUEST_TIMEOUT}", "-max-body=0",
        "-http2=false", f"-output={output}",
    ]  # fmt: skip
    subprocess.run(command, check=True, timeout=seconds + 60, start_new_session=True)  # noqa: S603


def read_results(binary: Path) -> list[Result]:
    """The results of one attack, decoded by `vegeta encode --to csv`."""
    encoded = subprocess.run(  # noqa: S603
        [str(VEGETA), "encode", "--to=csv", str(binary)],
        check=True,
        timeout=120,
        capture_output=True,
        text=True,
    ).stdout
    return [
        Result(int(row[1]), int(row[2]), int(row[0]), row[10], row[5])
        for row in csv.reader(encoded.splitlines())
    ]
