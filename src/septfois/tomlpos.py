"""TOML for packs, configuration and front matter: the parser, and the line of a key (it keeps none)."""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised only on Python 3.10
    import tomli as tomllib

__all__ = ["key_line", "tomllib"]

_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$")
_KEY = re.compile(r"""^\s*("[^"]*"|'[^']*'|[A-Za-z0-9_-]+)\s*(?:=|\.)""")


def _unquote(name: str) -> str:
    return name[1:-1] if name[:1] in "\"'" else name


def key_line(source: str, path: Sequence[str | int]) -> int | None:
    """1-based line where `path` (e.g. ("rule", 1, "terms"), indexes 0-based) is defined, or None.

    Handles what packs and configuration files use: tables, arrays of tables and `key = value`
    lines (dotted keys by their first part). Falls back to the closest enclosing table's header.
    """
    table: list[str | int] = []
    counters: dict[str, int] = {}
    best: int | None = None
    for number, line in enumerate(source.splitlines(), start=1):
        header = _HEADER.match(line)
        if header:
            name = tuple(_unquote(part.strip()) for part in header.group(2).split("."))
            if header.group(1) == "[[":
                dotted = ".".join(name)
                counters[dotted] = counters.get(dotted, -1) + 1
                table = [*name[:-1], name[-1], counters[dotted]]
            else:
                parent = _resolve_parent(name, counters)
                table = parent
            if list(path[: len(table)]) == table and (best is None or len(table) > 0):
                best = number
                if len(table) == len(path):
                    return number
            continue
        key = _KEY.match(line)
        inside = key and len(path) > len(table) and list(path[: len(table)]) == table
        if inside and _unquote(key.group(1)) == path[len(table)]:
            return number
    return best


def _resolve_parent(name: tuple[str, ...], counters: dict[str, int]) -> list[str | int]:
    """A `[a.b]` header under an array of tables `[[a]]` belongs to a's latest element."""
    resolved: list[str | int] = []
    for index, part in enumerate(name):
        resolved.append(part)
        dotted = ".".join(name[: index + 1])
        if dotted in counters and index < len(name) - 1:
            resolved.append(counters[dotted])
    return resolved
