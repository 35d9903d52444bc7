"""Normalised and folded views of a text that remember where each character came from."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import regex

# Typographic variants that change nothing to meaning but defeat plain matching.
_APOSTROPHES = {"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u00b4": "'", "`": "'"}
_SPACES = {"\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u2007": " "}
GRAPHEME = regex.compile(r"\X")


@dataclass(frozen=True)
class MappedText:
    """A derived text plus, for each of its characters, the offset it came from in the original."""

    text: str
    origin: tuple[int, ...]  # len(text) + 1 entries; the last one is the original's length

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original offsets of the derived span [start, end)."""
        if end <= start:
            return self.origin[start], self.origin[start]
        # The end maps to just after the original character of the span's last derived character.
        last = self.origin[end - 1]
        after = self.origin[end]
        return self.origin[start], max(after, last + 1)


_PLAIN = str.maketrans({**_APOSTROPHES, **_SPACES})


def normalise(text: str) -> MappedText:
    """NFC, straight apostrophes, plain spaces and runs of white space cut short, mapped to the original."""
    # Most texts are already NFC with one character per grapheme cluster: each cluster is then NFC on
    # its own, so only the one-for-one replacements are left and offsets do not move.
    if unicodedata.is_normalized("NFC", text) and one_code_point_per_cluster(text):
        mapped = MappedText(text.translate(_PLAIN), tuple(range(len(text) + 1)))
    else:
        mapped = _normalise_by_cluster(text)
    return _short_spaces(mapped)


# A pattern's `\s*` tried at each character of a run of white space reads the rest of the run each time:
# a run of 3,700 newlines cost 10 s in one rule. No post means anything by more white space than this,
# so the rules read at most this much of any run (the map still points at the original).
SPACE_RUN = 32
_LONG_SPACE_RUN = regex.compile(rf"\s{{{SPACE_RUN + 1},}}")


def _short_spaces(mapped: MappedText) -> MappedText:
    """`mapped` with each run of white space cut to its first SPACE_RUN characters."""
    if _LONG_SPACE_RUN.search(mapped.text) is None:
        return mapped
    out: list[str] = []
    origin: list[int] = []
    kept = 0
    for run in _LONG_SPACE_RUN.finditer(mapped.text):
        out.append(mapped.text[kept : run.start() + SPACE_RUN])
        origin.extend(mapped.origin[kept : run.start() + SPACE_RUN])
        kept = run.end()
    out.append(mapped.text[kept:])
    origin.extend(mapped.origin[kept:])
    return MappedText("".join(out), tuple(origin))


def one_code_point_per_cluster(text: str) -> bool:
    """Whether every grapheme cluster of `text` is a single code point (nearly every post)."""
    return len(GRAPHEME.findall(text)) == len(text)


def _normalise_by_cluster(text: str) -> MappedText:
    """`normalise` one grapheme cluster at a time: every character maps to its cluster's start."""
    out: list[str] = []
    origin: list[int] = []
    for cluster in GRAPHEME.finditer(text):
        piece = unicodedata.normalize("NFC", cluster.group())
        piece = "".join(_APOSTROPHES.get(ch, _SPACES.get(ch, ch)) for ch in piece)
        out.append(piece)
        origin.extend([cluster.start()] * len(piece))
    origin.append(len(text))
    return MappedText("".join(out), tuple(origin))


def fold_char(ch: str, *, accents: bool = True, case: bool = True) -> str:
    """The folded form of one character: lower case and without accents, as asked."""
    if case:
        ch = ch.lower()
    if accents:
        decomposed = unicodedata.normalize("NFD", ch)
        stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
        # Keep characters that are nothing but a combining mark out of the folded text.
        ch = stripped if stripped or not decomposed else ""
        if ch == "œ":
            ch = "oe"
        elif ch == "æ":
            ch = "ae"
    return ch


def fold_text(text: str, *, accents: bool = True, case: bool = True) -> str:
    """The folded form of a whole string (terms and tokens, which need no map)."""
    if text.isascii():
        return text.lower() if case else text
    return _fold_text(text, accents, case)


@lru_cache(maxsize=1 << 16)
def _fold_text(text: str, accents: bool, case: bool) -> str:
    # Posts repeat their words: each is folded once, not once per token and per rule.
    return "".join(fold_char(ch, accents=accents, case=case) for ch in text)


def fold(mapped: MappedText, *, accents: bool = True, case: bool = True) -> MappedText:
    """Fold a mapped text, composing the maps so offsets still point into the original."""
    # Most characters are ASCII: fold them without the Unicode machinery; each distinct one once.
    pieces = {
        ch: (ch.lower() if case else ch) if ch < "\x80" else fold_char(ch, accents=accents, case=case)
        for ch in set(mapped.text)
    }
    if all(len(piece) == 1 for piece in pieces.values()):
        # One character for one: the offsets do not move.
        table = {ord(ch): piece for ch, piece in pieces.items() if piece != ch}
        return MappedText(mapped.text.translate(table), mapped.origin)
    out: list[str] = []
    origin: list[int] = []
    for index, ch in enumerate(mapped.text):
        piece = pieces[ch]
        out.append(piece)
        origin.extend([mapped.origin[index]] * len(piece))
    origin.append(mapped.origin[-1])
    return MappedText("".join(out), tuple(origin))


# Where lines end for editors and SARIF alike: CR LF, LF, or a CR alone (old Mac files, some exports).
LINE_BREAK = regex.compile(r"\r\n|\r|\n")


def line_starts(text: str) -> list[int]:
    """The offset where each line of `text` starts, the first one 0."""
    return [0] + [found.end() for found in LINE_BREAK.finditer(text)]


def line_column(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column (in code points) of `offset` in `text`, lines ending as LINE_BREAK says."""
    # Counted in place, not by listing line starts: it is asked once per finding.
    breaks = text.count("\n", 0, offset) + text.count("\r", 0, offset) - text.count("\r\n", 0, offset)
    start = max(text.rfind("\n", 0, offset), text.rfind("\r", 0, offset)) + 1
    return breaks + 1, offset - start + 1
