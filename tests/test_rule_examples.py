"""Every built-in rule fires on each of its must_flag examples and on none of its must_pass examples."""

from __future__ import annotations

import pytest

from septfois.config import Config
from septfois.findings.engine import Checker
from septfois.findings.packs import builtin_pack_paths, load_pack
from septfois.findings.selftest import failures, run_examples

PACKS = [load_pack(path) for path in builtin_pack_paths()]
RULES = [rule for pack in PACKS for rule in pack.rules]


@pytest.mark.parametrize("rule", RULES, ids=[rule.id for rule in RULES])
def test_rule_examples_behave(rule, checker: Checker) -> None:
    pack = next(pack for pack in PACKS if pack.id == rule.pack)
    only = [type(pack)(pack.id, pack.version, pack.title, pack.languages, (rule,), pack.file)]
    problems = [failure.describe() for failure in failures(only, Config())]
    assert problems == []


def test_every_rule_has_examples_both_ways() -> None:
    assert RULES
    for rule in RULES:
        assert rule.must_flag and rule.must_pass, rule.id


def test_a_rule_whose_example_does_not_behave_is_reported(run_cli) -> None:
    from conftest import DATA

    result = run_cli(["rules", "test", str(DATA / "packs" / "failing_example.toml")])
    assert result.code == 1
    assert "demo.ok: must_pass example flagged: 'haha encore'" in result.out
    assert "1 rules, 2 examples: 1 passed, 1 failed" in result.out


def test_run_examples_covers_every_example() -> None:
    pack = load_pack(builtin_pack_paths()[0])
    ran = list(run_examples([pack], Config()))
    assert len(ran) == sum(len(r.must_flag) + len(r.must_pass) for r in pack.rules)
