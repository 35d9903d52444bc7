"""Rule packs: load TOML files, validate every key, and compile rules into ready detectors."""

from __future__ import annotations

import string
import threading
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Any

from septfois import fields, schema
from septfois.config import quiet_period
from septfois.dates import parse_datetime
from septfois.errors import PackError
from septfois.findings.lexicon import Lexicon
from septfois.findings.ruletypes import RULE_TYPES, Detect, is_second_opinion
from septfois.findings.ruletypes.pattern import PatternType
from septfois.findings.timing import QuietWindow, quiet_window
from septfois.model import CATEGORIES, LANGUAGES, LEVEL_NAMES, UI_LANGS, Level, Post
from septfois.tomlpos import KeyLines, key_line, tomllib

PACK_KEYS = frozenset({"id", "version", "title", "languages", "description"})
RULE_KEYS = frozenset(
    {
        "id", "category", "level", "type", "languages", "message", "why", "suggestion", "source",
        "when", "unless", "must_flag", "must_pass",
    }
)  # fmt: skip
WHEN_KEYS = frozenset({"kind", "account", "pseudonym", "platforms"})
EXAMPLE_KEYS = frozenset(
    {"text", "lang", "kind", "account", "pseudonym", "platforms", "publish_at", "now", "quiet_period"}
)
# A message, a why or a suggestion is a sentence or two: far past this, a pack is broken or hostile.
MAX_TEXT_CHARS = 2_000


@dataclass(frozen=True)
class When:
    """Context conditions: the rule applies only to such posts."""

    kind: str | None = None
    account: str | None = None
    pseudonym: bool | None = None
    platforms: tuple[str, ...] = ()

    def holds(self, post: Post) -> bool:
        return (
            (self.kind is None or post.kind == self.kind)
            and (self.account is None or post.account == self.account)
            and (self.pseudonym is None or post.pseudonym == self.pseudonym)
            and (not self.platforms or any(name in self.platforms for name in post.platforms))
        )


@dataclass(frozen=True)
class Example:
    """A post that must (or must not) make its rule fire; a timing rule's example may also say when it is
    checked (`now`, default: the clock) and the quiet period it is checked against."""

    post: Post
    line: int | None
    now: datetime | None = None
    quiet_windows: tuple[QuietWindow, ...] = ()


@dataclass(frozen=True)
class Rule:
    """A compiled rule: data from a pack plus the detector its type built."""

    id: str
    pack: str
    category: str
    level: Level
    type: str
    languages: tuple[str, ...]
    message: Mapping[str, str]
    why: Mapping[str, str]
    suggestion: Mapping[str, str]
    source: str | None
    when: When
    unless: Lexicon | None
    must_flag: tuple[Example, ...]
    must_pass: tuple[Example, ...]
    detect: Detect
    file: str
    line: int | None

    @cached_property  # asked of every rule for every post
    def second_opinion(self) -> bool:
        """Whether the rule runs after the others and stays quiet where one found its category (its
        type says so: a learned model's guess gives way to what a rule found for sure)."""
        return is_second_opinion(self.type)

    def applies_to(self, post: Post, langs: Iterable[str]) -> bool:
        langs = tuple(langs)
        return self.when.holds(post) and (not self.languages or any(lang in self.languages for lang in langs))


@dataclass(frozen=True)
class Pack:
    id: str
    version: str
    title: str
    languages: tuple[str, ...]
    rules: tuple[Rule, ...]
    file: str


def builtin_pack_paths() -> list[Path]:
    """The packs shipped inside the package, in a stable order."""
    folder = resources.files("septfois").joinpath("rules")
    return sorted(Path(str(entry)) for entry in folder.iterdir() if entry.name.endswith(".toml"))


# Compiled packs by (file, display name): a process that checks many times (the daemon, the editor)
# compiles each pack once, and a pack whose file changed (modification time or size) is compiled anew.
_compiled: dict[tuple[str, str], tuple[int, int, Pack]] = {}
_compiled_lock = threading.Lock()
RACY_NS = 2_000_000_000


def load_pack(path: Path, *, display: str | None = None) -> Pack:
    """Read, validate and compile one pack; every problem is a PackError naming file, line and key.

    An unchanged file (same path, modification time and size) gives the pack compiled before."""
    name = display or str(path)
    try:
        stat = path.stat()
    except OSError:
        return _load_pack(path, name)  # reading it reports the problem
    key = (str(path.resolve()), name)
    with _compiled_lock:
        cached = _compiled.get(key)
    if cached is not None and cached[:2] == (stat.st_mtime_ns, stat.st_size):
        return cached[2]
    pack = _load_pack(path, name)
    # A file changed again within the clock's granularity could keep its time and size: like git's
    # "racy" entries, a pack written just now is not remembered, so the next load reads it again.
    if time.time_ns() - stat.st_mtime_ns > RACY_NS:
        with _compiled_lock:
            _compiled[key] = (stat.st_mtime_ns, stat.st_size, pack)
    return pack


def _load_pack(path: Path, name: str) -> Pack:
    try:
        source = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise PackError(name, None, None, f"cannot read pack: {error}") from None
    try:
        data = tomllib.loads(source)
    except tomllib.TOMLDecodeError as error:
        line = getattr(error, "lineno", None) or _line_from_message(str(error))
        raise PackError(name, line, None, f"invalid TOML: {error}") from None
    try:
        pack = _pack(data, name, path.parent, trusted=_is_builtin(path))
    except schema.Invalid as error:
        raise PackError(
            name, key_line(source, error.path), schema.show_path(error.path), error.problem
        ) from None
    lines = KeyLines(source)
    return replace(
        pack, rules=tuple(_with_lines(rule, index, lines) for index, rule in enumerate(pack.rules))
    )


def _with_lines(rule: Rule, index: int, lines: KeyLines) -> Rule:
    """Record where a rule and each of its examples stand, for `rules show` and `rules test`."""

    def examples(key: str, items: tuple[Example, ...]) -> tuple[Example, ...]:
        first = lines.line(("rule", index, key))
        return tuple(
            replace(example, line=_example_line(lines.lines, first, example.post.text)) for example in items
        )

    return replace(
        rule,
        line=lines.line(("rule", index)),
        must_flag=examples("must_flag", rule.must_flag),
        must_pass=examples("must_pass", rule.must_pass),
    )


def _example_line(lines: Sequence[str], first: int | None, text: str) -> int | None:
    """The line of an example's text at or after its list's first line (found by its opening words)."""
    if first is None:
        return None
    needle = text.splitlines()[0][:40] if text else ""
    for number in range(first, len(lines) + 1):
        if needle and needle in lines[number - 1].replace('\\"', '"'):
            return number
    return first


def _line_from_message(message: str) -> int | None:
    marker = "(at line "
    if marker in message:
        digits = message.split(marker, 1)[1].split(",", 1)[0]
        if digits.isdigit():
            return int(digits)
    return None


def _is_builtin(path: Path) -> bool:
    """Whether `path` is one of the packs shipped with septfois (reviewed, measured, trusted)."""
    try:
        return path.resolve().parent == Path(str(resources.files("septfois").joinpath("rules"))).resolve()
    except OSError:
        return False


def _pack(data: Mapping[str, Any], file: str, folder: Path, *, trusted: bool = False) -> Pack:
    schema.only_keys(data, {"pack", "rule"}, ())
    header = schema.table(schema.required(data, "pack", ()), ("pack",))
    schema.only_keys(header, PACK_KEYS, ("pack",))
    pack_id = schema.string(schema.required(header, "id", ("pack",)), ("pack", "id"))
    version = str(schema.required(header, "version", ("pack",)))
    title = schema.string(schema.required(header, "title", ("pack",)), ("pack", "title"))
    languages = schema.choices(
        schema.required(header, "languages", ("pack",)), LANGUAGES, ("pack", "languages")
    )
    rules_data = data.get("rule", [])
    if not isinstance(rules_data, list):
        raise schema.Invalid(("rule",), "expected an array of tables: [[rule]]")
    rules = []
    seen: set[str] = set()
    for index, rule_data in enumerate(rules_data):
        rule = _rule(rule_data, ("rule", index), pack_id, file, folder, trusted=trusted)
        if rule.id in seen:
            raise schema.Invalid(("rule", index, "id"), f"duplicate rule id {rule.id!r}")
        seen.add(rule.id)
        rules.append(rule)
    return Pack(pack_id, version, title, languages, tuple(rules), file)


def _rule(
    data: Any, path: schema.Path, pack_id: str, file: str, folder: Path, *, trusted: bool = False
) -> Rule:
    table = schema.table(data, path)
    type_name = schema.choice(schema.required(table, "type", path), sorted(RULE_TYPES), (*path, "type"))
    rule_type = RULE_TYPES[type_name]
    schema.only_keys(table, RULE_KEYS | rule_type.keys, path)
    rule_id = schema.string(schema.required(table, "id", path), (*path, "id"))
    if not rule_id.startswith(f"{pack_id}.") or not _is_kebab(rule_id[len(pack_id) + 1 :]):
        raise schema.Invalid((*path, "id"), f"expected `{pack_id}.kebab-case-name` (got {rule_id!r})")
    category = schema.choice(schema.required(table, "category", path), CATEGORIES, (*path, "category"))
    level = Level.parse(schema.choice(schema.required(table, "level", path), LEVEL_NAMES, (*path, "level")))
    languages = (
        schema.choices(table["languages"], LANGUAGES, (*path, "languages")) if "languages" in table else ()
    )
    placeholders = rule_type.placeholders
    message = _texts(table, "message", path, placeholders)
    why = _texts(table, "why", path, frozenset())
    suggestion = _texts(table, "suggestion", path, frozenset())
    source = schema.string(table["source"], (*path, "source")) if "source" in table else None
    when = _when(table.get("when", {}), (*path, "when"))
    unless = None
    if "unless" in table:
        unless = Lexicon(schema.strings(table["unless"], (*path, "unless")))
    if trusted and isinstance(rule_type, PatternType):
        detect = rule_type.compile(table, path, time_bound=None)  # built-in: measured, never timed
    elif getattr(rule_type, "reads_files", False):  # a learned rule's model file sits beside its pack
        detect = rule_type.compile(table, path, folder)  # type: ignore[call-arg]
    else:
        detect = rule_type.compile(table, path)
    must_flag = _examples(table, "must_flag", path)
    must_pass = _examples(table, "must_pass", path)
    return Rule(
        rule_id, pack_id, category, level, type_name, languages, message, why, suggestion, source, when,
        unless, must_flag, must_pass, detect, file, None,
    )  # fmt: skip


def _is_kebab(name: str) -> bool:
    parts = name.split("-")
    return bool(name) and all(part and part.isascii() and part.isalnum() and part.islower() for part in parts)


def _texts(
    table: Mapping[str, Any], key: str, path: schema.Path, placeholders: frozenset[str]
) -> dict[str, str]:
    """A message in every interface language, checked for placeholders the rule type cannot fill."""
    value = schema.table(schema.required(table, key, path), (*path, key))
    schema.only_keys(value, UI_LANGS, (*path, key))
    texts = {}
    for lang in UI_LANGS:
        where = (*path, key, lang)
        text = schema.string(schema.required(value, lang, (*path, key)), where)
        if len(text) > MAX_TEXT_CHARS:
            raise schema.Invalid(
                where, f"text too long ({len(text):,} characters; at most {MAX_TEXT_CHARS:,})"
            )
        for field in _placeholders(text, where) if "{" in text or "}" in text else ():
            if field not in placeholders:
                allowed = ", ".join(f"{{{name}}}" for name in sorted(placeholders)) or "none"
                raise schema.Invalid(where, f"unknown placeholder {{{field}}} (this type offers {allowed})")
        texts[lang] = text
    return texts


def _placeholders(text: str, where: schema.Path) -> list[str]:
    """The placeholders of a message, each a plain name: `{match}`, never `{match.attr}`, `{match[0]}`,
    `{match!r}` or `{match:>9}` (an attribute or a format spec can read or grow without bound)."""
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError as error:
        raise schema.Invalid(where, f"broken placeholder: {error} (write {{{{ and }}}} for braces)") from None
    fields = []
    for _, field, spec, conversion in parsed:
        if field is None:
            continue
        if not field.isidentifier() or spec or conversion is not None:
            shown = (
                field + (f"!{conversion}" if conversion is not None else "") + (f":{spec}" if spec else "")
            )
            raise schema.Invalid(
                where,
                f"placeholder {{{shown}}} is not a plain name (no attribute, index, conversion or format)",
            )
        fields.append(field)
    return fields


def _when(value: Any, path: schema.Path) -> When:
    table = schema.table(value, path)
    schema.only_keys(table, WHEN_KEYS, path)
    return When(
        kind=fields.kind(table["kind"], (*path, "kind")) if "kind" in table else None,
        account=fields.account(table["account"], (*path, "account")) if "account" in table else None,
        pseudonym=schema.boolean(table["pseudonym"], (*path, "pseudonym")) if "pseudonym" in table else None,
        platforms=fields.platforms(table["platforms"], (*path, "platforms")) if "platforms" in table else (),
    )


def _examples(table: Mapping[str, Any], key: str, path: schema.Path) -> tuple[Example, ...]:
    items = table.get(key)
    if not isinstance(items, list) or not items:
        raise schema.Invalid((*path, key), "expected a non-empty list of example posts (strings or tables)")
    return tuple(_example(item, (*path, key, index)) for index, item in enumerate(items))


def _example(item: Any, path: schema.Path) -> Example:
    if isinstance(item, str):
        return Example(Post(text=item), None)
    table = schema.table(item, path)
    schema.only_keys(table, EXAMPLE_KEYS, path)
    post = Post(
        text=schema.string(schema.required(table, "text", path), (*path, "text")),
        lang=fields.lang(table["lang"], (*path, "lang")) if "lang" in table else None,
        kind=fields.kind(table.get("kind", "post"), (*path, "kind")),
        account=fields.account(table.get("account", "personal"), (*path, "account")),
        pseudonym=schema.boolean(table.get("pseudonym", False), (*path, "pseudonym")),
        platforms=fields.platforms(table["platforms"], (*path, "platforms")) if "platforms" in table else (),
        publish_at=_moment(table, "publish_at", path),
    )
    windows: tuple[QuietWindow, ...] = ()
    if "quiet_period" in table:
        where = (*path, "quiet_period")
        try:
            windows = (quiet_window(quiet_period(table["quiet_period"], where)),)
        except ValueError as error:
            raise schema.Invalid(
                (*where, str(error)), "expected a date (2026-02-01) or a date-time"
            ) from None
    return Example(post, None, _moment(table, "now", path), windows)


def _moment(table: Mapping[str, Any], key: str, path: schema.Path) -> datetime | None:
    if key not in table:
        return None
    try:
        return parse_datetime(table[key])
    except ValueError as error:
        raise schema.Invalid((*path, key), str(error)) from None
