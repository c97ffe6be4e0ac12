"""Child processes that end with the process that started them."""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import select
import signal
import threading

_PR_SET_PDEATHSIG = 1


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


def die_with(process: int) -> None:
    """This process gets SIGTERM when `process` ends, whichever process it is (not only the
    parent: `die_with_parent` cannot watch a grandparent). A thread waits on the process's pidfd
    (Linux 5.3+). If `process` is gone already, this one ends now."""
    try:
        watched = os.pidfd_open(process)
    except ProcessLookupError:
        os.kill(os.getpid(), signal.SIGTERM)
        return
    threading.Thread(
        target=_end_when_ended, args=(watched,), name=f"die-with-{process}", daemon=True
    ).start()


def _end_when_ended(watched: int) -> None:
    select.select([watched], [], [])  # readable once the process has ended
    os.kill(os.getpid(), signal.SIGTERM)
