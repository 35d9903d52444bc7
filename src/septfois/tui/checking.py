"""The background checker: loads the Checker and its models off the UI thread, then checks the newest text."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from septfois.model import Post, Report

if TYPE_CHECKING:
    from septfois.findings.engine import Checker


@dataclass(frozen=True)
class CheckRequest:
    """One version of the draft to check; `generation` grows with every edit."""

    generation: int
    post: Post
    ui_lang: str


class CheckService:
    """One daemon thread that owns the Checker.

    Requests overwrite each other, so the thread always checks the newest text and never queues stale
    ones. It is a daemon thread rather than a Textual worker on purpose: quitting while spaCy is still
    loading must not wait for the load to end (the executor behind thread workers is joined at exit).
    """

    def __init__(
        self,
        make_checker: Callable[[], Checker],
        *,
        on_ready: Callable[[Checker], None],
        on_report: Callable[[CheckRequest, Report], None],
        on_error: Callable[[str, str], None],
        warm_up: tuple[str, ...] = (),
    ) -> None:
        self._make_checker = make_checker
        self._on_ready = on_ready
        self._on_report = on_report
        self._on_error = on_error
        self._warm_up = warm_up
        self._condition = threading.Condition()
        self._latest: CheckRequest | None = None
        self._stopped = False
        self._thread = threading.Thread(target=self._run, name="septfois-check", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        with self._condition:
            self._stopped = True
            self._condition.notify_all()

    def submit(self, request: CheckRequest) -> None:
        with self._condition:
            self._latest = request
            self._condition.notify_all()

    def _next(self) -> CheckRequest | None:
        with self._condition:
            while self._latest is None and not self._stopped:
                self._condition.wait()
            if self._stopped:
                return None
            request, self._latest = self._latest, None
            return request

    def _run(self) -> None:
        from septfois.errors import SeptfoisError

        try:
            checker = self._make_checker()
            # Loading a language's model on first use takes seconds: pay it now, not on the first keystroke.
            for lang in self._warm_up:
                checker.check(Post(text="septfois", lang=lang))
        except SeptfoisError as error:
            self._on_error("packs", str(error))
            return
        except Exception as error:
            self._on_error("packs", f"{type(error).__name__}: {error}")
            return
        self._on_ready(checker)
        while (request := self._next()) is not None:
            try:
                report = checker.check(request.post, ui_lang=request.ui_lang)
            except Exception as error:
                self._on_error("engine", f"{type(error).__name__}: {error}")
                continue
            self._on_report(request, report)
