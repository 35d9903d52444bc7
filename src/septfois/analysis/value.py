"""The plain analysis value rule types read: tokens, lemmas, sentences and entities of a post."""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Generic, TypeVar, overload

from septfois.analysis.textmap import MappedText, fold, fold_text, normalise

_WORD_RUN = re.compile(r"\w+")
T = TypeVar("T")
# Word indexes keep the words' first letters, this many, to answer most prefix questions at once.
OPENING = 3
Span = tuple[int, int]


@dataclass(frozen=True)
class Token:
    """A word or symbol, with offsets in the original text."""

    text: str
    lemma: str
    start: int
    end: int
    pos: str = ""


@dataclass(frozen=True)
class Entity:
    """A named entity (PER, ORG, LOC, MISC) with offsets in the original text."""

    label: str
    start: int
    end: int
    text: str


class Deferred(Sequence[T], Generic[T]):
    """A tuple worked out the first time it is read: most posts never need their parse or their entities."""

    def __init__(self, compute: Callable[[], Iterable[T]]) -> None:
        self._compute: Callable[[], Iterable[T]] | None = compute
        self._items: tuple[T, ...] = ()

    def _get(self) -> tuple[T, ...]:
        if self._compute is not None:
            self._items = tuple(self._compute())
            self._compute = None  # lets go of what computing needed (the spaCy document)
        return self._items

    @overload
    def __getitem__(self, index: int) -> T: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[T, ...]: ...
    def __getitem__(self, index: int | slice) -> T | tuple[T, ...]:
        return self._get()[index]

    def __len__(self) -> int:
        return len(self._get())

    def __iter__(self) -> Iterator[T]:
        return iter(self._get())

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and self._get() == tuple(other)

    def __hash__(self) -> int:
        return hash(self._get())

    def __repr__(self) -> str:
        return repr(self._get())


class MemoKey(Generic[T]):
    """A slot of the Memo, made once by the module that fills it: the value's type goes with the key."""

    def __init__(self, name: str) -> None:
        self.name = name  # for repr only: keys compare by identity, so two modules never collide

    def __repr__(self) -> str:
        return f"MemoKey({self.name!r})"


class Memo:
    """What rules work out from one post and share (its names, its content words...), each computed once.

    Typed by its keys: `memo.once(KEY, compute)` gives the type `KEY` was made with, no cast needed."""

    def __init__(self) -> None:
        self._values: dict[tuple[MemoKey[Any], Hashable], Any] = {}

    def once(self, key: MemoKey[T], compute: Callable[[], T], variant: Hashable = None) -> T:
        """The value of `key` (for `variant`, e.g. a folding), computed by `compute` the first time."""
        slot = (key, variant)
        if slot in self._values:
            return self._values[slot]  # type: ignore[no-any-return]
        value = self._values[slot] = compute()
        return value


_TOKEN_FORMS: MemoKey[tuple[tuple[str, ...], tuple[str, ...]]] = MemoKey("token forms")
_WORD_INDEX: MemoKey[WordIndex] = MemoKey("word index")
_TOKEN_INDEX: MemoKey[TokenIndex] = MemoKey("token index")


@dataclass(frozen=True)
class Analysis:
    """What the language pipeline made of a text; built by hand in rule tests.

    The pipeline gives `sentences` and `entities` as Deferred values: the parser and the NER run only
    for a post whose rules ask for them. It fills `entities` only where the detectors can use them (a
    capitalised word off a sentence start: see `septfois.analysis.nlp.may_name_someone`)."""

    text: str
    lang: str
    langs: tuple[str, ...] = ()
    analyser: str = "none"
    tokens: tuple[Token, ...] = ()
    sentences: Sequence[Span] = ()
    entities: Sequence[Entity] = ()
    memo: Memo = field(default_factory=Memo, compare=False, repr=False)
    # The text normalised, when whoever built the value has it already (the pipeline normalises first).
    given_normalised: MappedText | None = field(default=None, compare=False, repr=False)

    @cached_property
    def normalised(self) -> MappedText:
        return self.given_normalised if self.given_normalised is not None else normalise(self.text)

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

        def compute() -> tuple[tuple[str, ...], tuple[str, ...]]:
            lemmas = tuple(
                fold_text(tok.lemma.replace("\u2019", "'"), accents=accents, case=case) for tok in self.tokens
            )
            surfaces = tuple(
                fold_text(tok.text.replace("\u2019", "'"), accents=accents, case=case) for tok in self.tokens
            )
            return lemmas, surfaces

        return self.memo.once(_TOKEN_FORMS, compute, (accents, case))

    def word_index(self, *, accents: bool, case: bool) -> WordIndex:
        """Where each word of the folded view starts, built once per folding for all rules."""
        return self.memo.once(
            _WORD_INDEX, lambda: WordIndex.of(self.view(accents=accents, case=case).text), (accents, case)
        )

    def token_index(self, *, accents: bool, case: bool) -> TokenIndex:
        """Token positions by folded lemma and surface form, built once per folding for all rules."""
        return self.memo.once(
            _TOKEN_INDEX,
            lambda: TokenIndex.of(*self.token_forms(accents=accents, case=case)),
            (accents, case),
        )

    def sentence_of(self, offset: int) -> int:
        """Index of the sentence holding `offset` (0 when there is no sentence split; the last sentence
        when none holds it)."""
        starts = self._sentence_starts
        if starts is None:  # sentences built by hand out of order: look at each
            for index, (start, end) in enumerate(self.sentences):
                if start <= offset < end:
                    return index
            return max(len(self.sentences) - 1, 0)
        # Asked once per hit of a sentence-scoped rule: a search, not a walk (linear cost per post).
        index = bisect.bisect_right(starts, offset) - 1
        if index >= 0 and offset < self.sentences[index][1]:
            return index
        return max(len(self.sentences) - 1, 0)

    @cached_property
    def _sentence_starts(self) -> list[int] | None:
        """The sentences' starts when the sentences are in order and do not overlap, else None."""
        spans = list(self.sentences)
        ordered = all(spans[i][1] <= spans[i + 1][0] for i in range(len(spans) - 1))
        return [start for start, _ in spans] if ordered else None


def positions_of(forms: Iterable[str]) -> dict[str, list[int]]:
    """Each form, with the positions where it stands in `forms`."""
    found: dict[str, list[int]] = {}
    for position, form in enumerate(forms):
        found.setdefault(form, []).append(position)
    return found


def _openings(words: Iterable[str]) -> frozenset[str]:
    return frozenset(word[:OPENING] for word in words)


def _with_prefix(ordered: Sequence[str], openings: frozenset[str], prefix: str) -> Iterable[str]:
    """The strings of sorted `ordered` that start with `prefix`; `openings` are their first letters."""
    if len(prefix) >= OPENING and prefix[:OPENING] not in openings:
        return  # most prefixes asked for open no word of the post: a set look-up says so
    at = bisect.bisect_left(ordered, prefix)
    while at < len(ordered) and ordered[at].startswith(prefix):
        yield ordered[at]
        at += 1


@dataclass(frozen=True)
class WordIndex:
    """The words (maximal runs of `\\w`) of a text, each with the offsets where it starts."""

    starts: dict[str, list[int]]
    words: frozenset[str]  # the distinct words, for set operations with a lexicon's
    ordered: tuple[str, ...]  # the distinct words, sorted, for prefix search
    openings: frozenset[str]
    characters: frozenset[str]  # every character of the text: a term opening with another is not there

    @classmethod
    def of(cls, text: str) -> WordIndex:
        starts: dict[str, list[int]] = {}
        for found in _WORD_RUN.finditer(text):
            starts.setdefault(found.group(), []).append(found.start())
        return cls(starts, frozenset(starts), tuple(sorted(starts)), _openings(starts), frozenset(text))

    def positions_with_prefix(self, prefix: str) -> list[int]:
        return [at for word in _with_prefix(self.ordered, self.openings, prefix) for at in self.starts[word]]


@dataclass(frozen=True)
class TokenIndex:
    """Folded lemmas and surface forms of the tokens, and the token positions of each form."""

    lemmas: tuple[str, ...]
    surfaces: tuple[str, ...]
    by_lemma: dict[str, list[int]]
    by_surface: dict[str, list[int]]
    forms: frozenset[str]  # every distinct lemma and surface form
    ordered: tuple[str, ...]  # the same, sorted, for prefix search
    openings: frozenset[str]

    @classmethod
    def of(cls, lemmas: tuple[str, ...], surfaces: tuple[str, ...]) -> TokenIndex:
        by_lemma, by_surface = positions_of(lemmas), positions_of(surfaces)
        forms = frozenset({*by_lemma, *by_surface})
        return cls(lemmas, surfaces, by_lemma, by_surface, forms, tuple(sorted(forms)), _openings(forms))

    def with_prefix(self, prefix: str) -> set[int]:
        """Positions of the tokens whose lemma or surface form starts with `prefix`."""
        found: set[int] = set()
        for form in _with_prefix(self.ordered, self.openings, prefix):
            found.update(self.by_lemma.get(form, ()))
            found.update(self.by_surface.get(form, ()))
        return found
