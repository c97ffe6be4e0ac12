"""Child processes that end with the process that started them."""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import select
import signal
import threading
import time

_PR_SET_PDEATHSIG = 1
EXIT_ORPHANED = 70  # sysexits.h EX_SOFTWARE: its own stop did not end it
STOP_GRACE_SECONDS = 30.0


def die_with_parent(parent: int) -> None:
    """This process gets SIGTERM when `parent` (its parent's pid) dies, even by SIGKILL (Linux:
    PR_SET_PDEATHSIG), instead of living on as an orphan that holds a port or a queue. If the
    parent died before this call (this process was already handed to another one), it ends
    now: the signal would never come."""
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    if os.getppid() != parent:
        os.kill(os.getpid(), signal.SIGTERM)


def die_with(process: int, grace_seconds: float = STOP_GRACE_SECONDS) -> None:
    """This process gets SIGTERM when `process` ends, whichever process it is (not only the
    parent: `die_with_parent` cannot watch a grandparent). A thread waits on the process's pidfd
    (Linux 5.3+). If `process` is gone already, this one ends now. Still alive `grace_seconds`
    after the signal (its stop hung, or the signal came before its handler and was lost), it
    exits at once with `EXIT_ORPHANED`: an outbox relay outlived its service that way for an
    hour, its connections open."""
    try:
        watched = os.pidfd_open(process)
    except ProcessLookupError:
        os.kill(os.getpid(), signal.SIGTERM)
        watched = -1
    threading.Thread(
        target=_end_when_ended, args=(watched, grace_seconds), name=f"die-with-{process}",
        daemon=True,
    ).start()  # fmt: skip


def _end_when_ended(watched: int, grace_seconds: float) -> None:
    if watched >= 0:
        select.select([watched], [], [])  # readable once the process has ended
        os.kill(os.getpid(), signal.SIGTERM)
    time.sleep(grace_seconds)
    os._exit(EXIT_ORPHANED)
