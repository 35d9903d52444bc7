"""Shared fixtures: one loaded checker for the session, and the command line run in-process."""

from __future__ import annotations

import io
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

from septfois.config import Config
from septfois.findings.engine import Checker

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "tests" / "data"
# Labelled posts copied from the invented dev corpus, chosen for what they exercise (see its README).
DEV_SAMPLE = DATA / "corpus" / "posts_dev_sample.jsonl"


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads or writes the real user's configuration, packs or drafts."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / ".local" / "state"))
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(home / "run"))
    # Commands run in-process, never through a background server (tests/test_daemon.py removes this).
    monkeypatch.setenv("SEPTFOIS_NO_DAEMON", "1")


@pytest.fixture(scope="session")
def checker() -> Checker:
    """The built-in packs with default settings, loaded once (spaCy models load on first use)."""
    return Checker(Config())


@dataclass
class Run:
    code: int
    out: str
    err: str


@pytest.fixture
def run_cli(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator:
    """Run `septfois ARGS` in this process (models stay loaded), with stdin bytes, in `tmp_path`."""
    from septfois.cli.main import main

    def run(argv: Sequence[str], stdin: bytes | str | None = None, *, tty: bool = False) -> Run:
        data = stdin.encode("utf-8") if isinstance(stdin, str) else (stdin or b"")
        fake_in = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8")
        fake_in.isatty = lambda: tty  # type: ignore[method-assign]
        out, err = io.StringIO(), io.StringIO()
        out.buffer = io.BytesIO()  # type: ignore[attr-defined]
        monkeypatch.setattr(sys, "stdin", fake_in)
        monkeypatch.setattr(sys, "stdout", out)
        monkeypatch.setattr(sys, "stderr", err)
        code = main(list(argv))
        return Run(code, out.getvalue(), err.getvalue())

    monkeypatch.chdir(tmp_path)
    yield run
