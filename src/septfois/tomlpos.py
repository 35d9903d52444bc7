"""TOML for packs, configuration and front matter: the parser, and the line of a key (it keeps none)."""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised only on Python 3.10
    import tomli as tomllib

__all__ = ["KeyLines", "key_line", "tomllib"]

_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$")
_KEY = re.compile(r"""^\s*("[^"]*"|'[^']*'|[A-Za-z0-9_-]+)\s*(?:=|\.)""")


def _unquote(name: str) -> str:
    return name[1:-1] if name[:1] in "\"'" else name


def key_line(source: str, path: Sequence[str | int]) -> int | None:
    """1-based line where `path` (e.g. ("rule", 1, "terms"), indexes 0-based) is defined, or None; see
    `KeyLines` to ask about many paths of one source."""
    return KeyLines(source).line(path)


class KeyLines:
    """Where the tables and keys of one TOML source are defined, read once (a pack asks for the line of
    every rule and example: reading the source again for each cost a second per pack load).

    Handles what packs and configuration files use: tables, arrays of tables and `key = value`
    lines (dotted keys by their first part).
    """

    def __init__(self, source: str) -> None:
        self.lines = source.splitlines()
        self._headers: dict[tuple[str | int, ...], int] = {}  # a table -> the line of its first header
        self._last_headers: dict[tuple[str | int, ...], int] = {}  # ... and of its last
        self._keys: dict[tuple[str | int, ...], int] = {}  # a table's path plus a key -> its first line
        table: tuple[str | int, ...] = ()
        counters: dict[str, int] = {}
        for number, line in enumerate(self.lines, start=1):
            header = _HEADER.match(line)
            if header:
                name = tuple(_unquote(part.strip()) for part in header.group(2).split("."))
                if header.group(1) == "[[":
                    dotted = ".".join(name)
                    counters[dotted] = counters.get(dotted, -1) + 1
                    table = (*name, counters[dotted])
                else:
                    table = tuple(_resolve_parent(name, counters))
                self._headers.setdefault(table, number)
                self._last_headers[table] = number
                continue
            key = _KEY.match(line)
            if key:
                self._keys.setdefault((*table, _unquote(key.group(1))), number)

    def line(self, path: Sequence[str | int]) -> int | None:
        """1-based line where `path` is defined: the first line that defines it (its own header, or a
        key of an enclosing table naming it), else the closest enclosing table's header, else None."""
        path = tuple(path)
        defined = [self._keys.get(path[: size + 1]) for size in range(len(path))]
        defined.append(self._headers.get(path))
        found = [number for number in defined if number is not None]
        if found:
            return min(found)
        enclosing = [self._last_headers.get(path[:size]) for size in range(1, len(path))]
        return max((number for number in enclosing if number is not None), default=None)


def _resolve_parent(name: tuple[str, ...], counters: dict[str, int]) -> list[str | int]:
    """A `[a.b]` header under an array of tables `[[a]]` belongs to a's latest element."""
    resolved: list[str | int] = []
    for index, part in enumerate(name):
        resolved.append(part)
        dotted = ".".join(name[: index + 1])
        if dotted in counters and index < len(name) - 1:
            resolved.append(counters[dotted])
    return resolved
