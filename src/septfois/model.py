"""The values that flow through septfois: levels, categories, posts, findings and reports."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import IntEnum

CATEGORIES: tuple[str, ...] = (
    "humour",
    "sensitive:politics",
    "sensitive:religion",
    "sensitive:health",
    "sensitive:tragedy",
    "sensitive:identity",
    "sensitive:market",
    "sensitive:legal-hr",
    "offence",
    "privacy",
    "pseudonym",
    "length",
    "empty",
    "schedule",  # when a scheduled post goes out (a past date): the `timing` rules of rules/schedule.toml
)

ACCOUNTS: tuple[str, ...] = ("personal", "brand")
KINDS: tuple[str, ...] = ("post", "reply")
LANGUAGES: tuple[str, ...] = ("fr", "en")  # languages a post can be checked in
UI_LANGS: tuple[str, ...] = ("fr", "en")


class Level(IntEnum):
    """How serious a finding is; ordered so that levels compare."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, name: str) -> Level:
        """The level named `name` (info, warning, error); ValueError otherwise."""
        try:
            return cls[name.upper()]
        except KeyError:
            raise ValueError(f"unknown level {name!r} (expected info, warning or error)") from None


LEVEL_NAMES: tuple[str, ...] = tuple(level.label for level in Level)


@dataclass(frozen=True)
class Post:
    """A draft to check, with the context that changes what is risky in it."""

    text: str
    lang: str | None = None
    platforms: tuple[str, ...] = ()
    account: str = "personal"
    kind: str = "post"
    pseudonym: bool = False
    publish_at: datetime | None = None  # when a scheduled post goes out (timezone-aware)
    acknowledged: tuple[str, ...] = ()  # rule ids the author accepted for this post, with a reason elsewhere


@dataclass(frozen=True)
class Finding:
    """One thing in a post that could hurt its author, located in the original text."""

    rule: str
    category: str
    level: Level
    message: str
    why: str
    suggestion: str
    start: int
    end: int
    line: int
    column: int
    match: str
    source: str | None = None
    replacement: str | None = None
    # Rules of the same category that flagged the same words, folded into this finding.
    also: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, object]:
        data: dict[str, object] = {
            "rule": self.rule,
            "category": self.category,
            "level": self.level.label,
            "message": self.message,
            "why": self.why,
            "suggestion": self.suggestion,
            "start": self.start,
            "end": self.end,
            "line": self.line,
            "column": self.column,
            "match": self.match,
        }
        if self.source:
            data["source"] = self.source
        if self.replacement is not None:
            data["replacement"] = self.replacement
        if self.also:
            data["also"] = list(self.also)
        return data


@dataclass(frozen=True)
class PlatformCount:
    """A post's length as one platform counts it, against that platform's limit."""

    length: int
    limit: int

    def to_dict(self) -> dict[str, int]:
        return {"length": self.length, "limit": self.limit}


@dataclass(frozen=True)
class Report:
    """Everything septfois found in one post."""

    source: str
    lang: str
    analysis: str
    findings: tuple[Finding, ...]
    platforms: dict[str, PlatformCount] = field(default_factory=dict)
    notes: tuple[str, ...] = ()

    @property
    def verdict(self) -> str:
        """The highest level found, or "ok"."""
        if not self.findings:
            return "ok"
        return max(finding.level for finding in self.findings).label

    def worst(self) -> Level | None:
        return max((finding.level for finding in self.findings), default=None)

    def to_dict(self) -> dict[str, object]:
        data: dict[str, object] = {
            "source": self.source,
            "lang": self.lang,
            "analysis": self.analysis,
            "verdict": self.verdict,
            "findings": [finding.to_dict() for finding in self.findings],
        }
        if self.platforms:
            data["platforms"] = {name: count.to_dict() for name, count in self.platforms.items()}
        return data
