"""The `metric` rule type: a number measured on the post (capitals, "!!!", hashtags...) against bounds."""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import regex

from septfois import schema
from septfois.analysis.value import Analysis, MemoKey
from septfois.findings.platforms import HASHTAG
from septfois.findings.ruletypes.base import Detect, Hit, Subject

MENTION = regex.compile(r"(?<![\w])@\w+(?:@[\w.-]+\w)?")
LINK = regex.compile(r"(?:https?://|www\.)\S+", regex.IGNORECASE)
EMOJI = regex.compile(
    r"\p{Extended_Pictographic}(?:\uFE0F|\u200D\p{Extended_Pictographic}|\p{Emoji_Modifier})*|\p{Regional_Indicator}{2}"
)
WORD = regex.compile(r"[\p{L}\p{N}][\p{L}\p{N}'’-]*")
EXCLAMATIONS = regex.compile(r"!{3,}")
# Below this many letters a share of capitals means nothing ("OK", "PDG").
MIN_LETTERS_FOR_CAPS = 20

Measurement = tuple[float, list[tuple[int, int]]]


def _items(pattern: regex.Pattern[str]) -> Callable[[Analysis], Measurement]:
    def measure(analysis: Analysis) -> Measurement:
        spans = [found.span() for found in pattern.finditer(analysis.text)]
        return float(len(spans)), spans

    return measure


def _caps_ratio(analysis: Analysis) -> Measurement:
    letters = [ch for ch in analysis.text if ch.isalpha()]
    if len(letters) < MIN_LETTERS_FOR_CAPS:
        return 0.0, []
    return sum(ch.isupper() for ch in letters) / len(letters), [(0, len(analysis.text))]


def _longest_exclamation_run(analysis: Analysis) -> Measurement:
    runs = [found.span() for found in regex.finditer(r"!+", analysis.text)]
    longest = max((end - start for start, end in runs), default=0)
    return float(longest), [span for span in runs if span[1] - span[0] == longest]


_CONTENT_WORDS: MemoKey[int] = MemoKey("content words")


def _content_words(analysis: Analysis) -> Measurement:
    """Words that are not part of a hashtag, a mention or a link: what the post actually says."""
    text = analysis.text
    count = analysis.memo.once(_CONTENT_WORDS, lambda: _count_content_words(text))  # two metrics read it
    return float(count), [(0, len(text))]


def _count_content_words(text: str) -> int:
    skip = [m.span() for p in (HASHTAG, MENTION, LINK, EMOJI) for m in p.finditer(text)]
    starts = (m.start() for m in WORD.finditer(text))
    # The skipped spans merged, so that one look-up tells whether a word starts inside one.
    merged: list[list[int]] = []
    for start, end in sorted(skip):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    opens = [start for start, _ in merged]
    count = 0
    for at in starts:
        index = bisect.bisect_right(opens, at) - 1
        count += index < 0 or at >= merged[index][1]
    return count


def _hashtag_share(analysis: Analysis) -> Measurement:
    """Hashtags as a share of hashtags plus content words."""
    tags = len(HASHTAG.findall(analysis.text))
    words, _ = _content_words(analysis)
    total = tags + words
    return (tags / total if total else 0.0), [found.span() for found in HASHTAG.finditer(analysis.text)]


METRICS: dict[str, Callable[[Analysis], Measurement]] = {
    "caps-ratio": _caps_ratio,
    "exclamation-run": _longest_exclamation_run,
    "hashtags": _items(HASHTAG),
    "mentions": _items(MENTION),
    "emoji": _items(EMOJI),
    "links": _items(LINK),
    "words": _items(WORD),
    "content-words": _content_words,
    "hashtag-share": _hashtag_share,
}


class MetricType:
    name = "metric"
    keys = frozenset({"metric", "above", "below", "min_words", "at_least"})
    placeholders = frozenset({"match", "value", "above", "below"})

    def compile(self, options: Mapping[str, Any], path: schema.Path) -> Detect:
        name = schema.choice(schema.required(options, "metric", path), sorted(METRICS), (*path, "metric"))
        above = schema.number(options["above"], (*path, "above")) if "above" in options else None
        below = schema.number(options["below"], (*path, "below")) if "below" in options else None
        if above is None and below is None:
            raise schema.Invalid((*path, "above"), "a metric rule needs `above` or `below` (or both)")
        min_words = schema.integer(options.get("min_words", 0), (*path, "min_words"))
        # Other measures the post must reach before this one counts ("six hashtags or more, and they
        # outweigh the text"): one measure alone cannot tell stuffing from a long caption's topical tags.
        floors = _floors(options.get("at_least", {}), (*path, "at_least"))
        measure = METRICS[name]

        def detect(subject: Subject) -> Iterable[Hit]:
            analysis = subject.analysis
            if min_words and len(WORD.findall(analysis.text)) < min_words:
                return []
            if any(METRICS[other](analysis)[0] < floor for other, floor in floors):
                return []
            value, spans = measure(analysis)
            if (above is not None and value > above) or (below is not None and value < below):
                start = min((s for s, _ in spans), default=0)
                end = max((e for _, e in spans), default=len(analysis.text))
                shown = f"{value:.0%}" if name.endswith(("ratio", "share")) else f"{value:g}"
                return [Hit(start, end, {"value": shown, "above": above, "below": below})]
            return []

        return detect


def _floors(value: Any, path: schema.Path) -> tuple[tuple[str, float], ...]:
    """`at_least = { hashtags = 6 }`: each named measure with the least value it must reach."""
    table = schema.table(value, path)
    return tuple(
        (schema.choice(other, sorted(METRICS), (*path, other)), schema.number(floor, (*path, other)))
        for other, floor in table.items()
    )
