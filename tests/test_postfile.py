"""Post files: front matter read and checked, findings placed in the file, past dates, quiet periods."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

import pytest

from conftest import DATA
from septfois.config import Config, QuietPeriod
from septfois.errors import InputError, SeptfoisError
from septfois.findings.engine import Checker
from septfois.model import Level, Post
from septfois.sources.postfile import parse_post_file, render_post_file

POSTS = DATA / "posts"
QUIET = POSTS / "quiet_period_before_results.toml"


def read(name: str) -> str:
    return (POSTS / name).read_text(encoding="utf-8")


def test_front_matter_gives_the_post_its_context_and_the_body_its_place_in_the_file() -> None:
    found = parse_post_file(read("price_forecast_in_quiet_period.md"), "p.md")
    assert found.text == "Big news for our investors.\nOur share price will double by spring."
    assert found.body_line == 8
    assert read("price_forecast_in_quiet_period.md")[found.body_offset :].startswith("Big news")
    assert found.post.platforms == ("x", "linkedin")
    assert (found.post.account, found.post.lang, found.post.kind) == ("brand", "en", "post")
    assert found.post.publish_at == datetime(2099, 2, 10, 9, 0, tzinfo=timezone(timedelta(hours=1)))


def test_a_file_without_front_matter_is_all_body_without_the_final_newline() -> None:
    found = parse_post_file("Bonjour à tous.\n", "p.txt")
    assert (found.text, found.meta, found.body_line, found.body_offset) == ("Bonjour à tous.", {}, 1, 0)


def test_a_reply_to_makes_the_post_a_reply_and_acknowledged_rules_reach_the_post() -> None:
    found = parse_post_file(
        '+++\nreply_to = "https://x.com/a/status/1"\n'
        '[[acknowledged]]\nrule = "humour.irony"\nreason = "ok"\n+++\nHi',
        "p.md",
    )
    assert found.post.kind == "reply"
    assert found.post.acknowledged == ("humour.irony",)
    assert found.text == "Hi"


@pytest.mark.parametrize(
    ("text", "meta"),
    [
        ("Bonjour.", {}),
        ("\nStarts with a blank line\n", {"lang": "fr"}),
        ("+++\nlooks like front matter", {}),
        ("Deux lignes\net une fin\n\n", {"platforms": ["x"], "publish_at": datetime(2099, 1, 1, tzinfo=UTC)}),
        ('Quote " \\ back', {"reply_to": 'a "q" \\ id', "acknowledged": [{"rule": "a.b", "reason": "r"}]}),
        ("", {"kind": "reply"}),
    ],
)
def test_rendering_then_parsing_gives_back_the_same_text_and_meta(text: str, meta: dict[str, object]) -> None:
    parsed = parse_post_file(render_post_file(text, meta), "p.md")
    assert parsed.text == text
    assert dict(parsed.meta) == meta


def test_rendering_without_meta_writes_no_front_matter() -> None:
    assert render_post_file("Bonjour.", {}) == "Bonjour.\n"


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        ("unclosed_front_matter.md", ":1: front matter opened with +++ is never closed"),
        ("invalid_toml_front_matter.md", ":3: front matter: Invalid value"),
        ("unknown_front_matter_key.md", ":3: plateforms: unknown front matter key"),
        ("publish_at_without_offset.md", ":3: publish_at: expected an RFC 3339 date-time with its UTC"),
        ("acknowledged_without_reason.md", ":6: acknowledged: sensitive.price-guarantee: say why"),
    ],
)
def test_a_malformed_front_matter_is_an_error_naming_the_file_and_line(fixture: str, expected: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_post_file(read(fixture), fixture)
    assert str(caught.value).startswith(fixture + expected)


def test_check_reports_a_malformed_front_matter_with_exit_2(run_cli) -> None:
    path = POSTS / "unknown_front_matter_key.md"
    result = run_cli(["check", str(path)])
    assert result.code == 2
    assert f"{path}:3: plateforms: unknown front matter key" in result.err


def test_check_locates_findings_in_the_file_as_the_author_sees_it(run_cli) -> None:
    path = POSTS / "price_forecast_in_quiet_period.md"
    result = run_cli(["check", "--format", "json", str(path)])
    import json

    finding = json.loads(result.out)["results"][0]["findings"][0]
    assert finding["rule"] == "sensitive.price-forecast"
    assert (finding["line"], finding["column"]) == (9, 5)
    content = path.read_text(encoding="utf-8")
    assert content[finding["start"] : finding["end"]] == finding["match"]


def test_a_quiet_period_raises_a_scheduled_market_finding_to_error_and_says_why(run_cli) -> None:
    path = POSTS / "price_forecast_in_quiet_period.md"
    outside = run_cli(["check", str(path)])
    inside = run_cli(["check", "--config", str(QUIET), str(path)])
    assert outside.code == 0 and ":9:5: warning sensitive:market [sensitive.price-forecast]" in outside.out
    assert inside.code == 1 and ":9:5: error sensitive:market [sensitive.price-forecast]" in inside.out
    assert "inside a quiet period (2099-01-15 to 2099-02-20): weeks before the annual results." in inside.out


def test_a_quiet_period_leaves_other_dates_and_other_categories_alone(checker: Checker) -> None:
    periods = (QuietPeriod("2099-01-15", "2099-02-20", "results"),)
    quiet = Checker(Config(quiet_periods=periods), packs=checker.packs)
    post = Post("Our share price will double by spring.", lang="en")
    after = quiet.check(replace(post, publish_at=datetime(2099, 2, 21, 0, 30, tzinfo=UTC)))
    last_day = quiet.check(replace(post, publish_at=datetime(2099, 2, 20, 23, 30, tzinfo=UTC)))
    unscheduled = quiet.check(post)
    assert [f.level for f in after.findings] == [Level.WARNING]
    assert [f.level for f in last_day.findings] == [Level.ERROR]
    assert [f.level for f in unscheduled.findings] == [Level.WARNING]
    joke = Post("Je plaisante, mdr", lang="fr")
    scheduled_joke = quiet.check(replace(joke, publish_at=datetime(2099, 2, 1, tzinfo=UTC)))
    assert scheduled_joke.findings
    assert [f.level for f in scheduled_joke.findings] == [f.level for f in quiet.check(joke).findings]


def test_a_quiet_period_that_is_not_a_date_is_refused_when_the_checker_is_built(checker: Checker) -> None:
    with pytest.raises(SeptfoisError, match=r"quiet_period\[0\]\.end: expected a date"):
        Checker(Config(quiet_periods=(QuietPeriod("2099-01-15", "soon", "results"),)), packs=checker.packs)


def test_a_publish_at_in_the_past_is_a_warning_pointing_at_its_line(run_cli) -> None:
    path = POSTS / "publish_at_in_the_past.md"
    result = run_cli(["check", str(path)])
    assert result.code == 0
    assert f"{path}:3:1: warning schedule [schedule.publish-in-past]" in result.out
    assert "2001-09-01T09:00+02:00" in result.out


def test_the_past_is_measured_from_the_time_the_check_is_given(checker: Checker) -> None:
    post = Post("Merci à toute l'équipe.", lang="fr", publish_at=datetime(2030, 1, 1, 9, tzinfo=UTC))
    before = checker.check(post, now=datetime(2029, 12, 31, tzinfo=UTC))
    after = checker.check(post, now=datetime(2030, 1, 1, 10, tzinfo=UTC), ui_lang="fr")
    assert [f.rule for f in before.findings] == []
    assert [(f.rule, f.category, f.level) for f in after.findings] == [
        ("schedule.publish-in-past", "schedule", Level.WARNING)
    ]
    assert "déjà passée" in after.findings[0].message


def test_an_acknowledged_rule_is_silent_for_that_post_only(run_cli) -> None:
    acknowledged = run_cli(["check", str(POSTS / "price_guarantee_acknowledged.md")])
    risky = "We guarantee a 20% return to every investor this year."
    plain = run_cli(["check", "--lang", "en", "-"], stdin=risky)
    assert acknowledged.code == 0 and "no findings" in acknowledged.out
    assert plain.code == 1 and "[sensitive.price-guarantee]" in plain.out


def test_front_matter_wins_over_the_command_line_and_fills_in_from_it(run_cli) -> None:
    import json

    path = POSTS / "clean_scheduled.md"
    result = run_cli(["check", "--format", "json", "--platform", "mastodon", str(path)])
    report = json.loads(result.out)["results"][0]
    assert report["lang"] == "fr"
    assert list(report["platforms"]) == ["linkedin"]
