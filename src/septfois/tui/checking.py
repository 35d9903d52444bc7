"""The background checker: the Checker and its models live in a child process, so that no check, however
long, can hold the editor; the newest text supersedes a stale check, and a check past its budget is stopped.

Three processes take part: the editor; its check host, forked before the terminal is taken, which loads
the Checker once; and a runner the host forks from itself to check one text after another. The host
kills the runner when a check outlives the budget or a newer text waits behind a long one, and forks a
fresh one, which has the loaded models from the start.
"""

from __future__ import annotations

import gc
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING, Any

from septfois.model import Post, Report
from septfois.server.child import Child, readable

if TYPE_CHECKING:
    from septfois.findings.engine import Checker

# A newer text waiting behind a check that has run this long stops it: a short check (the usual, while
# typing) ends and shows its findings; a long one (a huge paste) would only delay the newer text's.
SUPERSEDE_AFTER_SECONDS = 0.3
# Past this many characters the platform counters are computed in the check process, beside the findings:
# X's weighted length of 1 MB takes seconds, which would hold every keystroke.
LIVE_COUNT_CHARS = 20_000


@dataclass(frozen=True)
class Count:
    """One platform's counter in the status bar; `fold` is where "see more" cuts the text, if it does.
    A `length` of -1 is a count not known yet."""

    platform: str
    length: int
    limit: int
    fits: bool
    fold: int | None


def count_platforms(
    text: str, kind: str, platforms: tuple[str, ...], settings: Mapping[str, Any]
) -> list[Count]:
    """Each platform's counter for `text`."""
    from septfois.findings.platforms import fold_offset, measure

    return [
        Count(name, found.length, found.limit, found.fits, fold_offset(name, text))
        for name in platforms
        for found in [measure(name, text, kind=kind, settings=settings)]
    ]


@dataclass(frozen=True)
class CheckRequest:
    """One version of the draft to check; `generation` grows with every edit."""

    generation: int
    post: Post
    ui_lang: str
    counted: tuple[Mapping[str, Any]] | None = None  # (platform settings,) when the runner counts the text


class CheckService:
    """The editor's side: a host process that owns the Checker, and two small threads that talk to it.

    Requests overwrite each other before they are sent, so the host always gets the newest text and never
    a queue of stale ones; a thread sends them (a send may wait while the host loads its models) and
    another reads the host's answers and hands them to the callbacks, which post messages to the app.
    """

    def __init__(
        self,
        make_checker: Callable[[], Checker],
        *,
        on_ready: Callable[[], None],
        on_report: Callable[[CheckRequest, Report, list[Count] | None], None],
        on_error: Callable[[str, str], None],
        on_stopped: Callable[[CheckRequest, float], None],
        warm_up: tuple[str, ...] = (),
        time_limit: float = 60.0,
    ) -> None:
        self._on_ready = on_ready
        self._on_report = on_report
        self._on_error = on_error
        self._on_stopped = on_stopped
        self._condition = threading.Condition()
        self._latest: CheckRequest | None = None
        self._sent: dict[int, CheckRequest] = {}  # requests the host has, by generation, until answered
        self._stopped = False
        self._host = Child.start(
            lambda connection: _host(connection, make_checker, warm_up, time_limit), quiet=True
        )
        self._threads = [
            threading.Thread(target=self._send_loop, name="septfois-check-send", daemon=True),
            threading.Thread(target=self._receive_loop, name="septfois-check-receive", daemon=True),
        ]

    def start(self) -> None:
        for thread in self._threads:
            thread.start()

    def stop(self) -> None:
        with self._condition:
            self._stopped = True
            self._condition.notify_all()
        self._host.stop()  # the host's runner dies with it

    def submit(self, request: CheckRequest) -> None:
        with self._condition:
            self._latest = request
            self._condition.notify_all()

    def _send_loop(self) -> None:
        while True:
            with self._condition:
                while self._latest is None and not self._stopped:
                    self._condition.wait()
                if self._stopped:
                    return
                request, self._latest = self._latest, None
                self._sent[request.generation] = request
            if not self._host.send(request):
                return

    def _receive_loop(self) -> None:
        while True:
            try:
                message = self._host.receive()
            except EOFError:
                if not self._stopped:
                    self._on_error("engine", "the check process ended unexpectedly")
                return
            kind = message[0]  # type: ignore[index]
            if kind == "ready":
                self._on_ready()
            elif kind == "failed":
                self._on_error(message[1], message[2])  # type: ignore[index]
            else:
                generation = message[1]  # type: ignore[index]
                with self._condition:
                    request = self._sent.pop(generation, None)
                    for older in [g for g in self._sent if g < generation]:
                        del self._sent[older]  # superseded: the host dropped them
                if request is None:
                    continue
                if kind == "report":
                    self._on_report(request, message[2], message[3])  # type: ignore[index]
                elif kind == "stopped":
                    self._on_stopped(request, message[2])  # type: ignore[index]
                else:
                    self._on_error("engine", message[2])  # type: ignore[index]


def _host(
    ui: Connection, make_checker: Callable[[], Checker], warm_up: tuple[str, ...], limit: float
) -> None:
    """In the host process: load the Checker, then have runners check the newest text within the budget."""
    from septfois.errors import SeptfoisError

    try:
        checker = make_checker()
        # Loading a language's model on first use takes seconds: pay it now, not on the first keystroke.
        for lang in warm_up:
            checker.check(Post(text="septfois", lang=lang))
    except SeptfoisError as error:
        ui.send(("failed", "packs", str(error)))
        _drain(ui)
        return
    except Exception as error:
        ui.send(("failed", "packs", f"{type(error).__name__}: {error}"))
        _drain(ui)
        return
    # What is loaded now stays put: unfrozen, each runner's first collection would copy every page of it.
    gc.collect()
    gc.freeze()
    ui.send(("ready",))
    runner: Child | None = None
    running: CheckRequest | None = None
    started = 0.0
    waiting: CheckRequest | None = None
    while True:
        if runner is None:
            runner = Child.start(lambda connection: _run_checks(connection, checker), quiet=True)
        if running is None and waiting is not None:
            running, waiting, started = waiting, None, time.monotonic()
            if not runner.send(running):
                runner.stop()
                runner = None
                continue
        timeout = None
        if running is not None:
            until = started + (min(limit, SUPERSEDE_AFTER_SECONDS) if waiting is not None else limit)
            timeout = max(0.0, until - time.monotonic())
        for source in readable([runner], [ui], timeout):
            if source is ui:
                try:
                    waiting = ui.recv()
                except (EOFError, OSError):
                    runner.stop()  # the editor has gone: so do we
                    return
            else:
                try:
                    answer = runner.receive()
                except EOFError:
                    answer = ("error", running.generation if running else -1, "the check process ended")
                    runner.stop()
                    runner = None
                ui.send(answer)
                running = None
        if running is None or runner is None:
            continue
        spent = time.monotonic() - started
        if spent >= limit:
            runner.stop()
            runner = None
            ui.send(("stopped", running.generation, limit))
            running = None
        elif waiting is not None and spent >= SUPERSEDE_AFTER_SECONDS:
            runner.stop()  # a newer text waits: this one's findings would be stale once they came
            runner = None
            running = None


def _run_checks(host: Connection, checker: Checker) -> None:
    """In a runner: check each request the host sends, answer with its report (or what went wrong)."""
    while True:
        try:
            request: CheckRequest = host.recv()
        except (EOFError, OSError):
            return
        try:
            report = checker.check(request.post, ui_lang=request.ui_lang)
            post = request.post
            counts = (
                None
                if request.counted is None
                else count_platforms(post.text, post.kind, post.platforms, request.counted[0])
            )
            host.send(("report", request.generation, report, counts))
        except Exception as error:
            host.send(("error", request.generation, f"{type(error).__name__}: {error}"))


def _drain(ui: Connection) -> None:
    """Wait, doing nothing, until the editor closes (a host that failed to load has nothing to answer)."""
    while True:
        try:
            ui.recv()
        except (EOFError, OSError):
            return
