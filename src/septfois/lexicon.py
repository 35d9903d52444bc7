"""Term lists matched on lemmas and on surface forms, with case and accent folding."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from septfois.analysis import Analysis
from septfois.textmap import fold_text

_WORDLIKE = re.compile(r"^[\w' -]+\*?$")
# Elided French words the tokenizer splits off ("l'", "qu'", "jusqu'").
_ELISION = re.compile(r"(?<=\w')")


@dataclass(frozen=True)
class Lexicon:
    """Terms such as "plaisanter", "second degré", "plaisant*" or "😂", compiled for fast matching.

    Each term matches its surface form anywhere in the text (whole words; a trailing `*` matches any
    ending). With `lemmas`, a term made of words also matches any inflection whose lemma is the term:
    "plaisanter" reaches "plaisantais".
    """

    terms: tuple[str, ...]
    lemmas: bool = True
    accents: bool = True
    case: bool = True

    def __post_init__(self) -> None:
        folded = sorted(
            {self._fold(term.strip()) for term in self.terms if term.strip()}, key=len, reverse=True
        )
        alternatives = [_surface_pattern(term) for term in folded]
        pattern = "|".join(alternatives) if alternatives else r"(?!x)x"
        object.__setattr__(self, "_surface", re.compile(pattern))
        sequences: dict[str, list[tuple[tuple[str, bool], ...]]] = {}
        if self.lemmas:
            for term in folded:
                if _WORDLIKE.match(term):
                    words = tuple(
                        (word.rstrip("*"), word.endswith("*"))
                        for word in _ELISION.sub(" ", term).replace("-", " - ").split()
                    )
                    sequences.setdefault(words[0][0] if not words[0][1] else "", []).append(words)
        object.__setattr__(self, "_sequences", sequences)

    def _fold(self, text: str) -> str:
        return fold_text(text.replace("\u2019", "'"), accents=self.accents, case=self.case)

    def find(self, analysis: Analysis) -> list[tuple[int, int]]:
        """Spans (original offsets) where any term occurs, longest first at a position, no overlaps."""
        view = analysis.view(accents=self.accents, case=self.case)
        spans = [view.span(m.start(), m.end()) for m in self._surface.finditer(view.text)]
        if self._sequences:
            spans.extend(self._lemma_spans(analysis))
        return _without_overlaps(spans)

    def _lemma_spans(self, analysis: Analysis) -> Iterable[tuple[int, int]]:
        tokens = analysis.tokens
        lemmas, surfaces = analysis.token_forms(accents=self.accents, case=self.case)
        prefixed = self._sequences.get("", [])
        for index, lemma in enumerate(lemmas):
            candidates = [
                *self._sequences.get(lemma, ()),
                *self._sequences.get(surfaces[index], ()),
                *prefixed,
            ]
            for words in candidates:
                end = index + len(words)
                if end <= len(tokens) and all(
                    _word_matches(word, star, lemmas[index + k], surfaces[index + k])
                    for k, (word, star) in enumerate(words)
                ):
                    yield tokens[index].start, tokens[end - 1].end

    def contains(self, analysis: Analysis) -> bool:
        return bool(self.find(analysis))


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
