"""A forked child process that trades pickled messages with its parent and that the parent can stop at once.

The editor checks its drafts in one, and the hook checks staged posts in one under a time budget: a
Python thread cannot be interrupted while C code (spaCy, a regular expression) holds the interpreter, a
process can always be killed.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from collections.abc import Callable
from multiprocessing.connection import Connection, Pipe, wait

from septfois.server import lifeline

# Signals a terminal sends to its foreground group, or that a parent's handlers (Textual's) take: the child
# neither reacts to the terminal nor runs its parent's handlers, which would wake the parent's event loop.
_RESET = ("SIGTERM", "SIGWINCH", "SIGTSTP", "SIGCONT", "SIGTTIN", "SIGTTOU", "SIGHUP", "SIGQUIT")


def can_fork() -> bool:
    """Whether checks can run in a child process here (POSIX systems with fork)."""
    return hasattr(os, "fork") and os.name == "posix"


class Child:
    """One forked process running `target(connection)`; `send`, `receive` and `stop` are the parent's side."""

    def __init__(self, pid: int, connection: Connection) -> None:
        self.pid = pid
        self.connection = connection
        self.stopped = False

    @classmethod
    def start(cls, target: Callable[[Connection], object], *, quiet: bool = False) -> Child:
        """Fork a child that runs `target` and exits; with `quiet` it neither reads nor writes the terminal.

        The child lives in its own process group (a Ctrl-C or a resize in the terminal is the parent's
        business) and dies with its parent (the kernel kills it), so it never outlives the one it serves.
        """
        ours, theirs = Pipe(duplex=True)
        parent = os.getpid()
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                if stream is not None:
                    stream.flush()
        pid = os.fork()
        if pid == 0:  # the child: whatever happens, it leaves by os._exit, never by the parent's exit code
            code = 1
            try:
                ours.close()
                _become_child(parent, quiet)
                target(theirs)
                code = 0
            except BaseException:
                code = 1
            finally:
                os._exit(code)
        theirs.close()
        with contextlib.suppress(OSError):
            os.setpgid(pid, pid)  # the child does it too: whichever comes first, a kill finds the group
        return cls(pid, ours)

    def send(self, message: object) -> bool:
        """Hand the child a message; False when it is gone."""
        try:
            self.connection.send(message)
            return True
        except (OSError, ValueError):
            return False

    def ready(self, timeout: float | None) -> bool:
        """Whether a message (or the child's end) can be read within `timeout` seconds."""
        try:
            return self.connection.poll(timeout)
        except (OSError, ValueError):
            return True  # closed: reading says so at once

    def receive(self) -> object:
        """The child's next message; EOFError when it has exited or was stopped."""
        try:
            return self.connection.recv()
        except (OSError, ValueError):
            raise EOFError from None

    def fileno(self) -> int:
        return self.connection.fileno()

    def stop(self) -> None:
        """Kill the child (and anything it forked) now, and reap it."""
        if self.stopped:
            return
        self.stopped = True
        with contextlib.suppress(OSError):
            os.killpg(self.pid, signal.SIGKILL)
        with contextlib.suppress(OSError):
            os.kill(self.pid, signal.SIGKILL)
        with contextlib.suppress(OSError):
            self.connection.close()
        with contextlib.suppress(ChildProcessError, OSError):
            os.waitpid(self.pid, 0)


def readable(children: list[Child], connections: list[Connection], timeout: float | None) -> list[object]:
    """Those of the children and connections that have something to read within `timeout` seconds."""
    by_fd: dict[int, object] = {}
    for child in children:
        with contextlib.suppress(OSError, ValueError):
            by_fd[child.fileno()] = child
    for connection in connections:
        with contextlib.suppress(OSError, ValueError):
            by_fd[connection.fileno()] = connection
    return [by_fd[fd] for fd in wait(list(by_fd), timeout) if fd in by_fd]  # type: ignore[index]


def _become_child(parent: int, quiet: bool) -> None:
    lifeline.die_with_parent(parent)
    with contextlib.suppress(OSError):
        os.setpgid(0, 0)
    with contextlib.suppress(ValueError, OSError):
        signal.set_wakeup_fd(-1)  # the parent's event loop listens there: a signal here must not reach it
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent stops us; a Ctrl-C is its to handle
    for name in _RESET:
        number = getattr(signal, name, None)
        if number is not None:
            with contextlib.suppress(OSError, ValueError):
                signal.signal(number, signal.SIG_DFL)
    if quiet:
        # The terminal belongs to the parent's UI: a stray warning written here would be drawn over it.
        null = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            with contextlib.suppress(OSError):
                os.dup2(null, fd)
        os.close(null)
