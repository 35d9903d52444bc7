"""Post files: one post per file, with optional TOML front matter between `+++` lines."""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from typing import Any

from septfois.errors import InputError
from septfois.model import ACCOUNTS, KINDS, LANGUAGES, Post, Report
from septfois.sources.inputs import known_name
from septfois.tomlpos import key_line

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised only on Python 3.10
    import tomli as tomllib

DELIMITER = "+++"
POST_SUFFIXES = (".md", ".txt")
KEYS = ("platforms", "account", "lang", "kind", "reply_to", "publish_at", "acknowledged")
_TOML_AT = re.compile(r"\(at line (\d+), column (\d+)\)")


@dataclass(frozen=True)
class PostFile:
    """A post file split into its front matter and its body, and the Post they describe."""

    text: str  # the post body, as published
    meta: Mapping[str, Any]  # the front matter
    body_line: int  # 1-based line of the file where the body starts
    body_offset: int  # code-point offset in the file where the body starts
    post: Post  # the Post to check (platforms, account, lang, kind, publish_at, acknowledged)
    key_lines: Mapping[str, int] = field(default_factory=dict)  # 1-based file line of each front matter key

    def reasons(self) -> dict[str, str]:
        """The author's reason for each acknowledged rule."""
        return {item["rule"]: item["reason"] for item in self.meta.get("acknowledged", ())}


def _is_delimiter(line: str) -> bool:
    return line.rstrip(" \t\r\n") == DELIMITER


def _strip_newline(text: str) -> str:
    """The body without the one newline an editor puts at the end of a file."""
    if text.endswith("\r\n"):
        return text[:-2]
    return text.removesuffix("\n")


def parse_post_file(content: str, name: str, *, base: Post | None = None) -> PostFile:
    """The post in `content`; an InputError "name:LINE: problem" when the front matter is malformed.

    What the front matter leaves out comes from `base` (the command line's and configuration's context).
    """
    base = base or Post(text="")
    # A BOM is invisible in editors, so positions are counted without it.
    content = content.removeprefix("\ufeff")
    lines = content.splitlines(keepends=True)
    if not lines or not _is_delimiter(lines[0]):
        text = _strip_newline(content)
        return PostFile(text, {}, 1, 0, replace(base, text=text))
    closing = next((index for index in range(1, len(lines)) if _is_delimiter(lines[index])), None)
    if closing is None:
        raise InputError(f"{name}:1: front matter opened with {DELIMITER} is never closed by another")
    source = "".join(lines[1:closing])
    try:
        meta = tomllib.loads(source)
    except tomllib.TOMLDecodeError as error:
        raise InputError(_toml_problem(str(error), name)) from None
    body_index = closing + 1
    # One blank line after the front matter is layout, not part of the post (render writes it).
    if body_index < len(lines) and not lines[body_index].strip("\r\n"):
        body_index += 1
    body_offset = sum(len(line) for line in lines[:body_index])
    text = _strip_newline(content[body_offset:])
    post = _post(text, meta, name, source, base)
    key_lines = {key: line + 1 for key in meta if (line := key_line(source, (key,)))}
    return PostFile(text, meta, body_index + 1, body_offset, post, key_lines)


@dataclass(frozen=True)
class LocatedPost:
    """A post to check, and where its text sits in the file it came from so findings point there."""

    source: str  # what reports name: the file, or the file and the row of a schedule
    post: Post
    offset: int = 0  # code-point offset of the post's text in the file
    line: int = 1  # file line where the post's text starts (always at a line start)
    anchor: tuple[int, int] | None = None  # offset and line of `publish_at`, where schedule findings belong

    def place(self, report: Report) -> Report:
        """The report with its findings located in the file rather than in the post's text."""
        if self.offset == 0 and self.line == 1 and self.anchor is None:
            return report
        placed = []
        for finding in report.findings:
            if finding.category == "schedule" and self.anchor is not None:
                offset, line = self.anchor
                placed.append(replace(finding, start=offset, end=offset, line=line, column=1))
            else:
                placed.append(
                    replace(
                        finding,
                        start=finding.start + self.offset,
                        end=finding.end + self.offset,
                        line=finding.line + self.line - 1,
                    )
                )
        return replace(report, findings=tuple(placed))


def located(content: str, name: str, base: Post | None = None) -> list[LocatedPost]:
    """The posts a file holds: one for a post file, one per row or line for a .csv or .jsonl schedule."""
    from septfois.sources.schedule import SCHEDULE_SUFFIXES, parse_schedule

    if name.lower().endswith(SCHEDULE_SUFFIXES):
        return [LocatedPost(item.source, item.post) for item in parse_schedule(content, name, base)]
    found = parse_post_file(content, name, base=base)
    anchor = None
    if "publish_at" in found.key_lines:
        line = found.key_lines["publish_at"]
        # The BOM was not counted by the parser, so neither is it here.
        lines = content.removeprefix("\ufeff").splitlines(keepends=True)
        anchor = (sum(len(text) for text in lines[: line - 1]), line)
    return [LocatedPost(name, found.post, found.body_offset, found.body_line, anchor)]


def _toml_problem(message: str, name: str) -> str:
    """tomllib's message, its line moved from the front matter to the file (which starts on line 2)."""
    found = _TOML_AT.search(message)
    if not found:
        return f"{name}:2: front matter: {message}"
    line = int(found.group(1)) + 1
    problem = _TOML_AT.sub(f"(column {found.group(2)})", message)
    return f"{name}:{line}: front matter: {problem}"


def _post(text: str, meta: Mapping[str, Any], name: str, source: str, base: Post) -> Post:
    def fail(key: str, problem: str, path: tuple[str | int, ...] = ()) -> InputError:
        line = key_line(source, (key, *path)) or key_line(source, (key,))
        return InputError(f"{name}:{(line or 0) + 1}: {key}: {problem}")

    unknown = [key for key in meta if key not in KEYS]
    if unknown:
        raise fail(unknown[0], f"unknown front matter key (expected: {', '.join(KEYS)})")
    from septfois.findings.platforms import PLATFORMS

    platforms = meta.get("platforms", list(base.platforms))
    if isinstance(platforms, str):
        platforms = [platforms]
    # Strings first: a list or table inside the list is not hashable, so cannot be looked up.
    if not isinstance(platforms, list) or any(not known_name(p, PLATFORMS) for p in platforms):
        raise fail("platforms", f"expected a list of {', '.join(sorted(PLATFORMS))} (got {platforms!r})")
    account = meta.get("account", base.account)
    if not isinstance(account, str) or account not in ACCOUNTS:
        raise fail("account", f"expected personal or brand (got {account!r})")
    lang = meta.get("lang", base.lang)
    if lang is not None and (not isinstance(lang, str) or lang not in LANGUAGES):
        raise fail("lang", f"expected one of {', '.join(LANGUAGES)} (got {lang!r})")
    reply_to = meta.get("reply_to")
    if reply_to is not None and not isinstance(reply_to, str):
        raise fail("reply_to", "expected a string (the address or id of the post answered)")
    # A post that names what it answers is a reply, unless the author says otherwise.
    kind = meta.get("kind", "reply" if reply_to else base.kind)
    if not isinstance(kind, str) or kind not in KINDS:
        raise fail("kind", f"expected post or reply (got {kind!r})")
    publish_at = None
    if "publish_at" in meta:
        try:
            publish_at = parse_datetime(meta["publish_at"])
        except ValueError as error:
            raise fail("publish_at", str(error)) from None
    acknowledged = meta.get("acknowledged", [])
    if not isinstance(acknowledged, list):
        raise fail("acknowledged", "expected a list of {rule, reason} tables ([[acknowledged]])")
    rules: list[str] = []
    for index, item in enumerate(acknowledged):
        if not isinstance(item, dict) or set(item) != {"rule", "reason"}:
            raise fail("acknowledged", "each entry needs exactly `rule` and `reason`", (index,))
        if not isinstance(item["rule"], str) or not item["rule"]:
            raise fail("acknowledged", "`rule` must be a rule id (septfois rules list)", (index, "rule"))
        if not isinstance(item["reason"], str) or not item["reason"].strip():
            raise fail("acknowledged", f"{item['rule']}: say why in `reason`", (index, "reason"))
        rules.append(item["rule"])
    return replace(
        base,
        text=text,
        lang=lang,
        platforms=tuple(dict.fromkeys(platforms)),
        account=account,
        kind=kind,
        publish_at=publish_at,
        acknowledged=tuple(dict.fromkeys(rules)),
    )


def parse_datetime(value: object) -> datetime:
    """An RFC 3339 date-time (a TOML offset date-time or a string); ValueError naming the expected form."""
    expected = "expected an RFC 3339 date-time with its UTC offset, e.g. 2025-03-01T09:00:00+01:00"
    if isinstance(value, str):
        try:
            value = iso_datetime(value)
        except ValueError:
            raise ValueError(f"{expected} (got {value!r})") from None
    if isinstance(value, datetime):
        if value.tzinfo is None:
            # Without an offset the instant depends on where the scheduler runs: refuse to guess.
            raise ValueError(f"{expected} (the offset is missing)")
        return value
    if isinstance(value, date | time):
        raise ValueError(f"{expected} (got only a {'date' if isinstance(value, date) else 'time'})")
    raise ValueError(f"{expected} (got {value!r})")


def iso_datetime(value: str) -> datetime:
    """datetime.fromisoformat, also taking the `Z` of RFC 3339 on Python 3.10."""
    value = value.strip()
    if value[-1:] in ("Z", "z"):
        value = value[:-1] + "+00:00"
    return datetime.fromisoformat(value)


def render_post_file(text: str, meta: Mapping[str, Any]) -> str:
    """A post file for `text` and `meta`: front matter (omitted when meta is empty) then the body."""
    needs_front = bool(meta) or (text.splitlines() or [""])[0].rstrip(" \t\r") == DELIMITER
    if not needs_front:
        return text + "\n"
    return f"{DELIMITER}\n{_toml(meta)}{DELIMITER}\n\n{text}\n"


def _toml(meta: Mapping[str, Any]) -> str:
    """TOML for front matter values: scalars, lists of scalars and `acknowledged` tables."""
    lines: list[str] = []
    tables: list[tuple[str, Mapping[str, Any]]] = []
    for key, value in meta.items():
        if isinstance(value, list) and value and all(isinstance(item, Mapping) for item in value):
            tables.extend((key, item) for item in value)
        else:
            lines.append(f"{_key(key)} = {_value(value)}\n")
    for key, table in tables:
        lines.append(f"\n[[{_key(key)}]]\n")
        lines.extend(f"{_key(k)} = {_value(v)}\n" for k, v in table.items())
    return "".join(lines)


def _key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else _string(key)


def _string(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    escaped = "".join(ch if ch >= " " and ch != "\x7f" else f"\\u{ord(ch):04x}" for ch in escaped)
    return f'"{escaped}"'


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_value(item) for item in value) + "]"
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{_key(k)} = {_value(v)}" for k, v in value.items()) + "}"
    raise TypeError(f"cannot write {type(value).__name__} in front matter")
