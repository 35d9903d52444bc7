"""The errors septfois reports to people (each names what is wrong and where), and its exit codes."""

from __future__ import annotations

# 0 nothing at the fail level, 1 findings at or above it, 2 a problem to fix, 3 a bug, 130 Ctrl-C.
EXIT_OK, EXIT_FINDINGS, EXIT_ERROR, EXIT_INTERNAL, EXIT_INTERRUPTED = 0, 1, 2, 3, 130


class SeptfoisError(Exception):
    """A problem the user can fix; the command line prints it and exits 2."""

    exit_code = EXIT_ERROR


class PackError(SeptfoisError):
    """A rule pack that cannot be loaded: names the file, the line and the key."""

    def __init__(self, path: str, line: int | None, key: str | None, problem: str) -> None:
        self.path = path
        self.line = line
        self.key = key
        self.problem = problem
        where = path if line is None else f"{path}:{line}"
        what = f"{key}: {problem}" if key else problem
        super().__init__(f"{where}: {what}")


class ConfigError(PackError):
    """A configuration file that cannot be used: names the file, the line and the key."""


class InputError(SeptfoisError):
    """Input that cannot be checked: unreadable, not UTF-8, too large, malformed."""
