"""The regular-expression prefilter: where a pattern's matches can start, read from its parse tree."""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import regex

from septfois.analysis.textmap import MappedText
from septfois.analysis.value import Analysis, MemoKey

try:  # the standard library's parser, used only to read what a pattern must start with
    from re import _parser as sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - Python 3.10
    import sre_parse  # type: ignore[no-redef]


# Lookbehinds reaching further back than this are not scanned for on their own (see compiled_opening).
LONGEST_PREFILTER_LOOKBEHIND = 8
_UNICODE_PROPERTY = re.compile(r"\\[pP](?:\{[^}]*\}|[A-Za-z])|\\.", re.DOTALL)
# The matching module's own idea of a digit, so both agree on every Unicode version.
_DIGIT = regex.compile(r"\d")
# Word boundaries as the rules' patterns see them (`\b` does not depend on case folding).
_BOUNDARY = regex.compile(r"\b", regex.UNICODE | regex.VERSION1)
# Per post and accent folding: the case-folded view, and where its words' boundaries stand.
_CASEFOLDED: MemoKey[str] = MemoKey("case-folded view")
_BOUNDARIES: MemoKey[set[int]] = MemoKey("word boundaries")
_CHARACTERS: MemoKey[frozenset[str]] = MemoKey("characters of the case-folded view")


@dataclass(frozen=True)
class Starts:
    """Where a pattern's matches can start: at one of `strings` (compared case-folded), at a digit, or,
    for each alternative of `unanchored`, anywhere, but only in a text holding what that alternative
    needs (a conjunction of sets of strings: one string of each set must occur, case-folded)."""

    strings: frozenset[str] = frozenset()
    digit: bool = False
    unanchored: tuple[tuple[frozenset[str], ...], ...] = ()
    bounded: frozenset[str] = frozenset()  # strings that must also stand at a word boundary (`\b`)

    def __or__(self, other: Starts) -> Starts:
        return Starts(
            self.strings | other.strings,
            self.digit or other.digit,
            (*self.unanchored, *other.unanchored),
            self.bounded | other.bounded,
        )

    def positions(self, analysis: Analysis, view: MappedText, *, accents: bool) -> list[int] | None:
        """Offsets in `view` where a match may start, or None when the view cannot be searched so."""
        folded = analysis.memo.once(_CASEFOLDED, view.text.casefold, accents)
        # An alternative that may start anywhere and whose needs the text meets: scan the whole text.
        for needs in self.unanchored:
            if all(any(string in folded for string in one_of) for one_of in needs):
                return None
        # A character that case-folds to several ("ß" -> "ss") would shift every offset after it.
        if len(folded) != len(view.text):
            return None
        characters = analysis.memo.once(_CHARACTERS, lambda: frozenset(folded), accents)
        found: set[int] = set()
        for string in self.strings:
            if string and string[0] not in characters:
                continue  # a string opening with a character the text lacks: no need to scan for it
            at = folded.find(string)
            while at >= 0:
                found.add(at)
                at = folded.find(string, at + 1)
        if self.bounded - self.strings:
            edges = analysis.memo.once(
                _BOUNDARIES, lambda: {m.start() for m in _BOUNDARY.finditer(view.text)}, accents
            )
            for string in self.bounded - self.strings:
                if string and string[0] not in characters:
                    continue
                at = folded.find(string)
                while at >= 0:
                    if at in edges:
                        found.add(at)
                    at = folded.find(string, at + 1)
        if self.digit:
            found.update(m.start() for m in _DIGIT.finditer(view.text))
        return sorted(found)


def match_starts(source: str) -> Starts | None:
    """Where a match of `source` can start, or None when that cannot be told for sure.

    The standard library parses the pattern; anything it reads differently from the `regex` module
    (a warning, an error, a literal brace as in fuzzy matching) means None, so the pattern is scanned
    whole as before. Unicode property escapes (`\\p{L}`) become `\\w`: both start nothing literal.
    Each alternative is read on its own: one that may start anywhere is known by what it needs.
    """
    tree = _parse(source)
    if tree is None:
        return None
    try:
        empty = tree.getwidth()[0] == 0
    except Exception:
        return None
    if empty or _has_literal_brace(tree):
        return None  # a pattern that may match empty text (finditer's own rules), fuzzy matching
    found = _starts(list(tree), (), tree.state, False)
    if found is not None and _ascii_boundaries(list(tree), tree.state.flags):
        # `\b` is not the Unicode boundary here: every start is tried wherever it stands.
        found = Starts(found.strings | found.bounded, found.digit, found.unanchored)
    return found


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
_REPEATS = frozenset({"MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"})
# What follows a sequence being read: the item lists after it, innermost first.
After = tuple[list[Any], ...]


def _starts(items: list[Any], after: After, state: Any, bounded: bool) -> Starts | None:
    """Where a match of `items` then `after` can start: the first consuming item decides (assertions
    are skipped), and the items after it too when it may match nothing. `bounded`: a `\b` stands
    where the match starts."""
    found = Starts()
    index = 0
    while index < len(items):
        op, av = items[index]
        name = _name(op)
        if name in _ZERO_WIDTH:
            bounded = bounded or (name == "AT" and _name(av) == "AT_BOUNDARY")
            index += 1
            continue
        if name == "LITERAL":
            run, _ = _literal_run(items, index)
            return found | (Starts(bounded=frozenset({run})) if bounded else Starts(frozenset({run})))
        rest = (items[index + 1 :], *after)
        one = _item_starts(name, av, rest, state, bounded)
        if one is None:
            return None
        found = found | one
        if _min_width(state, items[index]) > 0:
            return found
        index += 1
    if not after:
        return None  # the match may be empty: not for this analysis
    rest_starts = _starts(after[0], after[1:], state, bounded)
    return None if rest_starts is None else found | rest_starts


def _item_starts(name: str, av: Any, after: After, state: Any, bounded: bool) -> Starts | None:
    if name == "IN":
        chars = _set_starts(av)
        if chars is None:
            return _anywhere(after)
        return Starts(bounded=chars.strings, digit=chars.digit) if bounded else chars
    if name == "SUBPATTERN":
        return _starts(list(av[3]), after, state, bounded)
    if name == "ATOMIC_GROUP":
        return _starts(list(av), after, state, bounded)
    if name in _REPEATS:
        return _starts(list(av[2]), after, state, bounded)
    if name == "BRANCH":
        merged = Starts()
        for branch in av[1]:
            one = _starts(list(branch), after, state, bounded)
            if one is None:
                return None
            merged = merged | one
        return merged
    return _anywhere(after)  # \w, ".", a negated character, a back reference...


def _ascii_boundaries(items: Iterable[Any], flags: int) -> bool:
    """Whether ASCII or locale matching (`(?a)`, `(?L)`) is asked anywhere: `\b` then means another thing."""
    if flags & (sre_parse.SRE_FLAG_ASCII | sre_parse.SRE_FLAG_LOCALE):
        return True
    for op, av in items:
        name = _name(op)
        if name == "SUBPATTERN" and av[1] & (sre_parse.SRE_FLAG_ASCII | sre_parse.SRE_FLAG_LOCALE):
            return True
        if any(_ascii_boundaries(child, 0) for child in _children(name, av) if name != "IN"):
            return True
    return False


def _anywhere(after: After) -> Starts | None:
    """A match that may start at any character: known only by what the rest of it needs."""
    needs = tuple(need for items in after for need in _needs(items))
    return Starts(unanchored=(needs,)) if needs else None


def _needs(items: list[Any]) -> list[frozenset[str]]:
    """Strings a match of `items` must hold (case-folded): one of each set."""
    needs: list[frozenset[str]] = []
    index = 0
    while index < len(items):
        op, av = items[index]
        name = _name(op)
        if name == "LITERAL":
            run, index = _literal_run(items, index)
            needs.append(frozenset({run}))
            continue
        if name == "SUBPATTERN":
            needs.extend(_needs(list(av[3])))
        elif name == "ATOMIC_GROUP":
            needs.extend(_needs(list(av)))
        elif name in _REPEATS and av[0] >= 1:
            needs.extend(_needs(list(av[2])))
        elif name == "BRANCH":
            options = [_needs(list(branch)) for branch in av[1]]
            if all(options):  # each alternative needs something: one of those must be there
                needs.append(frozenset().union(*(max(option, key=_shortest) for option in options)))
        index += 1
    return needs


def _shortest(strings: frozenset[str]) -> int:
    return min(len(string) for string in strings)


def _literal_run(items: list[Any], index: int) -> tuple[str, int]:
    """The case-folded string of the literal characters from `index` on, and the index after them."""
    run = []
    while index < len(items) and _name(items[index][0]) == "LITERAL":
        run.append(chr(items[index][1]))
        index += 1
    return "".join(run).casefold(), index


def _min_width(state: Any, item: Any) -> int:
    try:
        return int(sre_parse.SubPattern(state, [item]).getwidth()[0])
    except Exception:  # unsure: taken as possibly empty, which only adds places to try
        return 0


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


# --- the assertions a pattern opens with ------------------------------------------------------------
_GLOBAL_FLAGS = re.compile(r"\(\?[a-zA-Z]+\)")
_ASSERTION_OPENERS = ("(?=", "(?!", "(?<=", "(?<!")


def opening_assertions(source: str, *, longest_lookbehind: int | None = None) -> str | None:
    """The source of the zero-width assertions `source` opens with (`\\b`, lookarounds...), after its
    global flags, or None when there are none or the text cannot be cut for sure.

    The cut is checked: the standard library must read the piece as exactly the assertions it reads at
    the start of the whole pattern, with the same flags. With `longest_lookbehind`, lookbehinds that may
    look further back are left out."""
    at = 0
    while found := _GLOBAL_FLAGS.match(source, at):
        at = found.end()
    flags = source[:at]
    verbose = "x" in flags
    pieces: list[str] = []
    while True:
        at = _skip_verbose_space(source, at, verbose)
        if source.startswith(("\\b", "\\B", "\\A"), at):
            end = at + 2
        elif source.startswith("^", at):
            end = at + 1
        elif source.startswith(_ASSERTION_OPENERS, at):
            group_end = _group_end(source, at, verbose)
            if group_end is None:
                return None
            end = group_end
        else:
            break
        after = _skip_verbose_space(source, end, verbose)
        if after < len(source) and source[after] in "?*+{":
            return None  # a quantified assertion is not required
        pieces.append(source[at:end])
        at = end
    if not pieces:
        return None
    opening = flags + "".join(pieces)
    whole, piece = _parse(source), _parse(opening)
    if whole is None or piece is None or whole.state.flags != piece.state.flags:
        return None
    try:
        if whole.getwidth()[0] == 0:
            return None  # a pattern that may match empty text is scanned whole (finditer's own rules)
    except Exception:
        return None
    items = list(whole)
    count = 0
    while count < len(items) and _name(items[count][0]) in _ZERO_WIDTH:
        count += 1
    if repr(items[:count]) != repr(list(piece)) or count != len(pieces):
        return None
    if longest_lookbehind is not None:
        # Each assertion is a condition on its own: leaving one out still leaves a necessary condition.
        pieces = [
            text
            for text, item in zip(pieces, items[:count], strict=True)
            if _lookbehind_width(item) <= longest_lookbehind
        ]
        if not pieces:
            return None
    return flags + "".join(pieces)


def _lookbehind_width(item: Any) -> int:
    """How far back a lookbehind may look (0 for any other assertion)."""
    op, av = item
    if _name(op) not in ("ASSERT", "ASSERT_NOT") or av[0] >= 0:
        return 0
    try:
        return int(av[1].getwidth()[1])
    except Exception:
        return sre_parse.MAXREPEAT


def compiled_opening(source: str, flags: int) -> regex.Pattern[str] | None:
    # A lookbehind reaching far (a word list, then spaces...) costs more to scan for than it saves.
    opening = opening_assertions(source, longest_lookbehind=LONGEST_PREFILTER_LOOKBEHIND)
    if opening is None:
        return None
    try:
        return regex.compile(opening, flags)
    except regex.error:
        return None


def _parse(source: str) -> Any:
    """The standard library's reading of a pattern, or None when it rejects or warns about it."""
    text = _UNICODE_PROPERTY.sub(lambda m: r"\w" if m.group()[1] in "pP" else m.group(), source)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            return sre_parse.parse(text, 0)
    except Exception:  # whatever the parser rejects (or warns about) is simply not analysed
        return None


def _skip_verbose_space(source: str, at: int, verbose: bool) -> int:
    while verbose and at < len(source):
        if source[at].isspace():
            at += 1
        elif source[at] == "#":
            newline = source.find("\n", at)
            at = len(source) if newline < 0 else newline + 1
        else:
            break
    return at


def _group_end(source: str, at: int, verbose: bool) -> int | None:
    """The offset after the group opening at `at`, or None."""
    depth = 0
    index: int | None = at
    while index is not None and index < len(source):
        ch = source[index]
        if verbose and ch == "#":
            newline = source.find("\n", index)
            if newline < 0:
                return None
            index = newline + 1
            continue
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                return index + 1
        index = _after_item(source, index)
    return None


def _class_end(source: str, at: int) -> int | None:
    """The offset after the character class opening at `at` (nested sets allowed), or None."""
    first = at + 1
    if source.startswith("^", first):
        first += 1
    if source.startswith("]", first):
        first += 1  # a leading "]" is a member
    index: int | None = first
    while index is not None and index < len(source) and source[index] != "]":
        index = _after_item(source, index)
    return None if index is None or index >= len(source) else index + 1


def _after_item(source: str, index: int) -> int | None:
    """The offset after what starts at `index`: an escape (`\\x`), a character class (`[...]`) or one
    character; None for a class that never closes."""
    if source[index] == "\\":
        return index + 2
    if source[index] == "[":
        return _class_end(source, index)
    return index + 1
