"""Reading posts from files, stdin and JSON Lines, with a clear error for anything unusable."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from septfois import fields, schema
from septfois.errors import InputError
from septfois.model import Post

# A post is at most a few thousand characters; anything this large is a mistake (a binary, a log file).
MAX_POST_BYTES = 1_000_000


def decode(data: bytes, name: str, *, limit: int = MAX_POST_BYTES) -> str:
    """UTF-8 text from `data`, or an InputError naming `name` and what is wrong."""
    if len(data) > limit:
        raise InputError(f"{name}: input is {len(data):,} bytes, over the limit of {limit:,} bytes")
    if b"\x00" in data:
        raise InputError(f"{name}: looks like a binary file (it contains NUL bytes), not a post")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InputError(f"{name}: not valid UTF-8 (byte {error.start}: {error.reason})") from None
    return text.removeprefix("\ufeff")


def read_bounded(stream: BinaryIO, name: str, *, limit: int = MAX_POST_BYTES) -> bytes:
    """Read at most one byte past the limit, so a huge input is refused without reading it all."""
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise InputError(f"{name}: input is over the limit of {limit:,} bytes")
    return data


def read_path(path: Path, *, limit: int = MAX_POST_BYTES) -> str:
    """The text of a post or schedule file, or an InputError naming it and what is wrong."""
    name = str(path)
    try:
        if path.is_dir():
            raise InputError(f"{name}: is a directory, not a post file")
        with path.open("rb") as stream:
            return decode(read_bounded(stream, name, limit=limit), name, limit=limit)
    except FileNotFoundError:
        raise InputError(f"{name}: no such file") from None
    except PermissionError:
        raise InputError(f"{name}: permission denied") from None
    except OSError as error:
        raise InputError(f"{name}: cannot read: {error.strerror or error}") from None


@dataclass(frozen=True)
class BatchItem:
    """One JSON Lines record: its id and the post it describes."""

    id: str
    post: Post
    extra: dict[str, object]


BATCH_KEYS = frozenset({"id", "text", "lang", "platform", "platforms", "account", "kind"})


def parse_batch_line(
    line: str,
    name: str,
    number: int,
    *,
    base: Post | None = None,
    extra_keys: frozenset[str] = frozenset(),
) -> BatchItem:
    """One JSONL record; what it leaves out comes from `base` (the command line and configuration).

    Errors name the file and line.
    """
    base = base or Post(text="")
    where = f"{name}:{number}"
    try:
        data = json.loads(line)
    except json.JSONDecodeError as error:
        raise InputError(f"{where}: invalid JSON: {error.msg} (column {error.colno})") from None
    except ValueError:  # the only other ValueError json raises: an integer past Python's digit limit
        raise InputError(f"{where}: invalid JSON: a number with more than 4,300 digits") from None
    except RecursionError:
        raise InputError(f"{where}: invalid JSON: nested too deep") from None
    if not isinstance(data, dict):
        raise InputError(f"{where}: expected a JSON object with at least `text`")
    text = data.get("text")
    if not isinstance(text, str):
        raise InputError(f"{where}: `text` must be a string")
    if has_lone_surrogate(text):
        raise InputError(f"{where}: `text` holds a lone surrogate escape (such as \\ud800), not a character")
    if len(text.encode("utf-8", "surrogatepass")) > MAX_POST_BYTES:
        raise InputError(f"{where}: `text` is over the limit of {MAX_POST_BYTES:,} bytes for one post")
    ident = data.get("id", number)
    if not isinstance(ident, str | int) or isinstance(ident, bool):
        raise InputError(f"{where}: `id` must be a string or a number")
    if isinstance(ident, str) and has_lone_surrogate(ident):
        raise InputError(f"{where}: `id` holds a lone surrogate escape (such as \\ud800), not a character")
    try:
        lang = fields.lang(data.get("lang", base.lang))
        if "platforms" in data:
            platforms = fields.platforms(data["platforms"])
        elif "platform" in data:
            platforms = fields.platforms(data["platform"], ("platform",))
        else:
            platforms = base.platforms
        account = fields.account(data.get("account", base.account))
        kind = fields.kind(data.get("kind", base.kind))
    except schema.Invalid as error:
        raise fields.input_error(where, error) from None
    post = Post(text=text, lang=lang, platforms=platforms, account=account, kind=kind)
    return BatchItem(
        str(ident) if isinstance(ident, str) else ident, post, {k: data[k] for k in extra_keys if k in data}
    )  # type: ignore[arg-type]


def has_lone_surrogate(text: str) -> bool:
    """Whether JSON's \\uD800-style escapes left half a UTF-16 pair in `text` (it cannot be written out)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def decode_line(raw: bytes, name: str, number: int) -> str:
    """One JSONL line as text, or an InputError naming the file and line."""
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InputError(f"{name}:{number}: not valid UTF-8 (byte {error.start}: {error.reason})") from None
    return line.removeprefix("\ufeff") if number == 1 else line
