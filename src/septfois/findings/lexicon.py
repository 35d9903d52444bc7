"""Term lists matched on lemmas and on surface forms, with case and accent folding."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property

from septfois.analysis.textmap import fold_text
from septfois.analysis.value import Analysis

_WORDLIKE = re.compile(r"^[\w' -]+\*?$")
# Elided French words the tokenizer splits off ("l'", "qu'", "jusqu'").
_ELISION = re.compile(r"(?<=\w')")
_LEADING_WORD = re.compile(r"\w*")

# A word of a lemma sequence: (the folded word, whether a trailing `*` lets any ending follow).
Word = tuple[str, bool]


@dataclass(frozen=True)
class _Surface:
    """One term as written: its whitespace-separated parts, matched as literals at a candidate position."""

    parts: tuple[str, ...]
    star: bool
    word_start: bool  # the term starts with a word character: it must start a word
    word_end: bool  # the term ends with a word character (or `*`): it must end a word
    head: str  # the word characters the term opens with (what the word index is asked for)
    prefix: bool  # `head` may be followed by more word characters (a one-part starred term)

    def match(self, text: str, at: int) -> int:
        """End of the term's match at `at`, or -1; the same rules as the regular expression it replaces:
        (?<!\\w) before a word start, \\s+ between parts, \\w* for a star, (?!\\w) after a word end."""
        if self.word_start and at > 0 and _is_word(text[at - 1]):
            return -1
        pos = at
        size = len(text)
        for index, part in enumerate(self.parts):
            if index:
                gap = pos
                while gap < size and text[gap].isspace():
                    gap += 1
                if gap == pos:
                    return -1
                pos = gap
            if not text.startswith(part, pos):
                return -1
            pos += len(part)
        if self.star:
            while pos < size and _is_word(text[pos]):
                pos += 1
        if self.word_end and pos < size and _is_word(text[pos]):
            return -1
        return pos


@dataclass(frozen=True)
class _Compiled:
    """A lexicon's terms sorted for matching: by head word, starred, literal, and as lemma sequences."""

    exact: dict[str, list[_Surface]]  # head word -> terms that need that exact word
    heads: frozenset[str]
    prefixed: tuple[_Surface, ...]  # starred one-word terms: any word starting with the head
    literal: tuple[_Surface, ...]  # terms opening with a symbol ("#ad", "😂"): found with str.find
    fallback: re.Pattern[str] | None  # degenerate terms (a lone "*"): the general regular expression
    sequences: dict[str, list[tuple[Word, ...]]]  # first word ("" when starred) -> lemma sequences
    first_words: frozenset[str]


@dataclass(frozen=True)
class Lexicon:
    """Terms such as "plaisanter", "second degré", "plaisant*" or "😂", compiled for fast matching.

    Each term matches its surface form anywhere in the text (whole words; a trailing `*` matches any
    ending). With `lemmas`, a term made of words also matches any inflection whose lemma is the term:
    "plaisanter" reaches "plaisantais". Matching looks terms up in word indexes the Analysis builds once
    per post, so a check costs about the same whatever the number of terms.
    """

    terms: tuple[str, ...]
    lemmas: bool = True
    accents: bool = True
    case: bool = True

    def __post_init__(self) -> None:
        _ = self._compiled  # compiled as the pack loads, not at the first check

    @cached_property
    def _compiled(self) -> _Compiled:
        folded = sorted({self._fold(term.strip()) for term in self.terms if term.strip()})
        exact: dict[str, list[_Surface]] = {}  # head word -> terms that need that exact word
        prefixed: list[_Surface] = []  # starred one-word terms: any word starting with the head
        literal: list[_Surface] = []  # terms opening with a symbol ("#ad", "😂"): found with str.find
        fallback: list[str] = []
        for term in folded:
            surface = _surface(term)
            if surface is None:
                fallback.append(term)
            elif not surface.word_start:
                literal.append(surface)
            elif surface.prefix:
                prefixed.append(surface)
            else:
                exact.setdefault(surface.head, []).append(surface)
        # Degenerate terms (a lone "*") keep the general regular expression.
        pattern = "|".join(_surface_pattern(term) for term in fallback)
        sequences: dict[str, list[tuple[Word, ...]]] = {}
        if self.lemmas:
            for term in folded:
                if _WORDLIKE.match(term):
                    words = tuple(
                        (word.rstrip("*"), word.endswith("*"))
                        for word in _ELISION.sub(" ", term).replace("-", " - ").split()
                    )
                    sequences.setdefault(words[0][0] if not words[0][1] else "", []).append(words)
        return _Compiled(
            exact=exact,
            heads=frozenset(exact),
            prefixed=tuple(prefixed),
            literal=tuple(literal),
            fallback=re.compile(pattern) if pattern else None,
            sequences=sequences,
            first_words=frozenset(word for word in sequences if word),
        )

    def _fold(self, text: str) -> str:
        return fold_text(text.replace("\u2019", "'"), accents=self.accents, case=self.case)

    def find(self, analysis: Analysis) -> list[tuple[int, int]]:
        """Spans (original offsets) where any term occurs, longest first at a position, no overlaps."""
        spans = self._surface_spans(analysis)
        if self._compiled.sequences:
            spans.extend(self._lemma_spans(analysis))
        return _without_overlaps(spans)

    def _surface_spans(self, analysis: Analysis) -> list[tuple[int, int]]:
        view = analysis.view(accents=self.accents, case=self.case)
        text = view.text
        found: list[tuple[int, int]] = []

        def try_at(surface: _Surface, at: int) -> None:
            end = surface.match(text, at)
            if end > at:
                found.append((at, end))

        index = analysis.word_index(accents=self.accents, case=self.case)
        exact = self._compiled.exact
        for head in self._compiled.heads & index.words:
            for at in index.starts[head]:
                for surface in exact[head]:
                    try_at(surface, at)
        for surface in self._compiled.prefixed:
            for at in index.positions_with_prefix(surface.head):
                try_at(surface, at)
        for surface in self._compiled.literal:
            if surface.parts[0][0] not in index.characters:
                continue  # most posts hold none of the symbols such terms open with: no scan for them
            at = text.find(surface.parts[0])
            while at >= 0:
                try_at(surface, at)
                at = text.find(surface.parts[0], at + 1)
        if self._compiled.fallback is not None:
            found.extend(m.span() for m in self._compiled.fallback.finditer(text) if m.end() > m.start())
        return [view.span(start, end) for start, end in found]

    def _lemma_spans(self, analysis: Analysis) -> Iterable[tuple[int, int]]:
        tokens = analysis.tokens
        forms = analysis.token_index(accents=self.accents, case=self.case)
        lemmas, surfaces = forms.lemmas, forms.surfaces
        by_first = self._compiled.sequences
        firsts = list(self._compiled.first_words & forms.forms)
        if "" in by_first:
            firsts.append("")
        for first in firsts:
            sequences = by_first[first]
            if first:
                starts = set(forms.by_lemma.get(first, ())) | set(forms.by_surface.get(first, ()))
            else:
                starts = set()
                for words in sequences:
                    starts.update(forms.with_prefix(words[0][0]))
            for index in starts:
                for words in sequences:
                    end = index + len(words)
                    if end <= len(tokens) and all(
                        _word_matches(word, star, lemmas[index + k], surfaces[index + k])
                        for k, (word, star) in enumerate(words)
                    ):
                        yield tokens[index].start, tokens[end - 1].end

    def contains(self, analysis: Analysis) -> bool:
        return bool(self.find(analysis))


def _is_word(ch: str) -> bool:
    """What `\\w` matches in a str pattern of the `re` module."""
    return ch.isalnum() or ch == "_"


def _surface(term: str) -> _Surface | None:
    star = term.endswith("*")
    body = term.rstrip("*")
    parts = tuple(body.split())
    if not parts:
        return None
    word_start = _is_word(body[0])
    head = _LEADING_WORD.match(parts[0]).group()  # type: ignore[union-attr]
    return _Surface(
        parts=parts,
        star=star,
        word_start=word_start,
        word_end=star or _is_word(body[-1]),
        head=head,
        prefix=star and len(parts) == 1 and head == parts[0],
    )


def _word_matches(word: str, star: bool, lemma: str, surface: str) -> bool:
    if star:
        return lemma.startswith(word) or surface.startswith(word)
    return word in (lemma, surface, surface.rstrip("'"))


def _surface_pattern(term: str) -> str:
    star = term.endswith("*")
    body = term.rstrip("*")
    pattern = r"\s+".join(re.escape(part) for part in body.split())
    if star:
        pattern += r"\w*"
    if body[:1].isalnum() or body[:1] == "_":
        pattern = r"(?<!\w)" + pattern
    if star or body[-1:].isalnum() or body[-1:] == "_":
        pattern += r"(?!\w)"
    return pattern


def _without_overlaps(spans: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Keep the earliest, then longest, span of each overlapping group."""
    kept: list[tuple[int, int]] = []
    for start, end in sorted(set(spans), key=lambda s: (s[0], -s[1])):
        if kept and start < kept[-1][1]:
            continue
        kept.append((start, end))
    return kept


def overlaps(span: tuple[int, int], others: Iterable[tuple[int, int]]) -> bool:
    return any(span[0] < other[1] and other[0] < span[1] for other in others)
