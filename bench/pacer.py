"""pacer: our own constant-rate (open-loop) HTTP load generator (Rust, `bench/pacer/`), built
with `cargo install` on first use and again whenever its sources change.

Why not vegeta or oha: the load generator shares this machine's two cores with the service
and Postgres, so its CPU per request matters. vegeta costs about 0.26-0.29 ms per request here,
pacer about 0.07 ms (both at 1000/s for 15 s against a trivial server, 27 Nov). oha is cheap
too (0.13 ms) but sends the same headers with every request, and the directory bench needs
one JWT per caller (20,000 callers, per-user rate limits).

Request i is due at t0 + i / rate, and its latency counts from that due time, not from when
it was sent (like wrk2, or oha's `--latency-correction`): when all connections are busy, a
due request waits, and the wait counts against the server, so a slow server shows up as
latency rather than as a silently lower request rate.
"""

from __future__ import annotations

import csv
import hashlib
import shutil
import subprocess
from pathlib import Path

from loadgen import BIN_DIR, REQUEST_TIMEOUT, Result

PACER = BIN_DIR / "pacer"
SOURCES = Path(__file__).resolve().parent / "pacer"
STAMP = BIN_DIR / "pacer.sources-sha256"  # of the sources PACER was built from
TARGET_DIR = BIN_DIR.parent / "pacer-target"  # cargo's build cache: rebuilds take seconds
# Requests in flight at most, each on its own keep-alive connection (as oha.CONNECTIONS):
# beyond them a due request waits, and the wait counts in its latency.
CONNECTIONS = 50


def sources_hash() -> str:
    """SHA-256 over Cargo.toml, Cargo.lock and src/ (names and contents)."""
    digest = hashlib.sha256()
    files = [SOURCES / "Cargo.toml", SOURCES / "Cargo.lock", *sorted((SOURCES / "src").rglob("*"))]
    for path in files:
        if path.is_file():
            digest.update(str(path.relative_to(SOURCES)).encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def ensure_pacer() -> Path:
    """The pacer binary, (re)built with `cargo install` when missing or built from other
    sources (about a minute on 2 cores the first time)."""
    wanted = sources_hash()
    if PACER.exists() and STAMP.exists() and STAMP.read_text().strip() == wanted:
        return PACER
    cargo = shutil.which("cargo") or shutil.which("cargo", path=str(Path.home() / ".cargo/bin"))
    if cargo is None:
        raise RuntimeError(
            "pacer needs building (missing, or its sources changed) and there is no `cargo` "
            "on PATH or in ~/.cargo/bin: install Rust (https://rustup.rs)"
        )
    command = [cargo, "install", "--locked", "--force", "--path", str(SOURCES),
               "--root", str(BIN_DIR.parent), "--target-dir", str(TARGET_DIR)]  # fmt: skip
    subprocess.run(command, check=True, timeout=1800)  # noqa: S603
    STAMP.write_text(wanted + "\n")
    return PACER


def attack(
    targets: Path, rate: float, seconds: float, output: Path, connections: int = CONNECTIONS,
    timeout: str = REQUEST_TIMEOUT,
) -> None:  # fmt: skip
    """`rate` requests/s for `seconds` over the targets (loadgen.write_targets, used in file
    order); one CSV line per request goes to `output`."""
    command = [
        str(PACER), f"--targets={targets}", f"--rate={rate}", f"--duration={seconds}",
        f"--connections={connections}", f"--timeout={timeout.removesuffix('s')}",
        f"--output={output}",
    ]  # fmt: skip
    subprocess.run(command, check=True, timeout=seconds + 60, start_new_session=True)  # noqa: S603


def read_results(output: Path) -> list[Result]:
    """The results of one attack, in the order due; `sent_ns` is the due time, and a request
    that got no answer has code 0 and the error (`timeout`, or the connection error)."""
    with output.open(newline="") as rows:
        return [
            Result(int(code), int(latency), int(due), url, error, int(wait))
            for due, code, latency, url, error, wait in csv.reader(rows)
        ]
