"""Token patterns run per anchor word and around it give what one Matcher of every pattern gives the post."""

from __future__ import annotations

import random
import re
from typing import Any

from spacy.matcher import Matcher

from septfois.analysis.value import Analysis, Token
from septfois.findings.matcher import TokenPatterns, compile_pattern, post_doc, vocab

LISTS = {"cut": ["cut", "slash", "axe"], "job": ["job", "post", "role"], "be": ["be", "is"]}
SOURCES = [
    "{cut} _{0,3} {job}",  # a bounded gap: matches reach a few tokens around "cut"
    "{be} a|an? _{0,2} moron",
    "layoff+",  # an unbounded repeat: its group reads the whole post
    "_ _ disaster",  # needs "disaster" only
    "=rivalco",
]
WORDS = [
    "cut",
    "slash",
    "axe",
    "job",
    "post",
    "role",
    "is",
    "a",
    "an",
    "moron",
    "layoff",
    "disaster",
    "rivalco",
    "the",
    "of",
    "we",
    "will",
    "many",
    ".",
    "!",
]


def analysis(text: str) -> Analysis:
    tokens = tuple(Token(m.group(), m.group(), m.start(), m.end()) for m in re.finditer(r"\S+", text))
    return Analysis(text=text, lang="en", langs=("en",), tokens=tokens, sentences=((0, len(text)),))


def compiled() -> dict[str, list[list[dict[str, Any]]]]:
    return {f"key{index}": compile_pattern(source, LISTS) for index, source in enumerate(SOURCES)}


def one_matcher(
    patterns: dict[str, list[list[dict[str, Any]]]], post: Analysis
) -> dict[str, list[tuple[int, int]]]:
    """What the patterns gave before they were filed by anchor: one Matcher, the whole post."""
    matcher = Matcher(vocab())
    for key, each in patterns.items():
        matcher.add(key, each, greedy="LONGEST")
    doc, words = post_doc(post)
    spans: dict[str, list[tuple[int, int]]] = {}
    for match_id, start, end in matcher(doc):
        spans.setdefault(vocab().strings[match_id], []).append(
            (words.spans[start][0], words.spans[end - 1][1])
        )
    return {key: sorted(found) for key, found in spans.items()}


def sorted_matches(patterns: TokenPatterns, post: Analysis) -> dict[str, list[tuple[int, int]]]:
    return {key: sorted(found) for key, found in patterns.matches(post).items()}


def test_a_match_at_the_very_start_or_end_of_a_post_is_found() -> None:
    patterns = TokenPatterns(compiled())
    post = analysis("axe the role")
    assert patterns.matches(post) == {"key0": [(0, 12)]}
    post = analysis("we will slash many of the post")
    assert patterns.matches(post)["key0"] == [(8, 30)]


def test_a_post_without_any_anchor_word_runs_no_matcher() -> None:
    assert TokenPatterns(compiled()).matches(analysis("we will hire many people")) == {}


def test_overlapping_matches_of_one_key_keep_the_longest() -> None:
    post = analysis("cut the job post")
    assert TokenPatterns(compiled()).matches(post)["key0"] == [(0, 16)]


def test_random_posts_give_what_one_matcher_of_every_pattern_gives() -> None:
    patterns = compiled()
    anchored = TokenPatterns(patterns)
    draw = random.Random(7)
    for _ in range(300):
        post = analysis(" ".join(draw.choice(WORDS) for _ in range(draw.randint(1, 40))))
        assert sorted_matches(anchored, post) == one_matcher(patterns, post), post.text
