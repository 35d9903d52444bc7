"""Input that used to end a run with exit 3 or lose good posts: each is reported where it is, exit 2."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import DATA, REPO
from septfois.errors import InputError
from septfois.sources.schedule import MAX_SCHEDULE_POSTS, parse_schedule

INPUTS = DATA / "inputs"
GOOD = "Merci à toute l’équipe, bravo !"


def _ids(out: str) -> list[object]:
    return [json.loads(line)["id"] for line in out.splitlines()]


@pytest.mark.parametrize(
    ("fixture", "problem"),
    [
        ("batch_with_a_lone_surrogate_escape.jsonl", "lone surrogate"),
        ("batch_with_a_4301_digit_integer.jsonl", "more than 4,300 digits"),
        ("batch_with_a_list_inside_platform.jsonl", "platform: expected a list of strings"),
    ],
)
def test_a_hostile_jsonl_line_is_reported_by_number_and_its_neighbours_are_checked(
    run_cli, fixture: str, problem: str
) -> None:
    result = run_cli(["check", "--jsonl", str(INPUTS / fixture)])
    assert result.code == 2
    assert f"{fixture}:2: " in result.err
    assert problem in result.err
    assert "internal error" not in result.err
    assert _ids(result.out) == ["before", "after"]


def _batch_with_bad_lines_among_many(tmp_path: Path) -> tuple[Path, list[int], list[int]]:
    """300 lines (several batches of 64), four hostile ones among them, one far into the file."""
    bad = {
        5: '{"id": 5, "text": "caf\\ud800e"}',
        70: '{"id": ' + "9" * 4301 + ', "text": "x"}',
        150: "[" * 100_000 + "]" * 100_000,
        290: '{"id": 290, "text": "x", "platform": [["x"]]}',
    }
    lines = [bad.get(n, json.dumps({"id": n, "text": f"{GOOD} ({n})"})) for n in range(1, 301)]
    path = tmp_path / "batch_with_four_hostile_lines.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path, sorted(bad), [n for n in range(1, 301) if n not in bad]


@pytest.mark.parametrize("workers", ["0", "2"])
def test_hostile_lines_among_many_lose_nothing_else_with_or_without_batch_workers(
    run_cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: str
) -> None:
    path, bad, good = _batch_with_bad_lines_among_many(tmp_path)
    monkeypatch.setenv("SEPTFOIS_BATCH_WORKERS", workers)
    result = run_cli(["check", "--jsonl", str(path)])
    assert result.code == 2
    assert _ids(result.out) == good
    reported = [int(line.split(f"{path}:")[1].split(":")[0]) for line in result.err.splitlines()]
    assert reported == bad


def test_a_list_in_front_matter_platforms_is_an_error_naming_its_line(run_cli) -> None:
    result = run_cli(["check", str(DATA / "posts" / "platforms_holding_a_list.md")])
    assert result.code == 2
    assert "platforms_holding_a_list.md:2: platforms: expected a list of" in result.err


def test_a_closed_stdin_is_an_error_not_an_internal_one(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO / "src"), "SEPTFOIS_NO_DAEMON": "1"}
    for argv in (["check", "-"], ["check", "--jsonl", "-"], []):
        done = subprocess.run(
            [sys.executable, "-m", "septfois", *argv],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            env=env,
            cwd=tmp_path,
            # The child's fd 0 is closed before Python starts, as `<&-` does in a shell.
            preexec_fn=lambda: os.close(0),
            timeout=120,
        )
        assert done.returncode == 2, (argv, done.stderr)
        assert "internal error" not in done.stderr


def test_a_schedule_with_more_posts_than_the_limit_is_refused_before_any_is_checked() -> None:
    rows = "".join(f"2026-01-31 09:30,Bonjour {n}\n" for n in range(MAX_SCHEDULE_POSTS + 1))
    with pytest.raises(InputError, match="more than 10,000 posts in one schedule"):
        parse_schedule("date,message\n" + rows, "rows.csv")


def test_a_schedule_at_the_limit_is_read() -> None:
    rows = "".join(f"2026-01-31 09:30,Bonjour {n}\n" for n in range(MAX_SCHEDULE_POSTS))
    assert len(parse_schedule("date,message\n" + rows, "rows.csv")) == MAX_SCHEDULE_POSTS


def test_a_schedule_cell_longer_than_the_csv_module_allows_is_a_post_not_a_crash() -> None:
    long = "a" * 200_000
    posts = parse_schedule(f'date,message\n2026-01-31 09:30,"{long}"\n', "long_cell.csv")
    assert posts[0].post.text == long


def test_a_staged_post_with_a_list_in_front_matter_platforms_fails_the_hook_with_exit_2(
    run_cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    post = tmp_path / "posts" / "launch.md"
    post.parent.mkdir()
    post.write_bytes((DATA / "posts" / "platforms_holding_a_list.md").read_bytes())
    subprocess.run(["git", "add", "posts/launch.md"], cwd=tmp_path, check=True)
    result = run_cli(["hook", "run"])
    assert result.code == 2
    assert "posts/launch.md:2: platforms: expected a list of" in result.err
    assert "internal error" not in result.err
