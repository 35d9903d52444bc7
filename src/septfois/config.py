"""Configuration: find septfois.toml or [tool.septfois], validate it, and hold the settings."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
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
                data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
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
        raise ConfigError(str(path), None, None, f"invalid TOML: {error}") from None
    prefix: schema.Path = ()
    if table_path:
        prefix = tuple(table_path.split("."))
        for part in prefix:
            data = data.get(part, {}) if isinstance(data, dict) else {}
    try:
        return parse(data, prefix, path)
    except schema.Invalid as error:
        shown = schema.show_path(error.path)
        raise ConfigError(str(path), key_line(source, error.path), shown, error.problem) from None


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
        schema.integer(value, (*key("platform_settings"), name), minimum=1)
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
            table.get("send_countdown", defaults.send_countdown), key("send_countdown")
        ),
        source=path,
    )


def quiet_period(value: Any, where: schema.Path) -> QuietPeriod:
    """One [[quiet_period]] table (also a timing rule's example's `quiet_period`), its keys checked."""
    entry = schema.table(value, where)
    schema.only_keys(entry, {"start", "end", "reason"}, where)
    return QuietPeriod(
        start=str(schema.required(entry, "start", where)),
        end=str(schema.required(entry, "end", where)),
        reason=schema.string(schema.required(entry, "reason", where), (*where, "reason")),
    )
