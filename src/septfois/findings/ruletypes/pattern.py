"""The `pattern` rule type: a Unicode-aware regular expression, bounded at load and with a safety bound."""

from __future__ import annotations

import math
import time
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import regex

from septfois import schema
from septfois.findings.prefilter import compiled_opening, match_starts
from septfois.findings.ruletypes.base import Detect, Hit, Subject, drop_excepted, exceptions
from septfois.findings.ruletypes.regexbounds import check_backtracking, check_replacement, check_source

# A user's or a project's pattern: the last resort against one that backtracks without bound although the
# load checks let it through (regexbounds.py refuses the known shapes). Built-in patterns have no time
# bound, so their results never depend on the machine's load: they are bounded by the text the analysis
# reads (bench/bench_pathological.py measures them on every pathological family).
TIMEOUT_SECONDS = 2.0
# Above this share of candidate starts (one every N characters), one scan of the text is cheaper.
CANDIDATES_EVERY = 4


class PatternTimeout(Exception):
    """A rule's pattern ran past its time bound on one text."""


class PatternType:
    name = "pattern"
    keys = frozenset({"pattern", "case_sensitive", "fold_accents", "replacement", "exceptions"})
    placeholders = frozenset({"match"})

    def compile(
        self, options: Mapping[str, Any], path: schema.Path, *, time_bound: float | None = TIMEOUT_SECONDS
    ) -> Detect:
        """The detector of one rule; `time_bound` None (a built-in pack) runs it without a time bound."""
        source = schema.string(schema.required(options, "pattern", path), (*path, "pattern"))
        case_sensitive = schema.boolean(options.get("case_sensitive", False), (*path, "case_sensitive"))
        accents = schema.boolean(options.get("fold_accents", False), (*path, "fold_accents"))
        replacement = options.get("replacement")
        if replacement is not None:
            replacement = schema.string(replacement, (*path, "replacement"), empty=True)
        flags = regex.UNICODE | regex.VERSION1 | (0 if case_sensitive else regex.IGNORECASE)
        check_source(source, (*path, "pattern"))
        try:
            compiled = regex.compile(source, flags)
        except (regex.error, RecursionError, OverflowError) as error:
            raise schema.Invalid((*path, "pattern"), f"invalid regular expression: {error}") from None
        check_backtracking(compiled, source, (*path, "pattern"))
        if replacement is not None:
            check_replacement(compiled, replacement, (*path, "replacement"))
        excepted = exceptions(options, path)
        starts = match_starts(source)
        opening = compiled_opening(source, flags)

        def detect(subject: Subject) -> Iterable[Hit]:
            analysis = subject.analysis
            view = analysis.view(accents=accents, case=False)
            text = view.text
            # For all the work on this text; none for a built-in pattern, whose result is then the same on
            # any machine under any load.
            deadline = math.inf if time_bound is None else time.perf_counter() + time_bound
            candidates = starts.positions(analysis, view, accents=accents) if starts else None
            try:
                if opening is not None and _dense(candidates, text):
                    # Where the assertions the pattern opens with hold, found in one scan of their own.
                    holds = _opening_positions(opening, text, deadline)
                    candidates = holds if candidates is None else sorted(set(candidates) & set(holds))
                if _dense(candidates, text):
                    found = _matches(compiled, text, deadline)
                else:
                    found = _matches_at(compiled, text, candidates, deadline)  # type: ignore[arg-type]
            except TimeoutError:
                raise PatternTimeout(source) from None
            hits = []
            for match in found:
                start, end = view.span(match.start(), match.end())
                fix = match.expand(replacement) if replacement is not None else None
                hits.append(Hit(start, end, replacement=fix))
            return drop_excepted(hits, excepted, analysis)

        return detect


def _dense(candidates: Sequence[int] | None, text: str) -> bool:
    """Whether one scan of the text is cheaper than trying at each candidate (or there are none)."""
    return candidates is None or len(candidates) * CANDIDATES_EVERY > len(text)


def _left(deadline: float | None) -> float | None:
    if deadline is None:
        return TIMEOUT_SECONDS
    if deadline == math.inf:
        return None  # no time bound
    left = deadline - time.perf_counter()
    if left <= 0:
        raise TimeoutError
    return left


def _matches(
    compiled: regex.Pattern[str], text: str, deadline: float | None = None
) -> list[regex.Match[str]]:
    """Every non-empty match, scanning the whole text within the time bound."""
    return [m for m in compiled.finditer(text, timeout=_left(deadline)) if m.end() > m.start()]


def _matches_at(
    compiled: regex.Pattern[str], text: str, candidates: Sequence[int], deadline: float | None = None
) -> list[regex.Match[str]]:
    """The matches `finditer` would find, tried only where a match can start; the time bound holds for
    all the tries together. A match at `pos` sees the text before it (lookbehinds, `\\b`) as a scan does."""
    if deadline is None:
        deadline = time.perf_counter() + TIMEOUT_SECONDS
    found: list[regex.Match[str]] = []
    resume = 0
    for at in candidates:
        if at < resume:
            continue  # inside the previous match: a scan resumes after it
        match = compiled.match(text, at, timeout=_left(deadline))
        if match is not None and match.end() > match.start():
            found.append(match)
            resume = match.end()
    return found


def _opening_positions(opening: regex.Pattern[str], text: str, deadline: float | None = None) -> list[int]:
    """Every offset where the zero-width `opening` holds (a scan finds its empty match at each)."""
    return [m.start() for m in opening.finditer(text, timeout=_left(deadline))]
