"""`die_with`: a process that ends when another one (not its parent) does."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

pytestmark = pytest.mark.unit

WATCHER = """
import sys, time
from contacts_servicekit.process import die_with
die_with(int(sys.argv[1]))
print("watching", flush=True)
time.sleep(600)
"""


def test_a_process_ends_when_the_one_it_watches_ends() -> None:
    watched = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
    watcher = subprocess.Popen(
        [sys.executable, "-c", WATCHER, str(watched.pid)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert watcher.stdout is not None and watcher.stdout.readline().strip() == "watching"
        time.sleep(0.2)
        assert watcher.poll() is None  # alive while the other one is
        watched.kill()
        assert watcher.wait(timeout=10) == -15  # SIGTERM
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
