"""Child processes that end with the process that started them."""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import signal

_PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """This process gets SIGTERM when its parent dies, even by SIGKILL (Linux:
    PR_SET_PDEATHSIG), instead of living on as an orphan that holds a port or a queue. If the
    parent is already gone, this process ends now."""
    parent = os.getppid()
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    if parent == 1:  # reparented before the call: the parent died already
        os.kill(os.getpid(), signal.SIGTERM)
