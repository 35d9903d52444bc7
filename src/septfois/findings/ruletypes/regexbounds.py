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


# A lookbehind is tried at every place a match may start: reaching back further than this, it costs
# more per character than every other rule together (a 600-character one took about 2 s on 64 KB).
MAX_LOOKBEHIND = 100
# Characters a pattern's repeats are compared on (with every literal of the pattern): enough to tell
# the classes that matter apart (letters, digits, spaces, punctuation, symbols of disguised words).
_SAMPLE = frozenset(chr(code) for code in range(32, 127)) | frozenset("\t\n\r\u00a0é’«»😀中٣")
_CHARACTER_ITEMS = frozenset({"LITERAL", "NOT_LITERAL", "IN", "ANY", "CATEGORY"})
_CATEGORIES = {
    "CATEGORY_DIGIT": str.isdigit,
    "CATEGORY_SPACE": str.isspace,
    "CATEGORY_WORD": lambda ch: ch.isalnum() or ch == "_",
}


def linear_shape_problems(source: str, flags: int = regex.IGNORECASE) -> list[str]:
    """The shapes that make a pattern's cost grow faster than the text (empty: none found).

    - a lookbehind reaching back more than MAX_LOOKBEHIND characters, or without bound;
    - two unbounded repeats one after the other that can read the same character (`[s*]+[s*]+`,
      `s+s+`): on a run of it they share it out in a number of ways that grows with the run;
    - an unbounded repeat a match can open with, of a character the opening lookbehinds do not refuse
      before a match: a match may then start at every character of a run of it, and each reads to its
      end (`[a@]+x` on a run of `@`).

    Read with the standard library's parser (`\\p{..}` read as `\\w`); a pattern it cannot read gives
    no problem here."""
    tree = _parse(source, flags)
    if tree is None:
        return []
    ignore_case = bool(flags & regex.IGNORECASE)
    alphabet = _SAMPLE | frozenset(_literals(tree))
    problems: list[str] = []
    _long_lookbehinds(tree, problems)
    _adjacent_repeats(tree, alphabet, ignore_case, problems)
    for chars in _opening_repeats(tree, alphabet, ignore_case):
        shown = "".join(sorted(chars)[:12])
        problems.append(f"a match can start at every character of a run of {shown!r} and read the run")
    return problems


def _name(op: Any) -> str:
    return str(op)


def _literals(items: Any) -> list[str]:
    found: list[str] = []
    for op, av in items:
        name = _name(op)
        if name == "LITERAL":
            found.append(chr(av))
        elif name == "IN":
            found.extend(chr(value) for kind, value in av if _name(kind) == "LITERAL")
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            found.extend(_literals(av[2]))
        else:
            for part in _parts(op, av):
                found.extend(_literals(part))
            if name == "ATOMIC_GROUP":
                found.extend(_literals(av))
    return found


def _chars(op: Any, av: Any, alphabet: frozenset[str], ignore_case: bool) -> frozenset[str] | None:
    """The characters of `alphabet` one single-character item matches (None: not such an item)."""
    name = _name(op)
    if name not in _CHARACTER_ITEMS:
        return None
    return frozenset(ch for ch in alphabet if _matches_char(name, av, ch, ignore_case))


def _matches_char(name: str, av: Any, ch: str, ignore_case: bool) -> bool:
    if name == "ANY":
        return ch != "\n"
    if name == "LITERAL":
        return _same(av, ch, ignore_case)
    if name == "NOT_LITERAL":
        return not _same(av, ch, ignore_case)
    if name == "CATEGORY":
        return _in_category(_name(av), ch)
    negate = False
    hit = False
    for kind, value in av:
        kind_name = _name(kind)
        if kind_name == "NEGATE":
            negate = True
        elif kind_name == "LITERAL":
            hit = hit or _same(value, ch, ignore_case)
        elif kind_name == "RANGE":
            low, high = value
            hit = hit or any(low <= ord(c) <= high for c in {ch, ch.lower(), ch.upper()} if len(c) == 1)
        elif kind_name == "CATEGORY":
            hit = hit or _in_category(_name(value), ch)
    return hit != negate


def _same(code: int, ch: str, ignore_case: bool) -> bool:
    return chr(code) == ch or (ignore_case and chr(code).casefold() == ch.casefold())


def _in_category(name: str, ch: str) -> bool:
    negated = name.startswith("CATEGORY_NOT_")
    test = _CATEGORIES.get(name.replace("CATEGORY_NOT_", "CATEGORY_"))
    if test is None:
        return False
    return test(ch) != negated


def _repeat(op: Any, av: Any) -> tuple[int, int, Any] | None:
    return av if _name(op) in ("MAX_REPEAT", "MIN_REPEAT") else None


def _single_unbounded(op: Any, av: Any, alphabet: frozenset[str], ignore_case: bool) -> frozenset[str] | None:
    """The characters an unbounded repeat of one single-character item reads (None: not one)."""
    repeat = _repeat(op, av)
    if repeat is None or repeat[1] != sre_constants.MAXREPEAT or len(repeat[2]) != 1:
        return None
    (body_op, body_av) = repeat[2][0]
    return _chars(body_op, body_av, alphabet, ignore_case)


def _long_lookbehinds(items: Any, problems: list[str]) -> None:
    for op, av in items:
        if _name(op) in ("ASSERT", "ASSERT_NOT") and av[0] < 0:
            width = av[1].getwidth()[1] if hasattr(av[1], "getwidth") else 0
            if width > MAX_LOOKBEHIND:
                reach = "without bound" if width >= sre_constants.MAXREPEAT else f"{width:,} characters"
                problems.append(f"a lookbehind reaches back {reach} (at most {MAX_LOOKBEHIND})")
        for part in _all_parts(op, av):
            _long_lookbehinds(part, problems)


def _all_parts(op: Any, av: Any) -> list[Any]:
    repeat = _repeat(op, av)
    if repeat is not None:
        return [repeat[2]]
    if _name(op) == "POSSESSIVE_REPEAT":
        return [av[2]]
    if _name(op) == "ATOMIC_GROUP":
        return [av]
    return _parts(op, av)


def _adjacent_repeats(items: Any, alphabet: frozenset[str], ignore_case: bool, problems: list[str]) -> None:
    items = list(items)
    for index, (op, av) in enumerate(items):
        chars = _single_unbounded(op, av, alphabet, ignore_case)
        if chars:
            for next_op, next_av in items[index + 1 :]:
                following = _single_unbounded(next_op, next_av, alphabet, ignore_case)
                if following is not None:
                    shared = sorted(chars & following)
                    if shared:
                        shown = "".join(shared[:12])
                        problems.append(f"two unbounded repeats in a row can both read {shown!r}")
                        break
                    if _repeat(next_op, next_av)[0] == 0:  # type: ignore[index]
                        continue  # it may read nothing: the two around it can still meet
                    break
                repeat = _repeat(next_op, next_av)
                if repeat is not None and repeat[0] == 0:
                    continue  # optional: the two repeats can still meet
                break
        for part in _all_parts(op, av):
            _adjacent_repeats(part, alphabet, ignore_case, problems)


def _refused(op: Any, av: Any, alphabet: frozenset[str], ignore_case: bool) -> frozenset[str] | None:
    """The characters an opening assertion refuses just before a match, or None for a `\\A` (a match
    then starts at one place only)."""
    name = _name(op)
    if name == "ASSERT_NOT" and av[0] < 0 and len(av[1]) == 1:
        return _chars(*av[1][0], alphabet, ignore_case) or frozenset()
    if name == "AT" and _name(av) == "AT_BEGINNING_STRING":
        return None
    if name == "AT" and _name(av) == "AT_BOUNDARY":
        # A boundary inside a run holds only between two kinds: a run of one character has none.
        return frozenset(ch for ch in alphabet if _in_category("CATEGORY_WORD", ch))
    return frozenset()


def _opening_repeats(
    items: Any, alphabet: frozenset[str], ignore_case: bool, refused: frozenset[str] = frozenset()
) -> list[frozenset[str]]:
    """For each unbounded single-character repeat a match can open with, the characters it reads that
    the assertions before it do not refuse just before the match."""
    found: list[frozenset[str]] = []
    for op, av in items:
        name = _name(op)
        if name in ("ASSERT", "ASSERT_NOT", "AT"):
            more = _refused(op, av, alphabet, ignore_case)
            if more is None:
                return found  # anchored at the start of the text: one start only
            refused |= more
            continue
        chars = _single_unbounded(op, av, alphabet, ignore_case)
        if chars:
            if chars - refused:
                found.append(chars - refused)
            return found
        if name == "BRANCH":
            for branch in av[1]:
                found.extend(_opening_repeats(branch, alphabet, ignore_case, refused))
            return found
        if name == "SUBPATTERN":
            found.extend(_opening_repeats(av[-1], alphabet, ignore_case, refused))
            return found
        repeat = _repeat(op, av)
        if repeat is not None and repeat[0] == 0:
            found.extend(_opening_repeats(repeat[2], alphabet, ignore_case, refused))
            continue  # optional: what follows may open the match too
        return found
    return found
