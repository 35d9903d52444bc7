"""How much of a text the language pipeline reads, and long runs without spaces split for its tokenizer."""

from __future__ import annotations

import unicodedata

import regex

from septfois.analysis.textmap import MappedText

# A real post is at most a few thousand characters (Facebook's limit, the longest, is 63,206): the
# pipeline and the rules read this much of any text, so a 1,000,000-byte input costs what this does.
# Platform lengths are still counted on the whole text.
ANALYSED_CHARS = 64_000
# Token floods ("(" × 50,000) give a token a character: the models' cost follows tokens, not characters.
ANALYSED_TOKENS = 16_000
# spaCy's tokenizer strips affixes from a run without spaces one at a time, each strip a search over
# the whole run: quadratic in the run's length. Runs longer than this reach it cut into pieces this long;
# no word, hashtag, e-mail address or ordinary link is this long.
RUN_CHARS = 200
# How far past a cut a run may go to end its grapheme cluster (a flood of combining marks has no end).
CLUSTER_SLACK = 32
_LONG_RUN = regex.compile(rf"\S{{{RUN_CHARS + 1},}}")


def bounded(text: str, limit: int = ANALYSED_CHARS) -> str:
    """The opening of `text` the pipeline reads: all of it up to `limit` characters, else cut at the
    last whitespace before the limit (or, in a text without any near it, between two clusters)."""
    if len(text) <= limit:
        return text
    cut = limit
    space = text.rfind(" ", limit - 4 * RUN_CHARS, limit)
    line = text.rfind("\n", limit - 4 * RUN_CHARS, limit)
    if max(space, line) > 0:
        return text[: max(space, line)]
    while cut > limit - CLUSTER_SLACK and joins(text, cut):
        cut -= 1
    return text[:cut]


def joins(text: str, at: int) -> bool:
    """Whether a cut just before `at` would split a grapheme cluster (a mark, a joiner, a selector)."""
    if at <= 0 or at >= len(text):
        return False
    ch, before = text[at], text[at - 1]
    return (
        unicodedata.combining(ch) > 0
        or unicodedata.category(ch) in ("Mn", "Me", "Mc")
        or ch in "\u200d\ufe0e\ufe0f"
        or before == "\u200d"
        or 0x1F3FB <= ord(ch) <= 0x1F3FF  # skin tone modifiers
        or 0xE0020 <= ord(ch) <= 0xE007F  # tag characters (subdivision flags)
        or (0x1F1E6 <= ord(ch) <= 0x1F1FF and 0x1F1E6 <= ord(before) <= 0x1F1FF)
    )


def split_runs(mapped: MappedText) -> MappedText:
    """`mapped` with a space put into every run of more than RUN_CHARS non-space characters, every
    RUN_CHARS or so (at a cluster boundary where one is near); each inserted space maps to the
    character after it, so tokens map back to exact offsets. Nearly every text has no such run."""
    text = mapped.text
    if _LONG_RUN.search(text) is None:
        return mapped
    pieces: list[str] = []
    origin: list[int] = []
    done = 0
    for run in _LONG_RUN.finditer(text):
        start, end = run.span()
        cut = start + RUN_CHARS
        while cut < end - 1:
            slack = cut + CLUSTER_SLACK
            while cut < min(slack, end - 1) and joins(text, cut):
                cut += 1
            pieces.append(text[done:cut])
            origin.extend(mapped.origin[done:cut])
            pieces.append(" ")
            origin.append(mapped.origin[cut])
            done = cut
            cut += RUN_CHARS
    pieces.append(text[done:])
    origin.extend(mapped.origin[done:])
    return MappedText("".join(pieces), tuple(origin))
