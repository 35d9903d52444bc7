"""The one validator of a post's context fields (lang, platforms, account, kind), for every source and
the packs' examples and `when`: each failure is a schema.Invalid naming the key, in one wording."""

from __future__ import annotations

from typing import Any

from septfois import schema
from septfois.errors import InputError
from septfois.model import ACCOUNTS, KINDS, LANGUAGES


def lang(value: Any, path: schema.Path = ("lang",)) -> str | None:
    """A post's language, or None: detected from the text."""
    return None if value is None else schema.choice(value, LANGUAGES, path)


def account(value: Any, path: schema.Path = ("account",)) -> str:
    return schema.choice(value, ACCOUNTS, path)


def kind(value: Any, path: schema.Path = ("kind",)) -> str:
    return schema.choice(value, KINDS, path)


def platforms(value: Any, path: schema.Path = ("platforms",)) -> tuple[str, ...]:
    """Platform names (one name alone stands for a list of one), each named once, in order."""
    from septfois.findings.platforms import PLATFORMS  # the platform rules load only when asked for

    names = sorted(PLATFORMS)
    if isinstance(value, str):
        return (schema.choice(value, names, path),)
    items = schema.strings(list(value) if isinstance(value, tuple) else value, path, empty=True)
    for index, item in enumerate(items):
        schema.choice(item, names, (*path, index))
    return tuple(dict.fromkeys(items))


def input_error(where: str, error: schema.Invalid) -> InputError:
    """The InputError a source reports for a field `error` at `where` ("file:line", "file:row 3")."""
    return InputError(f"{where}: {schema.show_path(error.path)}: {error.problem}")
