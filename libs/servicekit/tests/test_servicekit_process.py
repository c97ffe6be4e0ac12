"""`die_with`: a process that ends when another one (not its parent) does, even when it
ignores the signal or hangs in its stop."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest
from contacts_servicekit.process import EXIT_ORPHANED

pytestmark = pytest.mark.unit

WATCHER = """
import sys, time
from contacts_servicekit.process import die_with
die_with(int(sys.argv[1]))
print("watching", flush=True)
time.sleep(600)
"""


DEAF_WATCHER = """
import signal, sys, time
from contacts_servicekit.process import die_with
signal.signal(signal.SIGTERM, signal.SIG_IGN)  # its SIGTERM lost, as before a handler is set
die_with(int(sys.argv[1]), grace_seconds=0.5)
print("watching", flush=True)
time.sleep(600)
"""


@pytest.mark.parametrize(
    ("script", "ended_with"),
    [(WATCHER, -15), (DEAF_WATCHER, EXIT_ORPHANED)],  # SIGTERM; after the grace
    ids=["ends-on-the-signal", "ignores-it"],
)
def test_a_process_ends_when_the_one_it_watches_ends(script: str, ended_with: int) -> None:
    watched = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
    watcher = subprocess.Popen(
        [sys.executable, "-c", script, str(watched.pid)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert watcher.stdout is not None and watcher.stdout.readline().strip() == "watching"
        time.sleep(1.0)
        assert watcher.poll() is None  # alive while the other one is (the grace not begun)
        watched.kill()
        assert watcher.wait(timeout=10) == ended_with
    finally:
        watched.kill()
        watcher.kill()


def test_a_process_watching_one_already_gone_ends_at_once() -> None:
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    watcher = subprocess.Popen([sys.executable, "-c", WATCHER, str(gone.pid)])
    try:
        assert watcher.wait(timeout=10) == -15
    finally:
        watcher.kill()
