"""A user's pack cannot hurt the host: what it costs to load and to run is bounded, or it is refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import DATA
from septfois.config import Config
from septfois.errors import PackError
from septfois.findings.engine import Checker, load_packs
from septfois.findings.packs import load_pack
from septfois.model import Post

PACKS = DATA / "packs"
VALID = (PACKS / "valid.toml").read_text(encoding="utf-8")


def test_a_pack_with_a_format_spec_placeholder_makes_the_command_exit_2(run_cli) -> None:
    result = run_cli(["check", "-", "--pack", str(PACKS / "placeholder_with_format_spec.toml")], "zorglub")
    assert result.code == 2
    assert "placeholder_with_format_spec.toml:13: rule[1].message.en" in result.err
    assert "Traceback" not in result.err


def test_a_rule_id_defined_in_two_packs_is_an_error_naming_both() -> None:
    config = Config(pack_paths=(PACKS / "valid.toml", PACKS / "same_rule_id_as_valid.toml"))
    with pytest.raises(PackError) as caught:
        load_packs(config)
    message = str(caught.value)
    assert "same_rule_id_as_valid.toml" in message and "valid.toml:7" in message
    assert "duplicate rule id 'demo.ok'" in message


def test_a_pattern_of_100000_alternatives_is_refused_before_it_is_compiled(tmp_path: Path) -> None:
    alternatives = "|".join(f"w{number}" for number in range(100_000))
    pack = tmp_path / "pattern_of_100000_alternatives.toml"
    pack.write_text(
        VALID.replace(
            'type = "lexicon"\nterms = ["zorglub"]', f'type = "pattern"\npattern = "{alternatives}"'
        ),
        encoding="utf-8",
    )
    with pytest.raises(PackError) as caught:
        load_pack(pack)
    assert caught.value.key == "rule[1].pattern" and "pattern too long" in caught.value.problem


def test_a_pack_of_100000_terms_loads_and_finds_its_terms(tmp_path: Path) -> None:
    terms = ", ".join(f'"zorglub{number}"' for number in range(100_000))
    pack = tmp_path / "lexicon_of_100000_terms.toml"
    pack.write_text(VALID.replace('terms = ["zorglub"]', f'terms = ["zorglub", {terms}]'), encoding="utf-8")
    (loaded,) = load_pack(pack).rules
    checker = Checker(packs=[load_pack(pack)])
    report = checker.check(Post(text="Un zorglub99999 est apparu.", lang="fr"))
    assert [finding.rule for finding in report.findings] == [loaded.id]


def test_a_long_match_is_quoted_short_in_its_message(checker: Checker) -> None:
    address = "a" * 5_000 + "@example.com"
    report = checker.check(Post(text=f"Écrivez-moi à {address} demain.", lang="fr"))
    quoted = [finding for finding in report.findings if finding.match == address]
    assert quoted and all(len(finding.message) < 400 for finding in quoted)


def test_a_user_pattern_that_backtracks_past_the_load_checks_is_stopped_and_named() -> None:
    pack = load_pack(PACKS / "pattern_with_overlapping_alternatives.toml")
    report = Checker(packs=[pack]).check(Post(text="a" * 40 + "b", lang="en"))
    assert report.findings == ()
    assert report.notes == ("demo.ok: pattern took too long on this text and was skipped",)


def test_built_in_patterns_run_without_a_time_bound_so_their_results_do_not_depend_on_load() -> None:
    from septfois.findings.packs import _is_builtin, builtin_pack_paths

    assert all(_is_builtin(path) for path in builtin_pack_paths())
    assert not _is_builtin(PACKS / "valid.toml")


@pytest.mark.parametrize(
    ("pattern", "refused"),
    [
        (r"(a+)+$", True),
        (r"(\w+\s?)*$", True),
        (r"(?:a{0,1000}){0,1000}b", True),
        (r"(?:\s+(?:all|just))*", False),  # each turn must match a word: one way to share the text out
        (r"(?:(?:a|an)\s+){0,4}", False),  # a few turns at most
        (r"(?>a+)+", False),  # an atomic group never gives back what it matched
    ],
)
def test_a_repeat_of_repeats_is_refused_only_when_it_can_share_a_text_out_exponentially(
    pattern: str, refused: bool
) -> None:
    import regex

    from septfois.findings.ruletypes.regexbounds import check_backtracking
    from septfois.schema import Invalid

    if refused:
        with pytest.raises(Invalid):
            check_backtracking(regex.compile(pattern), pattern, ("rule", 0, "pattern"))
    else:
        check_backtracking(regex.compile(pattern), pattern, ("rule", 0, "pattern"))
