"""Configuration: find septfois.toml or [tool.septfois], validate it, and hold the settings."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from septfois import schema
from septfois.errors import ConfigError
from septfois.model import ACCOUNTS, LANGUAGES, LEVEL_NAMES, UI_LANGS
from septfois.tomlpos import key_line, tomllib

CONFIG_NAME = "septfois.toml"
FAIL_LEVELS = (*LEVEL_NAMES, "never")
RULE_SETTINGS = (*LEVEL_NAMES, "off")
KEYS = frozenset(
    {
        "languages", "default_language", "ui_language", "platforms", "account", "pseudonym", "fail_on",
        "packs", "rules", "pack_paths", "platform_settings", "quiet_period", "send_countdown",
    }
)  # fmt: skip
# Seconds the editor makes a risky post wait before "send anyway": more than this is a mistake.
MAX_SEND_COUNTDOWN = 600
# A platform's length limit or link length: far beyond any real platform's.
MAX_PLATFORM_SETTING = 1_000_000
_TOML_AT = re.compile(r"\(at line (\d+), column (\d+)\)")
# A [tool.septfois] table (or a tool.septfois key) in a pyproject.toml, found even when it does not parse.
_OUR_TABLE = re.compile(r"^\s*(\[\s*tool\s*\.\s*septfois\b|tool\s*\.\s*septfois\s*[.=])", re.MULTILINE)


@dataclass(frozen=True)
class QuietPeriod:
    """Dates during which market-sensitive posts are riskier (e.g. before annual results)."""

    start: str
    end: str
    reason: str


@dataclass(frozen=True)
class Config:
    """Every setting, with the defaults a new user gets."""

    languages: tuple[str, ...] = ("fr", "en")
    default_language: str = "fr"
    ui_language: str = "en"
    platforms: tuple[str, ...] = ()
    account: str = "personal"
    pseudonym: bool = False
    fail_on: str = "error"
    packs: Mapping[str, bool] = field(default_factory=dict)
    rules: Mapping[str, str] = field(default_factory=dict)
    pack_paths: tuple[Path, ...] = ()
    platform_settings: Mapping[str, int] = field(default_factory=dict)
    quiet_periods: tuple[QuietPeriod, ...] = ()
    send_countdown: int = 7
    source: Path | None = None
    # File line of each `[rules]` entry, so that an id no pack defines is reported where it is written.
    rule_lines: Mapping[str, int] = field(default_factory=dict, compare=False)
    rules_key: str = field(default="rules", compare=False)

    def unknown_rule(self, rule_id: str) -> ConfigError:
        """The error for a `[rules]` id that no loaded pack defines: file, line and key."""
        problem = f"unknown rule {rule_id!r} (see `septfois rules list`)"
        return ConfigError(
            str(self.source), self.rule_lines.get(rule_id), f"{self.rules_key}.{rule_id}", problem
        )


def user_config_path() -> Path:
    from platformdirs import user_config_path as base

    return base("septfois") / CONFIG_NAME


def user_packs_dir() -> Path:
    from platformdirs import user_data_path

    return user_data_path("septfois") / "packs"


def discover(start: Path) -> tuple[Path, str | None] | None:
    """The nearest septfois.toml, or pyproject.toml with [tool.septfois], walking up from `start`.

    Returns the file and, for pyproject.toml, the table path inside it.
    """
    for folder in (start, *start.parents):
        candidate = folder / CONFIG_NAME
        if candidate.is_file():
            return candidate, None
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file():
            try:
                text = pyproject.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                continue  # unreadable, so not knowably ours
            try:
                data = tomllib.loads(text)
            except tomllib.TOMLDecodeError as error:
                if _OUR_TABLE.search(text):
                    # Ours, but broken: skipping it would silently apply the defaults instead.
                    raise _invalid_toml(pyproject, error, text) from None
                continue  # a broken pyproject.toml that is not ours is not our error to report
            if isinstance(data.get("tool"), dict) and "septfois" in data["tool"]:
                return pyproject, "tool.septfois"
    user = user_config_path()
    if user.is_file():
        return user, None
    return None


def load_config(explicit: Path | None = None, *, start: Path | None = None) -> Config:
    """The configuration in force: `explicit` if given, else the discovered file, else defaults."""
    if os.environ.get("SEPTFOIS_NO_CONFIG") and explicit is None:
        return Config()
    found = (explicit, None) if explicit is not None else discover(start or Path.cwd())
    if found is None:
        return Config()
    path, table_path = found
    if explicit is not None and path.name == "pyproject.toml":
        table_path = "tool.septfois"
    try:
        source = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(str(path), None, None, f"cannot read configuration: {error}") from None
    try:
        data: Any = tomllib.loads(source)
    except tomllib.TOMLDecodeError as error:
        raise _invalid_toml(path, error, source) from None
    prefix: schema.Path = ()
    if table_path:
        prefix = tuple(table_path.split("."))
        for part in prefix:
            data = data.get(part, {}) if isinstance(data, dict) else {}
    try:
        config = parse(data, prefix, path)
    except schema.Invalid as error:
        shown = schema.show_path(error.path)
        raise ConfigError(str(path), key_line(source, error.path), shown, error.problem) from None
    rules_path = (*prefix, "rules")
    lines = {rule_id: line for rule_id in config.rules if (line := key_line(source, (*rules_path, rule_id)))}
    return replace(config, rule_lines=lines, rules_key=schema.show_path(rules_path))


def _invalid_toml(path: Path, error: Exception, source: str) -> ConfigError:
    """tomllib's message as file:line: invalid TOML: problem (column N)."""
    message = str(error)
    found = _TOML_AT.search(message)
    line = int(found.group(1)) if found else None
    if found:
        message = _TOML_AT.sub(f"(column {found.group(2)})", message)
    elif "(at end of document)" in message:  # something left open: the file's last line
        line = len(source.splitlines()) or 1
    return ConfigError(str(path), line, None, f"invalid TOML: {message}")


def _moment(value: Any, path: schema.Path) -> str:
    """A quiet period bound: a TOML date or date-time, or the same as a string; its text form."""
    expected = "expected a date (2026-02-01) or a date-time (2026-02-01T09:00:00+01:00)"
    if isinstance(value, date | datetime):
        return value.isoformat()
    if not isinstance(value, str):
        raise schema.Invalid(path, f"{expected} (got {value!r})")
    text = value.strip()
    try:
        if len(text) > 10:
            datetime.fromisoformat(text[:-1] + "+00:00" if text[-1:] in "Zz" else text)
        else:
            date.fromisoformat(text)
    except ValueError:
        raise schema.Invalid(path, f"{expected} (got {value!r})") from None
    return text


def parse(data: Any, prefix: schema.Path, path: Path | None) -> Config:
    """Validate a configuration table; unknown keys are errors."""
    table = schema.table(data, prefix)
    schema.only_keys(table, KEYS, prefix)
    from septfois.findings.platforms import DEFAULT_SETTINGS, PLATFORMS

    def key(name: str) -> schema.Path:
        return (*prefix, name)

    defaults = Config()
    languages = (
        schema.choices(table["languages"], LANGUAGES, key("languages"))
        if "languages" in table
        else defaults.languages
    )
    default_language = schema.choice(
        table.get("default_language", languages[0]), languages, key("default_language")
    )
    packs = schema.table(table.get("packs", {}), key("packs"))
    for name, value in packs.items():
        schema.boolean(value, (*key("packs"), name))
    rules = schema.table(table.get("rules", {}), key("rules"))
    for name, value in rules.items():
        schema.choice(value, RULE_SETTINGS, (*key("rules"), name))
    base = path.parent if path is not None else Path.cwd()
    pack_paths = tuple(
        (base / entry) for entry in schema.strings(table.get("pack_paths", []), key("pack_paths"), empty=True)
    )
    settings = schema.table(table.get("platform_settings", {}), key("platform_settings"))
    for name, value in settings.items():
        if name not in DEFAULT_SETTINGS:
            where = (*key("platform_settings"), name)
            raise schema.Invalid(
                where, f"unknown setting (expected one of: {', '.join(sorted(DEFAULT_SETTINGS))})"
            )
        schema.integer(value, (*key("platform_settings"), name), minimum=1, maximum=MAX_PLATFORM_SETTING)
    quiet = table.get("quiet_period", [])
    if not isinstance(quiet, list):
        raise schema.Invalid(key("quiet_period"), "expected an array of tables: [[quiet_period]]")
    periods = [quiet_period(item, (*key("quiet_period"), index)) for index, item in enumerate(quiet)]
    return Config(
        languages=languages,
        default_language=default_language,
        ui_language=schema.choice(
            table.get("ui_language", defaults.ui_language), UI_LANGS, key("ui_language")
        ),
        platforms=schema.choices(table["platforms"], sorted(PLATFORMS), key("platforms"))
        if "platforms" in table
        else (),
        account=schema.choice(table.get("account", defaults.account), ACCOUNTS, key("account")),
        pseudonym=schema.boolean(table.get("pseudonym", False), key("pseudonym")),
        fail_on=schema.choice(table.get("fail_on", defaults.fail_on), FAIL_LEVELS, key("fail_on")),
        packs=dict(packs),
        rules=dict(rules),
        pack_paths=pack_paths,
        platform_settings=dict(settings),
        quiet_periods=tuple(periods),
        send_countdown=schema.integer(
            table.get("send_countdown", defaults.send_countdown),
            key("send_countdown"),
            maximum=MAX_SEND_COUNTDOWN,
        ),
        source=path,
    )


def quiet_period(value: Any, where: schema.Path) -> QuietPeriod:
    """One [[quiet_period]] table (also a timing rule's example's `quiet_period`), its keys checked."""
    entry = schema.table(value, where)
    schema.only_keys(entry, {"start", "end", "reason"}, where)
    return QuietPeriod(
        start=_moment(schema.required(entry, "start", where), (*where, "start")),
        end=_moment(schema.required(entry, "end", where), (*where, "end")),
        reason=schema.string(schema.required(entry, "reason", where), (*where, "reason")),
    )
