"""Ties a forked process's life to its parent's, so that no worker outlives the server that forked it."""

from __future__ import annotations

import os
import signal
import sys

# linux/prctl.h: deliver a signal to this process when the thread that forked it exits.
_PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int | None = None) -> bool:
    """Have the kernel SIGKILL this process when its parent dies; False where it cannot (not Linux).

    Call it in a freshly forked child. `parent` is the pid that forked it: if that one is already gone
    (the signal would never come), the child exits at once rather than be left holding what it holds.
    """
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0) != 0:
            return False
    except (OSError, AttributeError):
        return False
    if parent is not None and os.getppid() != parent:
        os._exit(1)  # orphaned between fork and prctl
    return True
