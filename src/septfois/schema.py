"""Small validators for TOML tables: each failure names the key path that is wrong."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any

Path = tuple[str | int, ...]


class Invalid(Exception):
    """A value at `path` is wrong; the loader turns this into a file:line: key: problem message."""

    def __init__(self, path: Path, problem: str) -> None:
        super().__init__(problem)
        self.path = path
        self.problem = problem


def show_path(path: Path) -> str:
    """("rule", 1, "terms") -> "rule[2].terms" (array positions counted from 1, as people count)."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part + 1}]"
        else:
            text += f".{part}" if text else part
    return text


def table(value: Any, path: Path) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise Invalid(path, "expected a table")
    return value


def only_keys(value: Mapping[str, Any], allowed: Collection[str], path: Path) -> None:
    for key in value:
        if key not in allowed:
            raise Invalid((*path, key), f"unknown key (expected one of: {', '.join(sorted(allowed))})")


def required(value: Mapping[str, Any], key: str, path: Path) -> Any:
    if key not in value:
        raise Invalid((*path, key), "missing required key")
    return value[key]


def string(value: Any, path: Path, *, empty: bool = False) -> str:
    if not isinstance(value, str):
        raise Invalid(path, "expected a string")
    if not empty and not value.strip():
        raise Invalid(path, "expected a non-empty string")
    return value


def boolean(value: Any, path: Path) -> bool:
    if not isinstance(value, bool):
        raise Invalid(path, "expected true or false")
    return value


def number(value: Any, path: Path) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise Invalid(path, "expected a number")
    return float(value)


def integer(value: Any, path: Path, *, minimum: int = 0, maximum: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise Invalid(path, "expected a whole number")
    if value < minimum:
        raise Invalid(path, f"expected a whole number of at least {minimum}")
    if maximum is not None and value > maximum:
        raise Invalid(path, f"expected a whole number from {minimum} to {maximum:,}")
    return value


def strings(value: Any, path: Path, *, empty: bool = False) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise Invalid(path, "expected a list of strings")
    if not empty and not value:
        raise Invalid(path, "expected a non-empty list of strings")
    return tuple(value)


def choice(value: Any, choices: Sequence[str], path: Path) -> str:
    if not isinstance(value, str) or value not in choices:
        raise Invalid(path, f"expected one of: {', '.join(choices)} (got {value!r})")
    return value


def choices(value: Any, allowed: Sequence[str], path: Path) -> tuple[str, ...]:
    items = strings(value, path)
    for index, item in enumerate(items):
        choice(item, allowed, (*path, index))
    return items
