"""The plain analysis value rule types read: tokens, lemmas, sentences and entities of a post."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from septfois.textmap import MappedText, fold, fold_text, normalise


@dataclass(frozen=True)
class Token:
    """A word or symbol, with offsets in the original text."""

    text: str
    lemma: str
    start: int
    end: int
    pos: str = ""
    sentence: int = 0


@dataclass(frozen=True)
class Entity:
    """A named entity (PER, ORG, LOC, MISC) with offsets in the original text."""

    label: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Analysis:
    """What the language pipeline made of a text; built by hand in rule tests."""

    text: str
    lang: str
    langs: tuple[str, ...] = ()
    analyser: str = "none"
    tokens: tuple[Token, ...] = ()
    sentences: tuple[tuple[int, int], ...] = ()
    entities: tuple[Entity, ...] = ()
    extras: dict[str, object] = field(default_factory=dict, compare=False)

    @cached_property
    def normalised(self) -> MappedText:
        return normalise(self.text)

    @cached_property
    def folded(self) -> MappedText:
        """Lower case, no accents: what case- and accent-insensitive matching runs on."""
        return fold(self.normalised)

    @cached_property
    def lowered(self) -> MappedText:
        """Lower case with accents kept."""
        return fold(self.normalised, accents=False)

    @cached_property
    def accented(self) -> MappedText:
        """Case kept, accents removed."""
        return fold(self.normalised, case=False)

    def view(self, *, accents: bool, case: bool) -> MappedText:
        """The text folded as a rule asks."""
        if accents and case:
            return self.folded
        if case:
            return self.lowered
        if accents:
            return self.accented
        return self.normalised

    def token_forms(self, *, accents: bool, case: bool) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """Folded (lemmas, surface forms) of the tokens, computed once per folding for all rules."""
        key = ("token_forms", accents, case)
        forms = self.extras.get(key)
        if forms is None:
            lemmas = tuple(
                fold_text(tok.lemma.replace("\u2019", "'"), accents=accents, case=case) for tok in self.tokens
            )
            surfaces = tuple(
                fold_text(tok.text.replace("\u2019", "'"), accents=accents, case=case) for tok in self.tokens
            )
            forms = self.extras[key] = (lemmas, surfaces)
        return forms  # type: ignore[return-value]

    def sentence_of(self, offset: int) -> int:
        """Index of the sentence holding `offset` (0 when there is no sentence split)."""
        for index, (start, end) in enumerate(self.sentences):
            if start <= offset < end:
                return index
        return max(len(self.sentences) - 1, 0)
