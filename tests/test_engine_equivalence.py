"""The engine gives the same findings whichever path checks a post; its shortcuts match what they replace."""

from __future__ import annotations

import json
import os
import re
import time
from pathlib import Path

import pytest
import regex

from septfois.analysis import Analysis
from septfois.cli.formats import jsonl_line
from septfois.detectors import names
from septfois.engine import Checker
from septfois.inputs import parse_batch_line
from septfois.lexicon import Lexicon, _surface_pattern, _without_overlaps
from septfois.nlp import pipeline
from septfois.packs import builtin_pack_paths, load_pack
from septfois.ruletypes.pattern import _matches, _matches_at, match_starts

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
DEV = CORPUS / "posts_dev.jsonl"


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
    assert len(single) == len(items) == 240
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


def test_anchored_pattern_search_finds_what_a_full_scan_finds_for_every_builtin_pattern() -> None:
    texts = corpus_texts()
    checked = 0
    for rule in builtin_rule_tables():
        if rule["type"] != "pattern" or (starts := match_starts(rule["pattern"])) is None:
            continue
        flags = regex.UNICODE | regex.VERSION1 | (0 if rule.get("case_sensitive") else regex.IGNORECASE)
        compiled = regex.compile(rule["pattern"], flags)
        accents = rule.get("fold_accents", False)
        for text in texts:
            analysis = Analysis(text=text, lang="fr")
            view = analysis.view(accents=accents, case=False)
            candidates = starts.positions(analysis, view, accents=accents)
            assert candidates is not None
            try:
                scanned = [m.span() for m in _matches(compiled, view.text)]
            except TimeoutError:
                continue  # a full scan of a long post may run out of time on a loaded machine
            assert [m.span() for m in _matches_at(compiled, view.text, candidates)] == scanned, rule["id"]
        checked += 1
    assert checked >= 20


@pytest.mark.parametrize(
    ("pattern", "starts"),
    [
        (r"\bfoo(?:bar)?", {"foo"}),
        (r"(?<=\d\s?%.{0,60})\b(?:guerre|war)s?\b", {"guerre", "war"}),
        (r"(?i)Straße", {"strasse"}),
        (r"[ée]t[ée]", {"é", "e"}),
        (r"(?:ab)+c|\d{2}", {"ab"}),
    ],
)
def test_what_a_pattern_starts_with_is_read_from_its_first_consuming_item(
    pattern: str, starts: set[str]
) -> None:
    found = match_starts(pattern)
    assert found is not None
    assert found.strings == frozenset(starts)


@pytest.mark.parametrize(
    "pattern",
    [
        r"(?:foo){e<=1}",  # fuzzy matching: braces the standard library reads as text
        r"[[:alpha:]]+x",  # a nested set
        r"[\w--\d]x",  # set difference
        r"(?:|a)b",  # an empty alternative
        r"(?:ab)*c",  # an optional start
        r"\p{Lu}\w+",  # a property class starts anywhere
        r"(?<name>a)",  # syntax only the regex module knows
        r"\X",
    ],
)
def test_a_pattern_whose_start_is_unsure_is_scanned_whole(pattern: str) -> None:
    regex.compile(pattern, regex.VERSION1)  # each is a valid `regex` pattern
    assert match_starts(pattern) is None


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
