"""The engine gives the same findings whichever path checks a post; its shortcuts match what they replace."""

from __future__ import annotations

import json
import os
import random
import re
import time
import unicodedata
from pathlib import Path

import pytest
import regex

from septfois.analysis.nlp import pipeline
from septfois.analysis.textmap import fold_text
from septfois.analysis.value import Analysis
from septfois.cli.formats import jsonl_line
from septfois.findings.detectors import names
from septfois.findings.engine import Checker
from septfois.findings.lexicon import Lexicon, _surface_pattern, _without_overlaps
from septfois.findings.packs import builtin_pack_paths, load_pack
from septfois.findings.ruletypes.pattern import (
    Starts,
    _matches,
    _matches_at,
    _opening_positions,
    match_starts,
    opening_assertions,
)
from septfois.sources.inputs import parse_batch_line

DATA = Path(__file__).resolve().parent / "data"
DEV = DATA / "corpus" / "posts_dev_sample.jsonl"


def corpus_lines() -> list[str]:
    return [line for line in DEV.read_text(encoding="utf-8").splitlines() if line.strip()]


def corpus_texts() -> list[str]:
    return [json.loads(line)["text"] for line in corpus_lines()]


def builtin_rule_tables() -> list[dict]:
    import tomllib

    return [
        rule
        for path in builtin_pack_paths()
        for rule in tomllib.loads(path.read_text(encoding="utf-8")).get("rule", [])
    ]


def test_check_one_by_one_check_many_and_the_jsonl_command_give_the_same_bytes(
    checker: Checker, run_cli
) -> None:
    items = [parse_batch_line(line, str(DEV), number) for number, line in enumerate(corpus_lines(), start=1)]
    sources = [f"{DEV}:{number}" for number in range(1, len(items) + 1)]
    single = [
        jsonl_line(item.id, checker.check(item.post, source=source))
        for item, source in zip(items, sources, strict=True)
    ]
    reports = checker.check_many([item.post for item in items], sources=sources)
    many = [jsonl_line(item.id, report) for item, report in zip(items, reports, strict=True)]
    result = run_cli(["check", "--jsonl", str(DEV), "--fail-on", "never"])
    assert result.code == 0, result.err
    assert len(single) == len(items) == len(corpus_lines()) > 50
    assert many == single
    assert result.out.splitlines(keepends=True) == single
    assert any('"findings": [{' in line for line in single)  # the corpus does exercise the rules


def test_check_many_of_nothing_is_nothing(checker: Checker) -> None:
    assert checker.check_many([]) == []


def test_a_post_checked_inside_a_batch_of_other_posts_gets_its_lone_report(checker: Checker) -> None:
    from septfois.model import Post

    post = Post(text="Marie Dupont est en arrêt maladie pour son cancer, on lui souhaite bon courage 😂")
    alone = checker.check(post)
    crowd = checker.check_many([Post(text=text) for text in corpus_texts()[:40]] + [post])
    assert crowd[-1] == alone
    assert {finding.rule for finding in alone.findings} >= {"anonymity.named-health"}


def test_skipping_the_ner_where_it_cannot_matter_finds_the_same_names() -> None:
    french = [json.loads(line)["text"] for line in corpus_lines() if json.loads(line)["lang"] == "fr"]
    items = [(text, ("fr",)) for text in french]
    fr = pipeline("fr")
    skipping = fr.analyse_many(items)
    complete = fr.analyse_many(items, all_entities=True)
    assert [names(a) for a in skipping] == [names(a) for a in complete]
    assert sum(bool(a.entities) for a in complete) > sum(bool(a.entities) for a in skipping)


@pytest.mark.parametrize(
    "terms",
    [
        ("plaisant*", "second degré", "l'argent", "jusqu'à", "😂", "#ad", "/s", "c-est", "a_b"),
        ("killer", "killer feature", "kill*", "ex-collègue", "œuvre", "go", "go go"),
    ],
)
def test_indexed_surface_matching_finds_what_each_terms_regular_expression_finds(
    terms: tuple[str, ...],
) -> None:
    texts = [
        "Je plaisantais, second  degré\u00a0! L'argent jusqu'à 😂😂 #ad #adverts /s c-est a_b",
        "KILLER feature, killers, killer\nfeature, Ex-collègue, Œuvre, go go go, gogo, ago",
        *corpus_texts()[:60],
    ]
    lexicon = Lexicon(terms, lemmas=False)
    for text in texts:
        analysis = Analysis(text=text, lang="fr")
        view = analysis.view(accents=True, case=True)
        expected = []
        for term in terms:
            folded = lexicon._fold(term)
            anywhere = re.compile(f"(?=({_surface_pattern(folded)}))")
            expected.extend(
                view.span(m.start(1), m.end(1)) for m in anywhere.finditer(view.text) if m.group(1)
            )
        assert lexicon.find(analysis) == _without_overlaps(expected), text


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


def test_a_pack_file_is_compiled_once_until_it_changes(tmp_path: Path) -> None:
    source = Path(builtin_pack_paths()[0]).read_text(encoding="utf-8")
    path = tmp_path / "pack.toml"
    path.write_text(source, encoding="utf-8")
    an_hour_ago = time.time() - 3600
    os.utime(path, (an_hour_ago, an_hour_ago))
    first = load_pack(path)
    assert load_pack(path) is first
    path.write_text(source.replace('level = "warning"', 'level = "error"', 1), encoding="utf-8")
    os.utime(path, (an_hour_ago + 60, an_hour_ago + 60))
    changed = load_pack(path)
    assert changed is not first
    assert [r.level for r in changed.rules] != [r.level for r in first.rules]


def test_a_pack_written_just_now_is_read_again_at_the_next_load(tmp_path: Path) -> None:
    path = tmp_path / "pack.toml"
    path.write_text(Path(builtin_pack_paths()[0]).read_text(encoding="utf-8"), encoding="utf-8")
    assert load_pack(path) is not load_pack(path)


def test_a_batch_checked_by_worker_processes_gives_the_same_bytes_as_one_process(
    run_cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from septfois.cli import check_cmd
    from septfois.cli.main import EXIT_ERROR

    pools: list[object] = []

    class CountedPool(check_cmd.ProcessPoolExecutor):
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            pools.append(self)

    monkeypatch.setattr(check_cmd, "ProcessPoolExecutor", CountedPool)
    batch = tmp_path / "posts.jsonl"
    lines = corpus_lines() * 2
    batch.write_text("\n".join([*lines[:70], "{not json", *lines[70:]]) + "\n", encoding="utf-8")
    monkeypatch.setenv("SEPTFOIS_BATCH_WORKERS", "0")
    alone = run_cli(["check", "--jsonl", str(batch)])
    assert pools == []
    monkeypatch.setenv("SEPTFOIS_BATCH_WORKERS", "2")
    shared = run_cli(["check", "--jsonl", str(batch)])
    assert len(pools) == 1
    assert shared.out == alone.out
    assert len(shared.out.splitlines()) == len(lines) > 2 * check_cmd.BATCH_LINES
    assert (shared.code, shared.err) == (alone.code, alone.err)
    assert shared.code == EXIT_ERROR  # the bad line is reported, and the others checked
    assert ":71" in shared.err


def test_a_process_with_its_models_loaded_hands_even_the_first_batch_to_the_workers(
    run_cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from septfois.cli import check_cmd

    Checker().load_models()
    submitted: list[int] = []

    class CountedPool(check_cmd.ProcessPoolExecutor):
        def submit(self, fn, /, *args, **kwargs):  # type: ignore[no-untyped-def]
            submitted.append(len(args[0]))
            return super().submit(fn, *args, **kwargs)

    monkeypatch.setattr(check_cmd, "ProcessPoolExecutor", CountedPool)
    monkeypatch.setenv("SEPTFOIS_BATCH_WORKERS", "2")
    batch = tmp_path / "posts.jsonl"
    batch.write_text("\n".join((corpus_lines() * 2)[:100]) + "\n", encoding="utf-8")
    result = run_cli(["check", "--jsonl", str(batch)])
    assert result.err == ""
    assert submitted == [check_cmd.BATCH_LINES, 100 - check_cmd.BATCH_LINES]
    assert len(result.out.splitlines()) == 100


def test_a_batch_of_a_single_batch_is_checked_without_workers(
    run_cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from septfois.cli import check_cmd

    pools: list[object] = []
    monkeypatch.setattr(check_cmd, "ProcessPoolExecutor", lambda *a, **k: pools.append(a))
    monkeypatch.setenv("SEPTFOIS_BATCH_WORKERS", "2")
    batch = tmp_path / "posts.jsonl"
    batch.write_text("\n".join(corpus_lines()[:10]) + "\n", encoding="utf-8")
    assert len(run_cli(["check", "--jsonl", str(batch)]).out.splitlines()) == 10
    assert pools == []


def test_other_threads_stop_batch_workers_unless_declared_safe(monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    from septfois.cli import check_cmd

    monkeypatch.delenv("SEPTFOIS_BATCH_WORKERS", raising=False)
    cores = len(os.sched_getaffinity(0))
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        monkeypatch.setattr(check_cmd, "other_threads_fork_safe", False)
        assert check_cmd.batch_workers() == 0
        monkeypatch.setattr(check_cmd, "other_threads_fork_safe", True)
        assert check_cmd.batch_workers() == (min(cores, check_cmd.MAX_WORKERS) if cores > 1 else 0)
    finally:
        release.set()
        other.join()


@pytest.mark.parametrize(("setting", "workers"), [("0", 0), ("1", 0), ("2", 2), (" 3 ", 3)])
def test_the_number_of_batch_workers_can_be_set(
    monkeypatch: pytest.MonkeyPatch, setting: str, workers: int
) -> None:
    from septfois.cli.check_cmd import batch_workers

    monkeypatch.setenv("SEPTFOIS_BATCH_WORKERS", setting)
    assert batch_workers() == workers


def test_a_number_of_batch_workers_that_is_not_a_number_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    from septfois.cli.check_cmd import batch_workers
    from septfois.cli.main import UsageError

    monkeypatch.setenv("SEPTFOIS_BATCH_WORKERS", "many")
    with pytest.raises(UsageError, match="SEPTFOIS_BATCH_WORKERS"):
        batch_workers()


def test_normalising_a_plain_text_at_once_gives_what_normalising_each_cluster_gives() -> None:
    from septfois.analysis.textmap import _normalise_by_cluster, normalise

    texts = [
        *corpus_texts(),
        "Ohm \u2126, \u0958, e\u0301, \u0301lone, \u1100\u1161\u11a8, \u1161",
        "C'est l\u2019été\u00a0!\r\n👍🏽 🇫🇷",
        "cafe\u0301 \u212b \ufb01 \u0344",
    ]
    texts += [f"a{chr(code)}b" for code in range(0x20000) if not 0xD800 <= code <= 0xDFFF]
    at_once = 0
    for text in texts:
        assert normalise(text) == _normalise_by_cluster(text), ascii(text)
        at_once += normalise(text).origin == tuple(range(len(text) + 1))
    assert at_once > 0.9 * len(texts)


def test_content_words_are_counted_as_a_pairwise_look_at_every_skipped_span_counts_them() -> None:
    from septfois.findings.ruletypes.metric import EMOJI, HASHTAG, LINK, MENTION, WORD, _content_words

    def pairwise(text: str) -> int:
        skip = [m.span() for p in (HASHTAG, MENTION, LINK, EMOJI) for m in p.finditer(text)]
        return sum(1 for m in WORD.finditer(text) if not any(s <= m.start() < e for s, e in skip))

    texts = [
        *corpus_texts(),
        # Replies as tweets are written, with the mention, tag, link and emoji the count must skip.
        *(f"@user {text} #tag https://x.y/{index} 😂" for index, text in enumerate(corpus_texts()[:60])),
        "#a#b @x@y.z https://x.y/#tag 😂👍🏽 mot #mot, a #b-c d ##x #",
    ]
    skipped = 0
    for text in texts:
        counted, _ = _content_words(Analysis(text=text, lang="en"))
        assert counted == pairwise(text), text
        skipped += counted < len(WORD.findall(text))
    assert skipped > 50
