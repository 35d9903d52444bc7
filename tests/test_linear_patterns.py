"""Built-in patterns are linear by construction: no shape whose cost grows faster than the text."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import regex
import tomllib

from conftest import DATA
from septfois.findings.ruletypes.regexbounds import linear_shape_problems

RULES = Path(__file__).resolve().parents[1] / "rules"
RUN_OPENING = "a match can start at every character of a run of"
# Shapes read in the built-in patterns when this test was written, each bounded in practice by where the
# pattern may start (its prefilter finds few candidates on the runs that would cost): a new one, or one
# more in a rule listed here, fails the suite and asks for a look. Each key is (rule id, kind of shape).
KNOWN = Counter(
    {
        ("anonymity.account-ending", "repeats"): 1,
        ("anonymity.named-grades", "repeats"): 1,
        ("anonymity.undisclosed-promotion", "repeats"): 2,
        ("anonymity.personal-official-announcement", "lookbehind"): 1,
        ("offence.insult", "lookbehind"): 1,
        ("offence.insult", "repeats"): 1,
        ("offence.threat", "repeats"): 1,
        ("offence.incitement", "lookbehind"): 3,
        ("offence.directed-profanity", "lookbehind"): 1,
        ("offence.profanity", "repeats"): 1,
        ("sensitive.price-guarantee", "repeats"): 1,
        ("sensitive.certain-forecast", "repeats"): 3,
        ("sensitive.price-forecast", "repeats"): 2,
        ("sensitive.job-cuts-figure", "repeats"): 2,
        # Its lookbehind is tried only where a tragedy word starts (the lookahead before it).
        ("sensitive.tragedy-discount", "lookbehind"): 1,
        ("sensitive.illness-as-figure", "repeats"): 1,
        ("sensitive.discriminatory-criteria", "lookbehind"): 2,
        ("sensitive.discriminatory-criteria", "repeats"): 2,
        ("substance.engagement-bait", "lookbehind"): 4,
        ("substance.engagement-bait", "repeats"): 3,
    }
)


def _kind(problem: str) -> str:
    if problem.startswith(RUN_OPENING):
        return "run opening"
    return "lookbehind" if "lookbehind" in problem else "repeats"


def _patterns(path: Path) -> list[tuple[str, str, int]]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return [
        (rule["id"], rule["pattern"], 0 if rule.get("case_sensitive") else regex.IGNORECASE)
        for rule in data.get("rule", [])
        if "pattern" in rule and rule.get("type", "pattern") == "pattern"
    ]


BUILT_IN = [pattern for path in sorted(RULES.glob("*.toml")) for pattern in _patterns(path)]


def test_the_insult_pattern_that_hung_on_a_run_of_at_signs_is_read_as_quadratic() -> None:
    ((_, source, flags),) = _patterns(DATA / "patterns" / "insult_quadratic_on_a_run_of_at_signs.toml")
    problems = linear_shape_problems(source, flags)
    assert f"{RUN_OPENING} '*@' and read the run" in problems
    assert "two unbounded repeats in a row can both read '$*5Ss'" in problems


@pytest.mark.parametrize(("rule_id", "source", "flags"), BUILT_IN, ids=[rule[0] for rule in BUILT_IN])
def test_no_built_in_pattern_can_start_at_every_character_of_a_run(
    rule_id: str, source: str, flags: int
) -> None:
    assert [p for p in linear_shape_problems(source, flags) if p.startswith(RUN_OPENING)] == []


def test_no_built_in_pattern_has_a_costly_shape_beyond_those_known() -> None:
    found = Counter(
        (rule_id, _kind(problem))
        for rule_id, source, flags in BUILT_IN
        for problem in linear_shape_problems(source, flags)
    )
    assert {key: count for key, count in found.items() if count > KNOWN[key]} == {}


@pytest.mark.parametrize(
    ("source", "shape"),
    [
        (r"(?<=\d+\s?%.{0,600})\bwar\b", "a lookbehind reaches back without bound"),
        (r"(?<=%.{0,150})\bwar\b", "a lookbehind reaches back 151 characters"),
        (r"\b[s*]+[s*]+h", "two unbounded repeats in a row can both read '*Ss'"),
        (r"\bt+o+s+s+", "two unbounded repeats in a row can both read 'Ss'"),
        (r"\bx+\s*y*\s+z", "two unbounded repeats in a row can both read"),
        (r"(?<!\w)[a@]+h", f"{RUN_OPENING} '@'"),
        (r"\s*foo", f"{RUN_OPENING} '\\t\\n\\r \\xa0'"),
    ],
)
def test_a_costly_shape_is_named(source: str, shape: str) -> None:
    assert any(problem.startswith(shape) for problem in linear_shape_problems(source))


@pytest.mark.parametrize(
    "source", [r"(?<![\w@*])[a@*]+h", r"\A\s*bonjour", r"\bs{2,}h", r"(?<=%.{0,40})\bwar\b", r"x\s+y\s+z"]
)
def test_a_linear_shape_is_let_through(source: str) -> None:
    assert linear_shape_problems(source) == []
