"""oha: a constant-rate HTTP load generator written in Rust, installed on first use (cargo).

The contacts bench measures with it rather than vegeta: the load generator shares this
machine's two cores with the service and Postgres, and oha costs about a third of vegeta's
CPU per request (0.13 against 0.37 ms for a first page of 50, measured on 27 Nov). With
`--latency-correction` each latency counts from the moment the request was due rather than
from when a connection was free, so a slow service shows up as latency (no coordinated
omission), as with vegeta's open loop. What oha cannot do is give each request its own
header, and the directory bench needs that (20,000 callers, each with a JWT), so that bench
measures with pacer (pacer.py), which can.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
from pathlib import Path

from loadgen import BIN_DIR, REQUEST_TIMEOUT, Result, Target

OHA = BIN_DIR / "oha"
OHA_VERSION = "1.16.0"
# Concurrent connections at most, like a client's connection pool; beyond them a due request
# waits, and the wait is counted in its latency (--latency-correction). 50 covers 500
# requests/s answered within 100 ms; with more, each attack starts by opening up to that many
# connections (a burst of accepts that is not the service's steady state).
CONNECTIONS = 50


def ensure_oha() -> Path:
    """The oha binary, built with `cargo install` on first use (about 5 minutes on 2 cores)."""
    if OHA.exists():
        return OHA
    cargo = shutil.which("cargo")
    if cargo is None:
        raise RuntimeError("oha is not installed and there is no `cargo` to install it with")
    command = [cargo, "install", "oha", "--locked", "--version", OHA_VERSION,
               "--root", str(BIN_DIR.parent)]  # fmt: skip
    subprocess.run(command, check=True, timeout=1800)  # noqa: S603
    return OHA


def command(
    targets: list[Target], rate: int, seconds: float, workdir: Path, slug: str
) -> list[str]:
    """oha at `rate` requests/s for `seconds` over `targets` (one URL, or several taken at
    random); every target must carry the same token. Results: `<slug>.db` (one row per
    answer) and `<slug>.json` (the summary, with the requests that got no answer)."""
    tokens = {target.token for target in targets}
    if len(tokens) != 1:
        raise ValueError("oha sends one set of headers: all targets need the same token")
    (token,) = tokens
    urls = workdir / f"{slug}.urls"
    urls.write_text("".join(target.url + "\n" for target in targets))
    db, summary = workdir / f"{slug}.db", workdir / f"{slug}.json"
    db.unlink(missing_ok=True)
    header = ["-H", f"Authorization: Bearer {token}"] if token else []
    return [
        str(OHA), "-q", str(rate), "-z", f"{seconds}s", "-c", str(CONNECTIONS),
        "--latency-correction", "-w", "-t", REQUEST_TIMEOUT, "--no-tui", *header,
        "--output-format", "json", "-o", str(summary), "--db-url", str(db),
        *(["--urls-from-file", str(urls)] if len(targets) > 1 else [targets[0].url]),
    ]  # fmt: skip


def read_results(workdir: Path, slug: str) -> list[Result]:
    """The answers of one attack (latency from when each was due), then one result per
    request that got none (a time-out or a connection error), counted at the full timeout."""
    with sqlite3.connect(workdir / f"{slug}.db") as db:
        rows = db.execute(
            "SELECT status, duration, run + start_latency_correction, url FROM oha"
        ).fetchall()
    results = [
        Result(status, int(duration * 1e9), int(sent * 1e9), url, "")
        for status, duration, sent, url in rows
    ]
    summary = json.loads((workdir / f"{slug}.json").read_text())
    first_sent = min((r.sent_ns for r in results), default=0)
    timeout_ns = int(float(REQUEST_TIMEOUT.removesuffix("s")) * 1e9)
    for error, count in summary["errorDistribution"].items():
        results += [Result(0, timeout_ns, first_sent, "", error)] * count
    return results
