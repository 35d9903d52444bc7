"""Load-time bounds on a pack's regular expressions: size, nesting, nested quantifiers, replacements."""

from __future__ import annotations

import re
import warnings
from typing import Any

import regex

from septfois import schema

try:  # the standard library's parser, used only to read the shape of a pattern
    from re import _constants as sre_constants  # type: ignore[attr-defined]
    from re import _parser as sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants  # type: ignore[no-redef]
    import sre_parse  # type: ignore[no-redef]

# Compiling grows with the pattern (100,000 alternatives took 18.5 s): the longest built-in pattern
# is about 9,100 characters and this one compiles in about 0.3 s.
MAX_PATTERN_CHARS = 20_000
# Groups nested deeper than this are refused before the compiler recurses into them.
MAX_NESTING = 40
# A repeat allowed more times than this around an unbounded one backtracks without practical bound.
MAX_OUTER_REPEAT = 10
_PROPERTY_OR_ESCAPE = re.compile(r"\\[pP](?:\{[^}]*\}|[A-Za-z])|\\.", re.DOTALL)
_REPEATS = {sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT}


def check_source(source: str, path: schema.Path) -> None:
    """Refuse a pattern too long or nested too deep to compile in bounded time and stack."""
    if len(source) > MAX_PATTERN_CHARS:
        raise schema.Invalid(
            path, f"pattern too long ({len(source):,} characters; at most {MAX_PATTERN_CHARS:,})"
        )
    if nesting(source) > MAX_NESTING:
        raise schema.Invalid(path, f"pattern nested too deep (more than {MAX_NESTING} groups)")


def nesting(source: str) -> int:
    """How deep the pattern's groups nest (escapes and character classes skipped)."""
    depth = deepest = 0
    index = 0
    in_class = False
    while index < len(source):
        ch = source[index]
        if ch == "\\":
            index += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
            if source[index + 1 : index + 2] == "]":
                index += 1  # "[]...]": a leading "]" is a member
        elif ch == "(":
            depth += 1
            deepest = max(deepest, depth)
        elif ch == ")":
            depth = max(0, depth - 1)
        index += 1
    return deepest


def check_backtracking(compiled: regex.Pattern[str], source: str, path: schema.Path) -> None:
    """Refuse an unbounded repeat around another (`(a+)+$`): its backtracking on a long run is
    exponential. Read with the standard library's parser; a pattern it reads differently is let through
    (the run-time safety bound still holds for it)."""
    tree = _parse(source, compiled.flags)
    if tree is not None and _nested_unbounded(tree, outer=False):
        raise schema.Invalid(
            path, "pattern repeats an unbounded repeat (like `(a+)+`): its cost on a long text has no bound"
        )


def check_replacement(compiled: regex.Pattern[str], replacement: str, path: schema.Path) -> None:
    """Refuse a replacement naming a group the pattern lacks (`\\9`) or holding a bad escape.

    A pattern with the same groups that matches the empty string expands the template exactly as a
    real match would, so the error shows at load rather than when the rule fires."""
    names = {number: name for name, number in compiled.groupindex.items()}
    shape = "".join(
        f"(?P<{names[number]}>)" if number in names else "()" for number in range(1, compiled.groups + 1)
    )
    empty = regex.compile(shape, regex.VERSION1).match("")
    assert empty is not None
    try:
        empty.expand(replacement)
    except (regex.error, IndexError, KeyError, ValueError) as error:
        raise schema.Invalid(path, f"invalid replacement: {error}") from None


def _parse(source: str, flags: int) -> Any:
    plain = _PROPERTY_OR_ESCAPE.sub(lambda m: r"\w" if m.group()[1] in "pP" else m.group(), source)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            return sre_parse.parse(plain, re.IGNORECASE if flags & regex.IGNORECASE else 0)
        except (re.error, Warning, RecursionError, OverflowError, ValueError, TypeError):
            return None


def _unbounded(maximum: int) -> bool:
    return maximum == sre_constants.MAXREPEAT or maximum > MAX_OUTER_REPEAT


def _nested_unbounded(items: Any, *, outer: bool) -> bool:
    """Whether `items` hold an unbounded repeat whose body is made of repeats only, one of them
    unbounded (`(a+)+`, `(\\w+\\s?)*`): the text can then be shared out between the iterations in
    exponentially many ways. A body with a part it must match once (`(?:\\s+all)*`) is not so."""
    for op, av in items:
        if op in _REPEATS:
            _, high, body = av
            if _unbounded(high) and _has_unbounded(body) and _only_repeats(body):
                return True
            if _nested_unbounded(body, outer=outer):
                return True
        elif any(_nested_unbounded(part, outer=outer) for part in _parts(op, av)):
            return True
    return False


def _parts(op: Any, av: Any) -> list[Any]:
    """The sub-sequences of one parsed item (a group's body, each branch, an assertion's body)."""
    if op is sre_constants.SUBPATTERN:
        return [av[-1]]
    if op is sre_constants.BRANCH:
        return list(av[1])
    if op in (sre_constants.ASSERT, sre_constants.ASSERT_NOT):
        return [av[1]]
    if op is sre_constants.GROUPREF_EXISTS:
        return [part for part in av[1:] if part is not None]
    return []  # atomic groups and possessive repeats never backtrack into what they matched


def _has_unbounded(items: Any) -> bool:
    for op, av in items:
        if op in _REPEATS and (_unbounded(av[1]) or _has_unbounded(av[2])):
            return True
        if any(_has_unbounded(part) for part in _parts(op, av)):
            return True
    return False


def _only_repeats(items: Any) -> bool:
    """Whether every part of a sequence is a repeat, a zero-width test, or a group or branch of such."""
    for op, av in items:
        if op in _REPEATS or op in (sre_constants.AT, sre_constants.ASSERT, sre_constants.ASSERT_NOT):
            continue
        if op is sre_constants.SUBPATTERN and _only_repeats(av[-1]):
            continue
        if op is sre_constants.BRANCH and any(_only_repeats(branch) for branch in av[1]):
            continue
        return False
    return True
