"""Shared fixtures: one loaded checker for the session, and the command line run in-process."""

from __future__ import annotations

import io
import json
import os
import signal
import sys
import sysconfig
import tempfile
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
DEV = DEV_SAMPLE


# A shell starts a background job (`cmd &`, nohup) with Ctrl-C ignored, and an ignored signal stays
# ignored across exec: the commands the tests start and interrupt would never see their SIGINT. Give
# the suite, and so every process it starts, the disposition a terminal gives.
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)


def corpus_lines() -> list[str]:
    """The sample's JSONL lines, as `septfois check --jsonl` reads them."""
    return [line for line in DEV_SAMPLE.read_text(encoding="utf-8").splitlines() if line.strip()]


def corpus_texts() -> list[str]:
    return [json.loads(line)["text"] for line in corpus_lines()]


# Where a test may open files: the repository, the interpreter and its packages (models included), the
# system's own files and temporary folders. Not beside the repository (../shared is not in a fresh
# clone), nor anywhere else (the user's home).
def _real(*paths: str) -> tuple[str, ...]:
    return tuple(sorted({os.path.realpath(path) for path in paths}))


INTERPRETER = _real(sys.prefix, sys.base_prefix, sys.exec_prefix, *sysconfig.get_paths().values())
SYSTEM = _real(tempfile.gettempdir(), "/tmp", "/dev", "/proc", "/sys", "/etc", "/usr")
# Beside the repository is refused even inside an allowed place, unless the repository sits directly in
# a temporary folder or at the root (then its neighbours are other programs' temporary files).
_PARENT = os.path.realpath(REPO.parent)
BESIDE = None if _PARENT in (*_real(tempfile.gettempdir(), "/tmp"), "/") else _PARENT


def _under(path: str, roots: tuple[str, ...]) -> bool:
    return any(path == root or path.startswith(root.rstrip("/") + "/") for root in roots)


class OutsideRepository(RuntimeError):
    """A test opened a file outside the repository and the places every machine has."""


def outside_repository(path: object) -> str | None:
    """The absolute path when `path` (as given to open) is a place a fresh clone may not have, else None."""
    if isinstance(path, int):
        return None  # an already-open descriptor
    absolute = os.path.realpath(os.fsdecode(os.fspath(path)))  # type: ignore[arg-type]
    if _under(absolute, _real(str(REPO))) or _under(absolute, INTERPRETER):
        return None
    if BESIDE is not None and _under(absolute, (BESIDE,)):
        return absolute
    return None if _under(absolute, SYSTEM) else absolute


class OpenGuard:
    """An audit hook (it cannot be removed, so it is installed once) that is armed while a test runs."""

    def __init__(self) -> None:
        self.armed = False
        self.opened: list[str] = []

    def __call__(self, event: str, args: tuple[object, ...]) -> None:
        if event != "open" or not self.armed or not args or args[0] is None:
            return
        self.armed = False  # realpath below must not re-enter the guard
        try:
            outside = outside_repository(args[0])
        finally:
            self.armed = True
        if outside is not None:
            self.opened.append(outside)
            raise OutsideRepository(f"a test opened {outside}, outside the repository")


OPEN_GUARD = OpenGuard()
sys.addaudithook(OPEN_GUARD)


@pytest.fixture(autouse=True)
def _no_file_outside_the_repository() -> Iterator[None]:
    """Fails the test that opens a path outside the repository, even if the code under test caught it."""
    OPEN_GUARD.opened.clear()
    OPEN_GUARD.armed = True
    try:
        yield
    finally:
        OPEN_GUARD.armed = False
    assert OPEN_GUARD.opened == [], f"files opened outside the repository: {OPEN_GUARD.opened}"


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads or writes the real user's configuration, packs or drafts."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / ".local" / "state"))
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(home / "run"))
    # One cache for the whole session: what it holds (compiled patterns) is the same for every test, and
    # each command the tests start would otherwise compile spaCy's French token pattern anew (3 s).
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.getbasetemp() / "cache"))
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
