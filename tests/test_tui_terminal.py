"""The installed `septfois` entry point in a real terminal (tmux): type a post, read the screen, send it."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

TMUX = shutil.which("tmux")
POST = "Les prix vont exploser mdr"


def entry_point() -> str:
    beside = Path(sys.executable).with_name("septfois")
    return str(beside) if beside.exists() else (shutil.which("septfois") or "septfois")


class Terminal:
    """A headless tmux session on its own server socket, 120x40."""

    def __init__(self, socket: str) -> None:
        self.socket = socket

    def tmux(self, *args: str) -> str:
        assert TMUX is not None
        done = subprocess.run([TMUX, "-L", self.socket, *args], capture_output=True, text=True, timeout=30)
        return done.stdout

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", "ui")

    def keys(self, *keys: str) -> None:
        self.tmux("send-keys", "-t", "ui", *keys)

    def type(self, text: str) -> None:
        self.tmux("send-keys", "-t", "ui", "-l", text)

    def wait_for(self, found: Callable[[str], bool], timeout: float, what: str) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.screen()
            if found(screen):
                return screen
            time.sleep(0.2)
        raise AssertionError(f"{what} did not appear within {timeout} s; the screen was:\n{self.screen()}")


@pytest.fixture
def terminal() -> Iterator[Terminal]:
    if TMUX is None:
        pytest.skip("tmux is not installed")
    term = Terminal(f"septfois-test-{os.getpid()}")
    yield term
    term.tmux("kill-server")


def test_septfois_with_no_arguments_opens_the_editor_in_a_terminal_and_prints_the_sent_post(
    terminal: Terminal, tmp_path: Path
) -> None:
    (tmp_path / "septfois.toml").write_text('platforms = ["x"]\nsend_countdown = 1\n', encoding="utf-8")
    home = tmp_path / "home"
    env = {
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
        "TERM": "xterm-256color",
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
    }
    exports = " ".join(f"{name}={shlex.quote(value)}" for name, value in env.items())
    out, code = tmp_path / "out.txt", tmp_path / "code.txt"
    # stdout goes to a file, as in `septfois | posting-tool`: the UI must still draw on the terminal.
    command = f"env -i {exports} {shlex.quote(entry_point())} > {out}; echo $? > {code}"
    script = f"cd {shlex.quote(str(tmp_path))} && {command}"
    terminal.tmux(
        "new-session", "-d", "-s", "ui", "-x", "120", "-y", "40", f"sh -c {shlex.quote(script)}; sleep 60"
    )

    terminal.wait_for(lambda s: "septfois" in s and "Send" in s, 30, "the editor")
    terminal.type(POST)
    screen = terminal.wait_for(lambda s: "finding(s)" in s, 180, "the findings")
    assert POST in screen
    assert "sensitive:market" in screen
    assert f"X {len(POST)}/280" in screen

    terminal.keys("C-t")
    terminal.wait_for(lambda s: "Seven turns" in s, 20, "the send gate")
    for _ in range(6):
        terminal.keys("Enter")
        terminal.keys("Down")
    terminal.wait_for(lambda s: "You can send." in s, 20, "the end of the countdown")
    terminal.keys("p")
    deadline = time.monotonic() + 30
    while not code.exists() or not code.read_text().strip():
        assert time.monotonic() < deadline, f"septfois did not exit; the screen was:\n{terminal.screen()}"
        time.sleep(0.2)
    assert code.read_text().strip() == "0"
    assert out.read_text(encoding="utf-8") == POST
