"""Bulk schedule files: CSV rows and JSONL lines checked one by one, each finding naming its row."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone

import pytest

from conftest import DATA
from septfois.errors import InputError
from septfois.sources.schedule import parse_schedule, parse_schedule_time

POSTS = DATA / "posts"
QUIET = POSTS / "quiet_period_before_results.toml"


def read(name: str) -> str:
    return (POSTS / name).read_text(encoding="utf-8")


def test_every_csv_row_becomes_a_post_named_after_its_spreadsheet_row() -> None:
    rows = parse_schedule(read("schedule_with_risky_row.csv"), "schedule.csv")
    assert [row.source for row in rows] == ["schedule.csv:row 2", "schedule.csv:row 3", "schedule.csv:row 4"]
    assert (
        rows[1].post.text == "Nouvelle fiche produit,\ndisponible dès aujourd'hui. https://example.com/fiche"
    )
    assert rows[0].post.publish_at is not None
    assert rows[0].post.publish_at.replace(tzinfo=None) == datetime(2099, 3, 2, 9, 30)


def test_check_points_at_the_line_and_column_of_a_risky_csv_row_and_names_the_row(run_cli) -> None:
    path = POSTS / "schedule_with_risky_row.csv"
    result = run_cli(["check", str(path)])
    assert result.code == 1
    # Row 4 starts on line 5 (row 3 has a two-line cell); its message starts after "2099-03-04 18:00,".
    assert f"{path}:5:18: error sensitive:market [sensitive.price-guarantee]" in result.out
    assert f"{path}:row 4: error (1 findings;" in result.out
    assert f"{path}:row 2: no findings" in result.out


def test_a_csv_without_header_is_read_as_date_message_link_with_the_day_first(run_cli) -> None:
    path = POSTS / "schedule_without_header.csv"
    rows = parse_schedule(read("schedule_without_header.csv"), "s.csv")
    assert [row.source for row in rows] == ["s.csv:row 1", "s.csv:row 2"]
    assert rows[0].post.text.endswith(" https://example.com/lancement")
    assert rows[1].post.publish_at is not None and rows[1].post.publish_at.date().isoformat() == "2099-02-10"
    result = run_cli(["check", "--config", str(QUIET), str(path)])
    assert result.code == 1
    assert f"{path}:2:22: error sensitive:market [sensitive.price-forecast]" in result.out
    assert "weeks before the annual results" in result.out


def test_a_csv_exported_with_semicolons_keeps_commas_inside_the_message() -> None:
    rows = parse_schedule(read("schedule_with_semicolons.csv"), "s.csv")
    assert [row.post.text for row in rows] == ["Bonjour, et merci à toute l'équipe pour ce lancement."]
    assert rows[0].post.publish_at == datetime(2099, 3, 2, 9, 30, tzinfo=timezone(timedelta(hours=1)))


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        ("schedule_with_bad_date.csv", "s.csv:row 3: date: not a date and time"),
        ("schedule_without_message_column.csv", "s.csv:row 1: no message column"),
    ],
)
def test_a_schedule_that_cannot_be_read_names_the_row(fixture: str, expected: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_schedule(read(fixture), "s.csv")
    assert str(caught.value).startswith(expected)


def test_check_stops_with_exit_2_on_an_unreadable_row(run_cli) -> None:
    path = POSTS / "schedule_with_bad_date.csv"
    result = run_cli(["check", str(path)])
    assert result.code == 2
    assert f"{path}:row 3: date:" in result.err


def test_a_jsonl_schedule_names_lines_and_warns_of_a_past_date(run_cli) -> None:
    path = POSTS / "schedule_with_past_line.jsonl"
    result = run_cli(["check", "--format", "json", str(path)])
    reports = json.loads(result.out)["results"]
    assert [r["source"] for r in reports] == [f"{path}:1", f"{path}:2"]
    assert [[f["rule"] for f in r["findings"]] for r in reports] == [[], ["schedule.publish-in-past"]]
    assert result.code == 0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2099-03-02T09:30:00Z", datetime(2099, 3, 2, 9, 30, tzinfo=UTC)),
        ("2099-03-02T09:30:00+02:00", datetime(2099, 3, 2, 9, 30, tzinfo=timezone(timedelta(hours=2)))),
        ("02/03/2099 09:30", datetime(2099, 3, 2, 9, 30).astimezone()),
        ("2099-03-02 09:30", datetime(2099, 3, 2, 9, 30).astimezone()),
    ],
)
def test_schedule_times_are_read_in_the_forms_scheduling_tools_write(text: str, expected: datetime) -> None:
    assert parse_schedule_time(text) == expected


@pytest.mark.parametrize("text", ["2099-03-02", "02/03/2099", "31/02/2099 10:00", "tomorrow"])
def test_a_schedule_time_without_a_time_or_that_does_not_exist_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="expected 2026-01-31T09:30:00"):
        parse_schedule_time(text)
