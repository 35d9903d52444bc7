"""No test reads outside the repository: the guard in conftest.py catches a test that tries."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import BESIDE, OPEN_GUARD, REPO, OutsideRepository, outside_repository


def test_a_file_beside_the_repository_or_elsewhere_is_outside_it() -> None:
    beside = REPO.parent / "shared" / "corpus" / "posts_dev.jsonl"
    if BESIDE is not None:
        assert outside_repository(beside) == str(beside.resolve())
    assert outside_repository("/septfois-nowhere/posts.jsonl") == "/septfois-nowhere/posts.jsonl"
    assert outside_repository(REPO / "tests" / "data" / "corpus" / "posts_dev_sample.jsonl") is None


def test_opening_a_file_outside_the_repository_fails_while_a_test_runs() -> None:
    elsewhere = Path("/septfois-nowhere/guard-probe.txt")
    with pytest.raises(OutsideRepository, match=r"/septfois-nowhere/guard-probe\.txt"):
        elsewhere.open(encoding="utf-8")
    assert OPEN_GUARD.opened == [str(elsewhere)]
    OPEN_GUARD.opened.clear()  # seen; the fixture would otherwise fail this test at teardown


def test_temporary_files_and_the_repository_can_be_opened(tmp_path: Path) -> None:
    (tmp_path / "note.txt").write_text("ok", encoding="utf-8")
    assert (tmp_path / "note.txt").read_text(encoding="utf-8") == "ok"
    assert "septfois" in (REPO / "pyproject.toml").read_text(encoding="utf-8")
