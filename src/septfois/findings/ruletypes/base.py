"""What every rule type shares: the hit it reports, the subject it reads and text-matching options."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from septfois import schema
from septfois.analysis.value import Analysis
from septfois.findings import platforms
from septfois.findings.lexicon import Lexicon, overlaps
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
    """What a rule looks at: the analysed text, the post's context and platform settings.

    `full_text` is the whole post when the analysis read only its opening (a text past
    `septfois.analysis.bounds.ANALYSED_CHARS`): platforms count, and length rules measure, the whole."""

    analysis: Analysis
    post: Post
    platform_settings: Mapping[str, int] = field(default_factory=dict)
    full_text: str | None = None
    _measures: dict[str, platforms.Measure] = field(default_factory=dict, compare=False, repr=False)

    def measure(self, platform: str) -> platforms.Measure:
        """The post as `platform` counts it, measured once for the rules and the report alike."""
        found = self._measures.get(platform)
        if found is None:
            found = self._measures[platform] = platforms.measure(
                platform, self.text, kind=self.post.kind, settings=self.platform_settings
            )
        return found

    @property
    def text(self) -> str:
        """The whole text the post would publish (the analysed text, unless that is only its opening)."""
        return self.analysis.text if self.full_text is None else self.full_text


Detect = Callable[[Subject], Iterable[Hit]]


class RuleType(Protocol):
    """A kind of check; packs configure it with data."""

    name: str
    keys: frozenset[str]
    placeholders: frozenset[str]

    def compile(self, options: Mapping[str, Any], path: schema.Path) -> Detect: ...


# Options that tune how terms match, shared by the term-based rule types.
TEXT_KEYS = frozenset({"match", "fold_accents", "case_sensitive", "exceptions"})


def lexicon(
    terms: Iterable[str], options: Mapping[str, Any], path: schema.Path, *, lemmas: bool = True
) -> Lexicon:
    """A Lexicon configured by a rule's text options (`match`, `fold_accents`, `case_sensitive`)."""
    match = schema.choice(options.get("match", "lemma"), ("lemma", "surface"), (*path, "match"))
    accents = schema.boolean(options.get("fold_accents", True), (*path, "fold_accents"))
    case_sensitive = schema.boolean(options.get("case_sensitive", False), (*path, "case_sensitive"))
    return Lexicon(tuple(terms), lemmas=lemmas and match == "lemma", accents=accents, case=not case_sensitive)


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
