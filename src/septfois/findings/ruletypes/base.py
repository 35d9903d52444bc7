"""What every rule type shares: the hit it reports, the subject it reads and text-matching options."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from septfois import schema
from septfois.analysis.value import Analysis
from septfois.findings import platforms
from septfois.findings.lexicon import Lexicon, overlaps
from septfois.findings.matcher import disguised_spans, register, skeleton
from septfois.findings.timing import QuietWindow
from septfois.model import Post


@dataclass(frozen=True)
class Hit:
    """Where a rule fired (original offsets) and the values its message may quote."""

    start: int
    end: int
    values: Mapping[str, object] = field(default_factory=dict)
    replacement: str | None = None


@dataclass(frozen=True)
class Subject:
    """What a rule looks at: the analysed text, the post's context and platform settings, and for a
    scheduled post the moment it is compared with (`now`, default: the clock) and the quiet periods."""

    analysis: Analysis
    post: Post
    platform_settings: Mapping[str, int] = field(default_factory=dict)
    now: datetime | None = None
    quiet_windows: tuple[QuietWindow, ...] = ()
    _measures: dict[str, platforms.Measure] = field(default_factory=dict, compare=False, repr=False)

    def measure(self, platform: str) -> platforms.Measure:
        """The post as `platform` counts it, measured once for the rules and the report alike."""
        found = self._measures.get(platform)
        if found is None:
            found = self._measures[platform] = platforms.measure(
                platform, self.analysis.text, kind=self.post.kind, settings=self.platform_settings
            )
        return found


Detect = Callable[[Subject], Iterable[Hit]]


class RuleType(Protocol):
    """A kind of check; packs configure it with data."""

    name: str
    keys: frozenset[str]
    placeholders: frozenset[str]

    def compile(self, options: Mapping[str, Any], path: schema.Path) -> Detect: ...


# Options that tune how terms match, shared by the term-based rule types.
TEXT_KEYS = frozenset({"match", "fold_accents", "case_sensitive", "exceptions", "disguises"})


def lexicon(
    terms: Iterable[str], options: Mapping[str, Any], path: schema.Path, *, lemmas: bool = True
) -> Lexicon | DisguisedLexicon:
    """A Lexicon configured by a rule's text options (`match`, `fold_accents`, `case_sensitive`, and
    `disguises`: its one-word terms also match written in disguise, "haet" or "h4te" for "hate")."""
    match = schema.choice(options.get("match", "lemma"), ("lemma", "surface"), (*path, "match"))
    accents = schema.boolean(options.get("fold_accents", True), (*path, "fold_accents"))
    case_sensitive = schema.boolean(options.get("case_sensitive", False), (*path, "case_sensitive"))
    terms = tuple(terms)
    found = Lexicon(terms, lemmas=lemmas and match == "lemma", accents=accents, case=not case_sensitive)
    if lemmas and schema.boolean(options.get("disguises", False), (*path, "disguises")):
        return DisguisedLexicon(found, terms)
    return found


class DisguisedLexicon:
    """A Lexicon whose one-word terms also match in disguise (read by septfois.findings.matcher)."""

    def __init__(self, lexicon: Lexicon, terms: Iterable[str]) -> None:
        self.lexicon = lexicon
        self.words = frozenset(skeleton(term) for term in terms if skeleton(term).replace("'", "").isalpha())
        register(self.words)

    def find(self, analysis: Analysis) -> list[tuple[int, int]]:
        spans = self.lexicon.find(analysis)
        disguised = [span for span in disguised_spans(analysis, self.words) if not overlaps(span, spans)]
        return sorted(spans + disguised)

    def contains(self, analysis: Analysis) -> bool:
        return bool(self.find(analysis))


def exceptions(options: Mapping[str, Any], path: schema.Path) -> Lexicon | None:
    """Phrases inside which a match does not count ("killer feature" for "killer")."""
    if "exceptions" not in options:
        return None
    terms = schema.strings(options["exceptions"], (*path, "exceptions"))
    return lexicon(terms, options, path, lemmas=False)


def drop_excepted(hits: Iterable[Hit], excepted: Lexicon | None, analysis: Analysis) -> Iterable[Hit]:
    if excepted is None:
        yield from hits
        return
    spans: list[tuple[int, int]] | None = None  # looked for only once there is a hit to excuse
    for hit in hits:
        if spans is None:
            spans = excepted.find(analysis)
        if not overlaps((hit.start, hit.end), spans):
            yield hit
