"""The `pattern` rule type: a Unicode-aware regular expression with a time bound."""

from __future__ import annotations

import re
import time
import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import regex

from septfois import schema
from septfois.analysis import Analysis
from septfois.ruletypes.base import Detect, Hit, Subject, drop_excepted, exceptions
from septfois.textmap import MappedText

try:  # the standard library's parser, used only to read what a pattern must start with
    from re import _parser as sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - Python 3.10
    import sre_parse  # type: ignore[no-redef]

# No pattern may hold up a check longer than this, however it was written (catastrophic backtracking).
TIMEOUT_SECONDS = 0.25
# Above this share of candidate starts (one every N characters), one scan of the text is cheaper.
CANDIDATES_EVERY = 4
_UNICODE_PROPERTY = re.compile(r"\\[pP](?:\{[^}]*\}|[A-Za-z])|\\.", re.DOTALL)
_DIGIT = re.compile(r"\d")


class PatternTimeout(Exception):
    """A rule's pattern ran past its time bound on one text."""


@dataclass(frozen=True)
class Starts:
    """What every match of a pattern starts with: one of `strings` (compared case-folded), or a digit."""

    strings: frozenset[str]
    digit: bool = False

    def __or__(self, other: Starts) -> Starts:
        return Starts(self.strings | other.strings, self.digit or other.digit)

    def positions(self, analysis: Analysis, view: MappedText, *, accents: bool) -> list[int] | None:
        """Offsets in `view` where a match may start, or None when the view cannot be searched so."""
        folded = analysis.extras.get(("casefolded", accents))
        if folded is None:
            folded = analysis.extras[("casefolded", accents)] = view.text.casefold()
        # A character that case-folds to several ("ß" -> "ss") would shift every offset after it.
        if len(folded) != len(view.text):  # type: ignore[arg-type]
            return None
        found: set[int] = set()
        for string in self.strings:
            at = folded.find(string)  # type: ignore[union-attr]
            while at >= 0:
                found.add(at)
                at = folded.find(string, at + 1)  # type: ignore[union-attr]
        if self.digit:
            found.update(m.start() for m in _DIGIT.finditer(view.text))
        return sorted(found)


class PatternType:
    name = "pattern"
    keys = frozenset({"pattern", "case_sensitive", "fold_accents", "replacement", "exceptions"})
    placeholders = frozenset({"match"})

    def compile(self, options: Mapping[str, Any], path: schema.Path) -> Detect:
        source = schema.string(schema.required(options, "pattern", path), (*path, "pattern"))
        case_sensitive = schema.boolean(options.get("case_sensitive", False), (*path, "case_sensitive"))
        accents = schema.boolean(options.get("fold_accents", False), (*path, "fold_accents"))
        replacement = options.get("replacement")
        if replacement is not None:
            replacement = schema.string(replacement, (*path, "replacement"), empty=True)
        flags = regex.UNICODE | regex.VERSION1 | (0 if case_sensitive else regex.IGNORECASE)
        try:
            compiled = regex.compile(source, flags)
        except regex.error as error:
            raise schema.Invalid((*path, "pattern"), f"invalid regular expression: {error}") from None
        excepted = exceptions(options, path)
        starts = match_starts(source)

        def detect(subject: Subject) -> Iterable[Hit]:
            analysis = subject.analysis
            view = analysis.view(accents=accents, case=False)
            candidates = starts.positions(analysis, view, accents=accents) if starts else None
            try:
                if candidates is not None and len(candidates) * CANDIDATES_EVERY <= len(view.text):
                    found = _matches_at(compiled, view.text, candidates)
                else:
                    found = _matches(compiled, view.text)
            except TimeoutError:
                raise PatternTimeout(source) from None
            hits = []
            for match in found:
                start, end = view.span(match.start(), match.end())
                fix = match.expand(replacement) if replacement is not None else None
                hits.append(Hit(start, end, replacement=fix))
            return drop_excepted(hits, excepted, analysis)

        return detect


def _matches(compiled: regex.Pattern[str], text: str) -> list[regex.Match[str]]:
    """Every non-empty match, scanning the whole text within the time bound."""
    return [m for m in compiled.finditer(text, timeout=TIMEOUT_SECONDS) if m.end() > m.start()]


def _matches_at(compiled: regex.Pattern[str], text: str, candidates: Sequence[int]) -> list[regex.Match[str]]:
    """The matches `finditer` would find, tried only where a match can start; the time bound holds for
    all the tries together. A match at `pos` sees the text before it (lookbehinds, `\\b`) as a scan does."""
    deadline = time.perf_counter() + TIMEOUT_SECONDS
    found: list[regex.Match[str]] = []
    resume = 0
    for at in candidates:
        if at < resume:
            continue  # inside the previous match: a scan resumes after it
        left = deadline - time.perf_counter()
        if left <= 0:
            raise TimeoutError
        match = compiled.match(text, at, timeout=left)
        if match is not None and match.end() > match.start():
            found.append(match)
            resume = match.end()
    return found


def match_starts(source: str) -> Starts | None:
    """What every match of `source` must start with, or None when that cannot be told for sure.

    The standard library parses the pattern; anything it reads differently from the `regex` module
    (a warning, an error, a literal brace as in fuzzy matching) means None, so the pattern is scanned
    whole as before. Unicode property escapes (`\\p{L}`) become `\\w`: both start nothing literal.
    """
    text = _UNICODE_PROPERTY.sub(lambda m: r"\w" if m.group()[1] in "pP" else m.group(), source)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            tree = sre_parse.parse(text, 0)
    except Exception:  # whatever the parser rejects (or warns about) is simply not analysed
        return None
    if _has_literal_brace(tree):
        return None
    return _starts(list(tree))


def _name(op: object) -> str:
    return getattr(op, "name", str(op))


def _has_literal_brace(items: Iterable[Any]) -> bool:
    for op, av in items:
        name = _name(op)
        if name in ("LITERAL", "NOT_LITERAL") and av in (ord("{"), ord("}")):
            return True
        for child in _children(name, av):
            if _has_literal_brace(child):
                return True
    return False


def _children(name: str, av: Any) -> list[Any]:
    if name == "BRANCH":
        return list(av[1])
    if name == "SUBPATTERN":
        return [av[3]]
    if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
        return [av[2]]
    if name in ("ASSERT", "ASSERT_NOT"):
        return [av[1]]
    if name == "ATOMIC_GROUP":
        return [av]
    if name == "GROUPREF_EXISTS":
        return [part for part in av[1:] if part is not None]
    if name == "IN":
        return [av]
    return []


_ZERO_WIDTH = frozenset({"AT", "ASSERT", "ASSERT_NOT"})


def _starts(items: list[Any]) -> Starts | None:
    """What a sequence's matches start with: its first consuming item decides (assertions are skipped)."""
    index = 0
    while index < len(items) and _name(items[index][0]) in _ZERO_WIDTH:
        index += 1
    if index == len(items):
        return None
    op, av = items[index]
    name = _name(op)
    if name == "LITERAL":
        run = []
        while index < len(items) and _name(items[index][0]) == "LITERAL":
            run.append(chr(items[index][1]))
            index += 1
        return Starts(frozenset({"".join(run).casefold()}))
    if name == "IN":
        return _set_starts(av)
    if name == "SUBPATTERN":
        return _starts(list(av[3]))
    if name == "ATOMIC_GROUP":
        return _starts(list(av))
    if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
        return _starts(list(av[2])) if av[0] >= 1 else None
    if name == "BRANCH":
        merged: Starts | None = None
        for branch in av[1]:
            one = _starts(list(branch))
            if one is None:
                return None
            merged = one if merged is None else merged | one
        return merged
    return None


def _set_starts(members: list[Any]) -> Starts | None:
    """A character set of a few letters or digits (`[ée]`, `\\d`); anything wider starts anywhere."""
    chars: set[str] = set()
    digit = False
    for op, av in members:
        name = _name(op)
        if name == "LITERAL":
            chars.add(chr(av).casefold())
        elif name == "RANGE" and av[1] - av[0] <= 10:
            chars.update(chr(code).casefold() for code in range(av[0], av[1] + 1))
        elif name == "CATEGORY" and _name(av) == "CATEGORY_DIGIT":
            digit = True
        else:
            return None
    return Starts(frozenset(chars), digit)
