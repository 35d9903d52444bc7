"""Findings of one category on the same words are one finding, at the highest level, naming the others."""

from __future__ import annotations

import json

from septfois.findings.engine import Checker
from septfois.model import Level, Post


def test_laughter_in_a_brand_post_about_layoffs_is_one_humour_finding(checker: Checker) -> None:
    post = Post("We're laying off 200 people this week lol", lang="en", account="brand")
    humour = [f for f in checker.check(post).findings if f.category == "humour"]
    assert len(humour) == 1
    assert humour[0].level == Level.ERROR
    assert humour[0].match == "lol"
    assert set(humour[0].also) == {"humour.laughter-in-brand-voice", "humour.laughter-marker"}


def test_two_rules_on_overlapping_words_of_one_category_become_the_wider_one(checker: Checker) -> None:
    post = Post("We're laying off 200 people this week.", lang="en")
    legal = [f for f in checker.check(post).findings if f.category == "sensitive:legal-hr"]
    assert [f.match for f in legal] == ["laying off 200 people"]
    assert "sensitive.layoffs" in legal[0].also


def test_a_run_of_the_same_marker_is_one_finding_over_the_whole_run(checker: Checker) -> None:
    report = checker.check(Post("😂😂 We are laying off 50 people", lang="en", account="brand"))
    humour = [f for f in report.findings if f.category == "humour"]
    assert [(f.start, f.end, f.match) for f in humour] == [(0, 2, "😂😂")]


def test_findings_of_different_categories_on_the_same_words_stay_apart(checker: Checker) -> None:
    report = checker.check(Post("We're laying off 200 people this week lol", lang="en", account="brand"))
    categories = [f.category for f in report.findings]
    assert categories.count("humour") == categories.count("sensitive:legal-hr") == 1


def test_the_merged_finding_names_the_others_in_json_and_text(run_cli) -> None:
    done = run_cli(
        ["check", "--account", "brand", "--format", "json", "-"], "We're laying off 200 people lol"
    )
    humour = [f for f in json.loads(done.out)["results"][0]["findings"] if f["category"] == "humour"]
    assert [f["also"] for f in humour] == [["humour.laughter-in-brand-voice", "humour.laughter-marker"]]
    done = run_cli(["check", "--account", "brand", "-"], "We're laying off 200 people lol")
    assert "    also: humour.laughter-in-brand-voice, humour.laughter-marker" in done.out
