"""The pattern rule type's prefilter (where a match may start) finds what a full scan finds."""

from __future__ import annotations

import random
import unicodedata

import pytest
import regex

from conftest import DATA, corpus_texts
from septfois.analysis.textmap import fold_text
from septfois.analysis.value import Analysis
from septfois.findings.packs import builtin_pack_paths
from septfois.findings.prefilter import Starts, match_starts, opening_assertions
from septfois.findings.ruletypes.pattern import _matches, _matches_at, _opening_positions


def builtin_rule_tables() -> list[dict]:
    import tomllib

    return [
        rule
        for path in builtin_pack_paths()
        for rule in tomllib.loads(path.read_text(encoding="utf-8")).get("rule", [])
    ]


def example_texts() -> list[str]:
    """The must_flag and must_pass texts of every built-in rule: where the patterns do match."""
    texts = []
    for rule in builtin_rule_tables():
        for example in [*rule["must_flag"], *rule["must_pass"]]:
            texts.append(example if isinstance(example, str) else example["text"])
    return texts


def scan_and_anchored_search(
    compiled: regex.Pattern[str], starts: Starts | None, text: str, accents: bool
) -> tuple[list, list | None]:
    """(spans a full scan finds, spans the anchored search finds or None when it would scan whole)."""
    analysis = Analysis(text=text, lang="fr")
    view = analysis.view(accents=accents, case=False)
    scanned = [m.span() for m in _matches(compiled, view.text)]
    candidates = starts.positions(analysis, view, accents=accents) if starts else None
    if candidates is None:
        return scanned, None
    return scanned, [m.span() for m in _matches_at(compiled, view.text, candidates)]


def test_anchored_pattern_search_finds_what_a_full_scan_finds_for_every_builtin_pattern() -> None:
    texts = [*corpus_texts(), *example_texts()]
    checked = anchored = 0
    for rule in builtin_rule_tables():
        if rule["type"] != "pattern" or (starts := match_starts(rule["pattern"])) is None:
            continue
        flags = regex.UNICODE | regex.VERSION1 | (0 if rule.get("case_sensitive") else regex.IGNORECASE)
        compiled = regex.compile(rule["pattern"], flags)
        for text in texts:
            try:
                scanned, found = scan_and_anchored_search(
                    compiled, starts, text, rule.get("fold_accents", False)
                )
            except TimeoutError:
                continue  # a full scan of a long post may run out of time on a loaded machine
            if found is not None:
                assert found == scanned, (rule["id"], text)
                anchored += 1
        checked += 1
    assert checked >= 30
    assert anchored > 0.9 * checked * len(texts)  # the shortcut is the rule, scanning whole the exception


@pytest.mark.parametrize(
    ("pattern", "starts"),
    [
        (r"\bfoo(?:bar)?", {"foo"}),
        (r"(?<=\d\s?%.{0,60})\b(?:guerre|war)s?\b", {"guerre", "war"}),
        (r"(?i)Straße", {"strasse"}),
        (r"[ée]t[ée]", {"é", "e"}),
        (r"(?:ab)+c|\d{2}", {"ab"}),
        (r"(?:|a)b", {"a", "b"}),  # an empty alternative: what follows may start the match
        (r"(?:ab)*c", {"ab", "c"}),
        (r"(?:a\s+)?(?:poster|envoyer)\b", {"a", "poster", "envoyer"}),
        (r"(?:^|[\n.!?]\s*)exclusif\s*:", {"\n", ".", "!", "?", "exclusif"}),
    ],
)
def test_what_a_pattern_starts_with_is_read_from_its_first_consuming_item(
    pattern: str, starts: set[str]
) -> None:
    found = match_starts(pattern)
    assert found is not None
    assert found.strings | found.bounded == frozenset(starts)
    assert found.unanchored == ()


@pytest.mark.parametrize(
    ("pattern", "anywhere", "at_boundaries"),
    [
        (r"\bfoo|bar", {"bar"}, {"foo"}),
        (r"(?:\b)?foo", {"foo"}, {"foo"}),  # the optional \b may be skipped: foo is tried everywhere
        (r"x?\b(?:-|ab)", {"x"}, {"-", "ab"}),
        (r"(?a)\bfoo", {"foo"}, set()),  # ASCII boundaries are not the ones looked up
        (r"\bfoo(?a:x)", {"foo"}, set()),
    ],
)
def test_a_start_behind_a_word_boundary_is_tried_only_at_word_boundaries(
    pattern: str, anywhere: set[str], at_boundaries: set[str]
) -> None:
    found = match_starts(pattern)
    assert found is not None
    assert (found.strings, found.bounded) == (frozenset(anywhere), frozenset(at_boundaries))


def test_an_alternative_that_may_start_anywhere_is_known_by_what_it_needs() -> None:
    pattern = r"\b(?:jeunes?\s+et\s+dynamiques?|(?:\w+\s+){1,2}need\s+not\s+apply)"
    found = match_starts(pattern)
    assert found is not None
    assert found.bounded == frozenset({"jeune"})
    assert found.unanchored == ((frozenset({"need"}), frozenset({"not"}), frozenset({"apply"})),)
    compiled = regex.compile(pattern, regex.UNICODE | regex.VERSION1 | regex.IGNORECASE)
    # Without "apply", the alternative cannot match: only "jeune" is tried.
    scanned, anchored = scan_and_anchored_search(compiled, found, "Jeunes et dynamiques, we need you", True)
    assert anchored == scanned == [(0, 20)]
    # With all it needs, the text is scanned whole.
    scanned, anchored = scan_and_anchored_search(compiled, found, "Women need NOT apply", True)
    assert anchored is None
    assert scanned == [(0, 20)]


@pytest.mark.parametrize(
    "pattern",
    [
        r"(?:foo){e<=1}",  # fuzzy matching: braces the standard library reads as text
        r"[[:alpha:]]+x",  # a nested set
        r"[\w--\d]x",  # set difference
        r"(?:|a)",  # may match empty text
        r"(?:ab)*c?",
        r"\p{Lu}\w+",  # a property class starts anywhere, and nothing literal follows
        r"(?:\w+\s+){1,2}\w+",
        r"(?<name>a)",  # syntax only the regex module knows
        r"\X",
    ],
)
def test_a_pattern_whose_start_is_unsure_is_scanned_whole(pattern: str) -> None:
    regex.compile(pattern, regex.VERSION1)  # each is a valid `regex` pattern
    assert match_starts(pattern) is None


# Pieces random patterns are made of: what the start analysis must read right, in every combination.
_ATOMS = [
    "a", "b", "ab", "ba", "é", "ß", "1", r"\d", r"\w", r"\s", ".", "[ab]", "[^a]", r"[\d,]", r"\p{L}",
    "(?:a|)", "(?:ab|b)", "(?:a|b|c)",
]  # fmt: skip
_QUANTIFIERS = ["", "", "", "?", "*", "+", "{2}", "{0,2}", "+?", "??"]
_ASSERTIONS = [
    "", "", r"\b", r"\B", "(?:\\b)?", r"(?<!\w)", r"(?<=a)", "(?=b)", "(?!a)", "^", r"(?<=\d\s?.{0,3})",
]  # fmt: skip


def random_pattern(rng: random.Random, depth: int = 0) -> str:
    items = []
    for _ in range(rng.randint(1, 3)):
        if depth < 2 and rng.random() < 0.3:
            inner = "|".join(random_pattern(rng, depth + 1) for _ in range(rng.randint(1, 3)))
            atom = rng.choice(["(?:{})", "({})", "(?>{})"]).format(inner)
        else:
            atom = rng.choice(_ATOMS)
        items.append(rng.choice(_ASSERTIONS) + atom + rng.choice(_QUANTIFIERS))
    return "".join(items)


def test_anchored_search_finds_what_a_full_scan_finds_for_random_patterns() -> None:
    rng = random.Random(7)
    alphabet = "aabbcé ßSS1,\nxÉ"
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30))) for _ in range(40)]
    texts += ["ab ba abab", "a1 b22 ,3 abc", "Straße STRASSE", "\nab\n\nba"]
    by_starts = by_opening = 0
    for _ in range(500):
        pattern = random_pattern(rng)
        if rng.random() < 0.3:
            pattern = f"{pattern}|{random_pattern(rng)}"
        if rng.random() < 0.3:
            pattern = rng.choice([r"\b", r"(?<!\w)", "(?=a|b)", r"(?<![\p{L}\d])(?!ab)"]) + pattern
        try:
            compiled = regex.compile(pattern, regex.UNICODE | regex.VERSION1 | regex.IGNORECASE)
        except regex.error:
            continue
        starts = match_starts(pattern)
        opening = opening_assertions(pattern, longest_lookbehind=rng.choice([None, 2]))
        opening_compiled = regex.compile(opening, compiled.flags) if opening else None
        by_starts += starts is not None
        by_opening += opening is not None
        for text in texts:
            analysis = Analysis(text=text, lang="fr")
            view = analysis.view(accents=False, case=False)
            expected = [m.span() for m in _matches(compiled, view.text)]
            tried = []
            candidates = starts.positions(analysis, view, accents=False) if starts else None
            if candidates is not None:
                tried.append(candidates)
            if opening_compiled is not None:
                holds = _opening_positions(opening_compiled, view.text)
                tried.append(holds)
                if candidates is not None:
                    tried.append(sorted(set(candidates) & set(holds)))
            for places in tried:
                assert [m.span() for m in _matches_at(compiled, view.text, places)] == expected, (
                    pattern,
                    text,
                )
    assert by_starts > 150
    assert by_opening > 100


@pytest.mark.parametrize(
    ("pattern", "opening"),
    [
        (r"\bfoo", r"\b"),
        (r"(?<![\w$])\$[A-Z]", r"(?<![\w$])"),
        ("(?x)\n  (?<!\\p{L})(?<!\\d)   # not after a word\n  (?=x)  abc", r"(?x)(?<!\p{L})(?<!\d)(?=x)"),
        (r"(?<=[)(])x", r"(?<=[)(])"),
        (r"(?<=[]a])x", r"(?<=[]a])"),
        (r"(?<=\))x", r"(?<=\))"),
        ("(?x)(?=a # a comment with a )\n)b", "(?x)(?=a # a comment with a )\n)"),
        (r"(?s)\A(?=.{0,9}\Z)a", r"(?s)\A(?=.{0,9}\Z)"),
    ],
)
def test_the_assertions_a_pattern_opens_with_are_cut_out_of_its_source(pattern: str, opening: str) -> None:
    assert opening_assertions(pattern) == opening


def test_a_lookbehind_reaching_far_back_can_be_left_out_of_the_opening_assertions() -> None:
    pattern = r"\b(?<!\bno\s+(?:\w+\s+){1,3})(?<![\p{L}\d])(?=\w{3})foo"
    assert opening_assertions(pattern) == r"\b(?<!\bno\s+(?:\w+\s+){1,3})(?<![\p{L}\d])(?=\w{3})"
    assert opening_assertions(pattern, longest_lookbehind=8) == r"\b(?<![\p{L}\d])(?=\w{3})"
    assert opening_assertions(r"(?<=abcdefghij)x", longest_lookbehind=8) is None


@pytest.mark.parametrize(
    "pattern",
    [
        "abc",
        r"(?=a)?b",  # a quantified assertion does not have to hold
        r"[(](?=a)",
        r"(?<=[[a-z]--[aeiou]])x",  # a nested set: read differently by the standard library
        r"(?<=a",
    ],
)
def test_a_pattern_without_sure_opening_assertions_has_none(pattern: str) -> None:
    assert opening_assertions(pattern) is None


def test_rewritten_builtin_patterns_find_what_they_found_before() -> None:
    """tests/data/slow_builtin_patterns.toml keeps the patterns as they were; the rewrites in rules/ must
    flag exactly the same spans (on the accent-folded text those rules read)."""
    import tomllib

    before = tomllib.loads((DATA / "slow_builtin_patterns.toml").read_text(encoding="utf-8"))["rule"]
    now = {rule["id"]: rule for rule in builtin_rule_tables()}
    texts = [
        *corpus_texts(),
        *example_texts(),
        "ΐ ι\u0308\u0301x İi\u0307x ß ẞ ǰ ﬃ 5h1t 4ss, a$$hole, I'm such an asshole, k1ll 2 connards",
        "Recrutons un profil motivé, 25-35 ans ; candidat de moins de 30 ans uniquement. Hiring: under 30",
    ]
    assert len(before) == 3
    for old in before:
        rule = now[old["id"]]
        assert rule["pattern"] != old["pattern"], old["id"]
        flags = regex.UNICODE | regex.VERSION1 | (0 if rule.get("case_sensitive") else regex.IGNORECASE)
        slow, fast = regex.compile(old["pattern"], flags), regex.compile(rule["pattern"], flags)
        flagged = 0
        for text in texts:
            view = (
                Analysis(text=text, lang="fr").view(accents=rule.get("fold_accents", False), case=False).text
            )
            expected = [m.span() for m in slow.finditer(view)]
            assert [m.span() for m in fast.finditer(view)] == expected, (old["id"], text)
            flagged += bool(expected)
        assert flagged >= 5, old["id"]  # the texts do exercise the pattern


def test_a_letter_or_digit_set_reads_as_a_letter_or_a_digit_on_accent_folded_text() -> None:
    """Why `(?<!\\p{L})(?<!\\d)` may stand for `(?<![\\p{L}\\d])` in the accent-folded rules (case-
    insensitive, full case folding): one character matches the set exactly when it is a letter or a digit,
    and the set's matches of several characters (full case folding: "ΐ" as "ι" + two marks) end with a
    letter or with a combining mark, which accent folding removes. Planes 2-13 and 15-16 hold no cased
    character (ideographs, private use)."""
    flags = regex.UNICODE | regex.VERSION1 | regex.IGNORECASE
    codes = [*range(1, 0xD800), *range(0xE000, 0x20000), *range(0xE0000, 0xE1000)]
    chars = [chr(code) for code in codes if not unicodedata.combining(chr(code))]
    spaced = "\x00".join(chars)  # no two characters side by side: each is matched alone
    in_set = [m.span() for m in regex.finditer(r"[\p{L}\d]", spaced, flags)]
    either = [m.span() for m in regex.finditer(r"\p{L}|\d", spaced, flags)]
    assert in_set == either
    assert len(in_set) > 50_000
    # Full case folding (CaseFolding.txt's F entries, as str.casefold applies them) is what lets the set
    # match several characters: each such folding ends with a letter or a combining mark.
    expanding = [chr(code) for code in codes if len(chr(code).casefold()) > 1]
    assert len(expanding) > 100
    for ch in expanding:
        last = ch.casefold()[-1]
        assert regex.fullmatch(r"\p{L}", last, flags) or unicodedata.combining(last), hex(ord(ch))
    assert not any(unicodedata.combining(ch) for ch in fold_text("".join(chars), accents=True, case=False))
