"""Child processes that end with the process that started them."""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import signal

_PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """This process gets SIGTERM when its parent dies, even by SIGKILL (Linux:
    PR_SET_PDEATHSIG), instead of living on as an orphan that holds a port or a queue.

    (No check of the parent's pid against 1: in a container the parent may be pid 1.)"""
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
