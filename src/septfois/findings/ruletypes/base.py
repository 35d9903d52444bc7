"""What every rule type shares: the hit it reports, the subject it reads and text-matching options."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from septfois import schema
from septfois.analysis.value import Analysis
from septfois.findings import platforms
from septfois.findings.lexicon import Lexicon, _without_overlaps, overlaps
from septfois.findings.matcher import TokenPatterns, compile_pattern, disguised_spans, register, skeleton
from septfois.findings.timing import QuietWindow
from septfois.model import Post

# A word of a multi-word term the Matcher can take (a trailing `*` for any ending, or a hyphen).
_WORD = re.compile(r"[\w']+\*?|-")


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
    scheduled post the moment it is compared with (`now`, default: the clock) and the quiet periods.

    `full_text` is the whole post when the analysis read only its opening (a text past
    `septfois.analysis.bounds.ANALYSED_CHARS`): platforms count, and length rules measure, the whole."""

    analysis: Analysis
    post: Post
    platform_settings: Mapping[str, int] = field(default_factory=dict)
    now: datetime | None = None
    quiet_windows: tuple[QuietWindow, ...] = ()
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
TEXT_KEYS = frozenset({"match", "fold_accents", "case_sensitive", "exceptions", "disguises", "gap"})
# The widest gap a rule may allow between the words of a multi-word term.
MAX_GAP = 5


def lexicon(
    terms: Iterable[str], options: Mapping[str, Any], path: schema.Path, *, lemmas: bool = True
) -> Lexicon | MatcherLexicon:
    """A Lexicon configured by a rule's text options (`match`, `fold_accents`, `case_sensitive`, and
    `disguises`: its one-word terms also match written in disguise, "haet" or "h4te" for "hate"; `gap`: its
    multi-word terms also match with up to that many words between their words)."""
    match = schema.choice(options.get("match", "lemma"), ("lemma", "surface"), (*path, "match"))
    accents = schema.boolean(options.get("fold_accents", True), (*path, "fold_accents"))
    case_sensitive = schema.boolean(options.get("case_sensitive", False), (*path, "case_sensitive"))
    terms = tuple(terms)
    found = Lexicon(terms, lemmas=lemmas and match == "lemma", accents=accents, case=not case_sensitive)
    disguises = schema.boolean(options.get("disguises", False), (*path, "disguises"))
    gap = schema.integer(options.get("gap", 0), (*path, "gap"))
    if gap > MAX_GAP:
        raise schema.Invalid((*path, "gap"), f"at most {MAX_GAP} words between the words of a term")
    if lemmas and (disguises or gap):
        return MatcherLexicon(found, terms, disguises=disguises, gap=gap)
    return found


class MatcherLexicon:
    """A Lexicon that also uses septfois.findings.matcher: its one-word terms match in disguise
    (`disguises`), and its multi-word terms with up to `gap` words between their words ("suppression de
    postes" reaches « la suppression de 350 postes »), on lemmas."""

    def __init__(self, lexicon: Lexicon, terms: Iterable[str], *, disguises: bool, gap: int) -> None:
        self.lexicon = lexicon
        words = {skeleton(term) for term in terms}
        self.words = frozenset(w for w in words if w.replace("'", "").isalpha()) if disguises else frozenset()
        if self.words:
            register(self.words)
        self.gapped: TokenPatterns | None = None
        if gap:
            compiled = []
            for term in terms:
                parts = re.sub(r"(?<=\w')", " ", skeleton(term)).replace("-", " - ").split()
                if len(parts) > 1 and all(_WORD.fullmatch(part) for part in parts):
                    compiled.extend(compile_pattern(f" _{{0,{gap}}} ".join(parts), {}))
            if compiled:
                self.gapped = TokenPatterns({"terms": compiled})

    def find(self, analysis: Analysis) -> list[tuple[int, int]]:
        spans = self.lexicon.find(analysis)
        more: list[tuple[int, int]] = []
        if self.words:
            more.extend(disguised_spans(analysis, self.words))
        if self.gapped is not None:
            more.extend(self.gapped.matches(analysis).get("terms", []))
        if not more:
            return spans
        return _without_overlaps([*spans, *more])

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
