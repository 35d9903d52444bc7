"""A progress bar on stderr for long checks, drawn only when stderr is a terminal."""

from __future__ import annotations

import time
from typing import TextIO

from septfois.i18n import Messages

WIDTH = 24  # characters of the bar itself
INTERVAL = 0.1  # seconds between redraws: drawing costs nothing next to checking, but floods a slow terminal


class Progress:
    """`advance()` as work gets done; `close()` erases the bar so that what follows starts on a clean line.

    Off (every call does nothing) unless `stream` is a terminal: piped or redirected, stderr carries
    only diagnostics.
    """

    def __init__(self, stream: TextIO, total: int | None, unit: str, ui_lang: str = "en") -> None:
        self.stream, self.total, self.unit = stream, total, unit
        self.say = Messages(ui_lang)
        self.done = 0
        self.drawn = 0.0
        self.on = _isatty(stream)

    def advance(self, count: int = 1) -> None:
        self.done += count
        now = time.monotonic()
        if self.on and (now - self.drawn >= INTERVAL or self.done == self.total):
            self.drawn = now
            self.stream.write("\r" + self.line() + "\x1b[K")
            self.stream.flush()

    def line(self) -> str:
        if not self.total:
            return self.say(f"progress.{self.unit}.open", done=self.done)
        filled = min(WIDTH, WIDTH * self.done // self.total)
        counts = self.say(f"progress.{self.unit}", done=self.done, total=self.total)
        return f"[{'#' * filled}{'.' * (WIDTH - filled)}] {counts}"

    def close(self) -> None:
        if self.on and self.drawn:
            self.stream.write("\r\x1b[K")
            self.stream.flush()


def _isatty(stream: object) -> bool:
    try:
        return bool(stream is not None and stream.isatty())  # type: ignore[attr-defined]
    except (AttributeError, ValueError):
        return False
