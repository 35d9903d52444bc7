"""The past-date warning and the quiet-period escalation are rules of a pack (rules/schedule.toml): listed,
switched off and re-levelled like any other, with examples the pack's own test runs."""

from __future__ import annotations

from conftest import DATA

POSTS = DATA / "posts"
TIMING = DATA / "timing"
PAST = POSTS / "publish_at_in_the_past.md"
QUIET_POST = POSTS / "price_forecast_in_quiet_period.md"
REPO_RULES = DATA.parents[1] / "rules" / "schedule.toml"


def test_rules_list_shows_the_timing_rules(run_cli) -> None:
    result = run_cli(["rules", "list"])
    lines = {line.split()[0]: line.split()[1:] for line in result.out.splitlines() if line.strip()}
    assert lines["schedule.publish-in-past"] == ["warning", "schedule", "timing"]
    assert lines["schedule.quiet-period"] == ["error", "schedule", "timing"]


def test_disabling_the_past_date_rule_silences_it(run_cli) -> None:
    warned = run_cli(["check", str(PAST)])
    silent = run_cli(["check", "--disable", "schedule.publish-in-past", str(PAST)])
    assert "[schedule.publish-in-past]" in warned.out
    assert silent.code == 0 and "no findings" in silent.out


def test_a_quiet_period_rule_switched_off_in_the_configuration_escalates_nothing(run_cli) -> None:
    result = run_cli(["check", "--config", str(TIMING / "quiet_period_switched_off.toml"), str(QUIET_POST)])
    assert ":9:5: warning sensitive:market [sensitive.price-forecast]" in result.out
    assert "quiet period" not in result.out


def test_the_quiet_period_rule_raises_findings_to_its_own_level(run_cli) -> None:
    config = TIMING / "quiet_period_escalating_to_warning.toml"
    result = run_cli(["check", "--config", str(config), str(QUIET_POST)])
    assert ":9:5: warning sensitive:market [sensitive.price-forecast]" in result.out
    assert "inside a quiet period (2099-01-15 to 2099-02-20)" in result.out


def test_the_built_in_timing_examples_pass(run_cli) -> None:
    result = run_cli(["rules", "test", str(REPO_RULES)])
    assert result.code == 0
    assert "2 rules, 8 examples: 8 passed, 0 failed" in result.out


def test_an_example_now_without_its_offset_is_refused_naming_file_line_and_key(run_cli) -> None:
    result = run_cli(["rules", "test", str(TIMING / "example_now_without_offset.toml")])
    assert result.code == 2
    assert "example_now_without_offset.toml:20: rule[1].must_pass[1].now: expected an RFC 3339" in result.err


def test_only_a_quiet_period_rule_may_escalate(run_cli) -> None:
    result = run_cli(["rules", "test", str(TIMING / "past_rule_that_escalates.toml")])
    assert result.code == 2
    assert "past_rule_that_escalates.toml:13: rule[1].escalates: only a" in result.err
