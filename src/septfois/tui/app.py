"""The septfois terminal app: the editor, live findings and counters, autosaved drafts and the send gate."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on
from textual.app import App, ComposeResult, SystemCommand
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Header, OptionList, Static, TextArea

from septfois.config import Config
from septfois.i18n import Messages
from septfois.model import Finding, Post, Report
from septfois.server import client
from septfois.tui.checking import LIVE_COUNT_CHARS, CheckRequest, CheckService, Count, count_platforms
from septfois.tui.drafts import DraftStore
from septfois.tui.keys import EDITOR_KEYS, bind
from septfois.tui.screens import (
    HelpScreen,
    PlatformsScreen,
    RecoverScreen,
    SaveAsScreen,
    SendChoice,
    SendGate,
)
from septfois.tui.widgets import FindingDetail, FindingsList, PostEditor, StatusBar, finding_detail

if TYPE_CHECKING:
    from septfois.findings.engine import Checker

AUTOSAVE_DELAY = 0.5  # seconds of quiet typing before the draft is written
AUTOSAVE_MAX_WAIT = 1.0  # seconds an unsaved edit may wait while typing goes on (kill -9 loses at most this)


@dataclass(frozen=True)
class SendResult:
    """What the app returns when the author sent the post: where it went, and the final text."""

    destination: str  # stdout | file | clipboard
    text: str
    path: Path | None = None


@dataclass(frozen=True)
class Opened:
    """The post the editor starts with: its text and front matter, the file it came from (if any), and the
    Post the front matter describes (parsed as `septfois check` parses it, publish_at included)."""

    text: str = ""
    meta: Mapping[str, Any] | None = None
    path: Path | None = None
    post: Post | None = None


class CheckerReady(Message):
    """The check host has loaded the Checker and its models."""


class ReportReady(Message):
    def __init__(self, request: CheckRequest, report: Report, counts: list[Count] | None = None) -> None:
        super().__init__()
        self.request = request
        self.report = report
        self.counts = counts


class CheckStopped(Message):
    """The check of `request` outlived the time budget and was stopped."""

    def __init__(self, request: CheckRequest, seconds: float) -> None:
        super().__init__()
        self.request = request
        self.seconds = seconds


class CheckFailed(Message):
    def __init__(self, kind: str, error: str) -> None:
        super().__init__()
        self.kind = kind
        self.error = error


CSS = """
#main { height: 1fr; }
#editor { width: 3fr; height: 1fr; }
#side { width: 2fr; min-width: 36; }
#findings-note { height: auto; padding: 0 1; }
#findings { height: 1fr; }
#detail-box { height: 1fr; border-top: solid $primary; padding: 0 1; }
#status { height: 1; background: $panel; padding: 0 1; }
SendGate, HelpScreen, RecoverScreen, SaveAsScreen, PlatformsScreen { align: center middle; }
#gate { width: 90%; height: 90%; border: thick $warning; background: $surface; padding: 0 1; }
#gate-findings { height: 1fr; }
#gate-detail-box { height: 1fr; border-top: solid $primary; }
#gate-status { height: 1; margin-top: 1; }
#gate-buttons { height: 3; }
#gate-buttons Button { margin-right: 1; }
#help { width: 90%; height: 90%; border: thick $primary; background: $surface; padding: 0 1; }
#recover, #saveas, #platforms { width: 70; height: auto; max-height: 90%; border: thick $primary;
    background: $surface; padding: 0 1; }
#recover Horizontal { height: 3; }
#recover-preview { margin: 1 0; }
#platforms-list { height: auto; max-height: 12; }
"""


class SeptfoisApp(App[SendResult | None]):
    """The editor. Build it with `create_app()`; tests pass their own Checker, clock and drafts folder."""

    CSS = CSS
    TITLE = "septfois"

    def __init__(
        self,
        config: Config,
        *,
        opened: Opened | None = None,
        checker: Checker | None = None,
        checker_factory: Callable[[], Checker] | None = None,
        drafts_dir: Path | None = None,
        countdown: float | None = None,
        clock: Callable[[], float] = time.monotonic,
        lang: str | None = None,
        kind: str = "post",
        cursor_blink: bool = True,
        warm_up: bool = True,
        time_limit: float | None = None,
    ) -> None:
        super().__init__()
        self.config = config
        self.messages = Messages(config.ui_language)
        self.opened = opened or Opened()
        meta = dict(self.opened.meta or {})
        self.meta = meta
        # The editor checks the Post as the front matter gave it; the toggles then change its context.
        post = self.opened.post or Post(text=self.opened.text, lang=lang, account=config.account, kind=kind)
        self.post_context = post
        self.account = post.account
        self.kind = post.kind
        self.lang: str | None = post.lang
        self.platforms: tuple[str, ...] = post.platforms or tuple(config.platforms)
        self.file_acknowledged: dict[str, str] = {
            str(item["rule"]): str(item["reason"])
            for item in meta.get("acknowledged", ())
            if isinstance(item, dict)
        }
        self.path = self.opened.path
        self.countdown = config.send_countdown if countdown is None else countdown
        self.clock = clock
        self.drafts = DraftStore(drafts_dir, self.path)
        self.cursor_blink = cursor_blink
        self._checker = checker
        self._checker_factory = checker_factory
        self._warm_up = warm_up
        # A check that outlives this is stopped with a note; the same budget as the hook's and the server's.
        self.time_limit = time_limit if time_limit is not None else client.time_limit()
        self.checker_state = "loading"  # loading | ready | failed
        self.error: str | None = None
        self.generation = 0
        self.report: Report | None = None
        self.report_generation = -1
        self.report_text: str | None = None
        self._send_pending = False
        self._sent = False
        self._autosave: Timer | None = None
        self._unsaved_since: float | None = None  # when the oldest edit not yet in the draft was made
        self._editor: PostEditor | None = None
        self._service: CheckService | None = None
        self._counts_key: tuple[object, ...] | None = None
        self._counts: list[Count] = []
        self._edit_pending = False  # the refresh after an edit is queued (a burst of keys shares one)
        bind(self, EDITOR_KEYS, self.messages)

    # -- layout --------------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        m = self.messages
        yield Header(show_clock=False, icon="7")
        with Horizontal(id="main"):
            editor = self._editor = PostEditor(self.opened.text, id="editor", placeholder=m("placeholder"))
            editor.cursor_blink = self.cursor_blink
            yield editor
            with Vertical(id="side"):
                yield Static(id="findings-note")
                yield FindingsList(id="findings")
                yield Vertical(FindingDetail(m("detail.empty"), id="detail"), id="detail-box")
        yield StatusBar(id="status")
        yield Footer(compact=True)

    @property
    def editor(self) -> PostEditor:
        # Held, not looked up: an autosave may fire while the app tears its screens down, and the
        # draft must still be readable then.
        assert self._editor is not None, "the editor exists from the first compose"
        return self._editor

    @property
    def findings(self) -> tuple[Finding, ...]:
        return self.report.findings if self.report else ()

    def on_load(self) -> None:
        # Before the terminal is taken: the check host is forked while this process has no other thread.
        self._start_checker()

    def on_mount(self) -> None:
        self.sub_title = str(self.path) if self.path else self.messages("subtitle.untitled")
        self.query_one("#findings", FindingsList).border_title = self.messages("findings.title")
        self.editor.focus()
        self._refresh_note()
        self._refresh_counters()
        self._offer_draft()

    def _start_checker(self) -> None:
        given = self._checker

        def make() -> Checker:
            if given is not None:
                return given
            if self._checker_factory is not None:
                return self._checker_factory()
            from septfois.findings.engine import Checker

            return Checker(self.config)

        self._service = CheckService(
            make,
            on_ready=lambda: self.post_message(CheckerReady()),
            on_report=lambda request, report, counts: self.post_message(ReportReady(request, report, counts)),
            on_error=lambda kind, error: self.post_message(CheckFailed(kind, error)),
            on_stopped=lambda request, seconds: self.post_message(CheckStopped(request, seconds)),
            warm_up=self.config.languages if self._warm_up else (),
            time_limit=self.time_limit,
        )
        self._service.start()

    def _offer_draft(self) -> None:
        draft = self.drafts.load()
        if draft is None or not draft.text.strip() or draft.text == self.opened.text:
            return
        when = draft.saved_at.astimezone().strftime("%Y-%m-%d %H:%M")

        def answer(recover: bool | None) -> None:
            if recover:
                editor = self.editor
                # An edit rather than a reload, so ctrl+z brings the file's text back.
                editor.replace(draft.text, (0, 0), editor.document.end)
                self.account, self.kind = draft.account, draft.kind
                self._refresh_counters()
            else:
                self.drafts.discard()

        self.push_screen(RecoverScreen(self.messages, draft.text, when), answer)

    # -- checking ------------------------------------------------------------------------------------
    def current_post(self) -> Post:
        return replace(
            self.post_context,
            text=self.editor.text,
            lang=self.lang,
            platforms=self.platforms,
            account=self.account,
            kind=self.kind,
            acknowledged=tuple(self.file_acknowledged),
        )

    def request_check(self) -> None:
        self.generation += 1
        self._submit()

    def _submit(self) -> None:
        if self._service is not None:
            post = self.current_post()
            # A long text's counters cost seconds (X weighs every character): the check process counts it.
            counted = (dict(self.config.platform_settings),) if len(post.text) > LIVE_COUNT_CHARS else None
            self._service.submit(CheckRequest(self.generation, post, self.messages.lang, counted))

    def is_settled(self) -> bool:
        """The findings shown belong to the text and settings as they are now (for tests and benchmarks)."""
        return self.checker_state == "failed" or (
            self.checker_state == "ready" and self.report_generation == self.generation
        )

    def _screens_gone(self) -> bool:
        """The screens are gone: a message the checker sent before the app closed has nowhere to show."""
        return not self.editor.is_attached

    @on(CheckerReady)
    def _checker_arrived(self, message: CheckerReady) -> None:
        if self._screens_gone():
            return
        self.checker_state = "ready"
        self.request_check()
        self._refresh_note()
        self._refresh_status()

    @on(ReportReady)
    def _report_arrived(self, message: ReportReady) -> None:
        if self._screens_gone() or message.request.generation <= self.report_generation:
            return  # an older text than the one already shown
        self.report = message.report
        self.report_generation = message.request.generation
        self.report_text = message.request.post.text
        if message.counts is not None:
            post = message.request.post
            self._counts_key, self._counts = (post.text, post.kind, post.platforms), message.counts
        if self.error and self.checker_state == "ready":
            self.error = None
        self.query_one("#findings", FindingsList).show(self.findings, self.messages)
        self._refresh_marks()
        self._refresh_note()
        self._refresh_status()
        self._sync_to_cursor()
        if self._send_pending and self.is_settled():
            self._send_pending = False
            self._open_gate()

    @on(CheckStopped)
    def _check_stopped(self, message: CheckStopped) -> None:
        # A newer text is on its way to the checker: its own check decides what is shown.
        if self._screens_gone() or message.request.generation != self.generation:
            return
        self._failed("time", self.messages("error.time", seconds=f"{message.seconds:g}"))

    @on(CheckFailed)
    def _check_failed(self, message: CheckFailed) -> None:
        if self._screens_gone():
            return
        key = "error.packs" if message.kind == "packs" else "error.engine"
        self._failed(message.kind, self.messages(key, error=message.error))

    def _failed(self, kind: str, error: str) -> None:
        self.error = error
        if kind == "packs":
            self.checker_state = "failed"
        else:
            # The failed text counts as settled, so that sending is not stuck waiting for it.
            self.report_generation = self.generation
        self.notify(self.error, severity="error", timeout=8)
        self._refresh_note()
        self._refresh_status()
        if self._send_pending:
            self._send_pending = False
            self._open_gate()

    @on(TextArea.Changed, "#editor")
    def _changed(self) -> None:
        # Counted at once, so that the findings shown never pass for those of the new text; the rest
        # (counters, highlights, the request to the checker) waits behind the keys already queued: a
        # burst of keys, as from a paste the terminal does not bracket, is followed by one refresh.
        self.generation += 1
        if not self._edit_pending:
            self._edit_pending = True
            self.call_later(self._after_edit)
        # Saved once typing pauses, and also while it goes on: no edit waits more than AUTOSAVE_MAX_WAIT.
        now = time.monotonic()
        if self._unsaved_since is None:
            self._unsaved_since = now
        delay = min(AUTOSAVE_DELAY, max(0.01, self._unsaved_since + AUTOSAVE_MAX_WAIT - now))
        if self._autosave is not None:
            self._autosave.stop()
        self._autosave = self.set_timer(delay, self.save_draft)

    def _after_edit(self) -> None:
        self._edit_pending = False
        if self._screens_gone():
            return
        self._submit()
        self._refresh_counters()
        self._refresh_note()

    def save_draft(self) -> None:
        self._unsaved_since = None
        text = self.editor.text
        try:
            if text.strip() and text != self.opened.text:
                self.drafts.save(text, account=self.account, kind=self.kind)
            else:
                self.drafts.discard()
        except OSError as error:
            self.notify(f"{self.drafts.path}: {error}", severity="error")

    # -- display -------------------------------------------------------------------------------------
    def _refresh_note(self) -> None:
        m = self.messages
        note = self.query_one("#findings-note", Static)
        if self.error:
            note.update(Text(self.error, style="bold red"))
        elif self.checker_state == "loading":
            note.update(Text(m("findings.loading"), style="italic yellow"))
        elif not self.findings:
            note.update(Text(m("findings.none"), style="green"))
        else:
            note.update(Text(m("findings.count", count=len(self.findings)), style="bold"))

    def counts(self) -> list[Count]:
        """Each chosen platform's count of the text as it is now, remembered until text or context change.

        Counting X's weighted length takes tens of milliseconds on a long post, and the status bar is
        redrawn both on each keystroke and on each report: the second time comes from the memo.
        """
        text = self.editor.text
        key = (text, self.kind, self.platforms)
        if self._counts_key != key:
            if len(text) > LIVE_COUNT_CHARS:
                # Counted by the check process; until it answers, the lengths are shown as pending.
                limits = count_platforms("", self.kind, self.platforms, self.config.platform_settings)
                return [replace(count, length=-1, fold=None) for count in limits]
            self._counts = count_platforms(text, self.kind, self.platforms, self.config.platform_settings)
            self._counts_key = key
        return self._counts

    def _refresh_marks(self) -> None:
        folds = [count.fold for count in self.counts() if count.fold is not None]
        self.editor.mark(self.findings, folds)

    def _refresh_counters(self) -> None:
        self._refresh_status()
        self._refresh_marks()

    def _refresh_status(self) -> None:
        from septfois.findings.platforms import PLATFORMS

        m = self.messages
        status = Text()
        # Counters first: at 80 columns what comes last is cut, and the analysis label is long.
        if not self.platforms:
            status.append(m("status.no_platforms"), style="dim")
            status.append("  ")
        for count in self.counts():
            over = count.length > count.limit or not count.fits
            status.append(f"{PLATFORMS[count.platform].title} ", style="dim")
            if count.length < 0:
                status.append(f"…/{count.limit}", style="dim")
            else:
                status.append(f"{count.length}/{count.limit}", style="bold red" if over else "green")
            if count.fold is not None:
                status.append(f" ✂{count.fold}", style="magenta")
            status.append("  ")
        status.append("│  ")
        status.append(m(f"account.{self.account}"), style="bold")
        status.append(" · ")
        status.append(m(f"kind.{self.kind}"), style="bold")
        status.append("  │  ")
        if self.checker_state == "loading":
            status.append(m("status.loading"), style="italic yellow")
        elif self.checker_state == "failed":
            status.append(m("status.failed"), style="bold red")
        elif self.report is not None:
            status.append(m("status.lang", lang=self.report.lang, analysis=self.report.analysis))
        if self.lang:
            status.append(f" ({m('status.lang.forced', lang=self.lang)})", style="dim")
        self.query_one("#status", StatusBar).update(status)

    def _finding_at_cursor(self) -> int | None:
        if self.report_text != self.editor.text:
            return None
        offset = self.editor.offset_of(self.editor.cursor_location)
        under = [
            index
            for index, finding in enumerate(self.findings)
            if finding.start <= offset <= finding.end and finding.end > finding.start
        ]
        # Findings may share a span (an info and an error on one word): the one chosen in the list stays.
        chosen = self.query_one("#findings", FindingsList).highlighted
        if chosen in under:
            return chosen
        return under[0] if under else None

    def _sync_to_cursor(self) -> None:
        index = self._finding_at_cursor()
        if index is not None:
            listing = self.query_one("#findings", FindingsList)
            if listing.highlighted != index:
                listing.highlighted = index
            self._show_detail(index)

    def _show_detail(self, index: int) -> None:
        if 0 <= index < len(self.findings):
            self.query_one("#detail", FindingDetail).update(
                finding_detail(self.findings[index], self.messages)
            )

    @on(TextArea.SelectionChanged, "#editor")
    def _cursor_moved(self) -> None:
        self._sync_to_cursor()

    @on(OptionList.OptionHighlighted, "#findings")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self._show_detail(event.option_index)

    @on(OptionList.OptionSelected, "#findings")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.go_to_finding(event.option_index)

    def go_to_finding(self, index: int) -> None:
        """Show a finding's detail and put the editor's cursor at the start of its span."""
        if not 0 <= index < len(self.findings):
            return
        finding = self.findings[index]
        self._show_detail(index)
        listing = self.query_one("#findings", FindingsList)
        if listing.highlighted != index:
            listing.highlighted = index
        editor = self.editor
        editor.move_cursor(editor.location_of(finding.start))
        editor.scroll_cursor_visible()
        editor.focus()

    # -- actions -------------------------------------------------------------------------------------
    def action_help(self) -> None:
        self.push_screen(HelpScreen(self.messages))

    def action_next_finding(self) -> None:
        self._step_finding(+1)

    def action_previous_finding(self) -> None:
        self._step_finding(-1)

    def _step_finding(self, step: int) -> None:
        if not self.findings:
            return
        offset = self.editor.offset_of(self.editor.cursor_location)
        starts = [finding.start for finding in self.findings]
        if step > 0:
            later = [index for index, start in enumerate(starts) if start > offset]
            self.go_to_finding(later[0] if later else 0)
        else:
            earlier = [index for index, start in enumerate(starts) if start < offset]
            self.go_to_finding(earlier[-1] if earlier else len(starts) - 1)

    def action_apply_fix(self) -> None:
        """Apply the replacement of the finding under the cursor, or else of the one selected in the list."""
        index = self._finding_at_cursor()
        if index is None:
            index = self.query_one("#findings", FindingsList).highlighted
        text = self.editor.text
        if index is None or not 0 <= index < len(self.findings):
            self.notify(self.messages("no.replacement"), severity="warning")
            return
        finding = self.findings[index]
        if finding.replacement is None or text[finding.start : finding.end] != finding.match:
            self.notify(self.messages("no.replacement"), severity="warning")
            return
        editor = self.editor
        editor.replace(
            finding.replacement, editor.location_of(finding.start), editor.location_of(finding.end)
        )
        editor.focus()
        self.notify(self.messages("applied", match=finding.match, replacement=finding.replacement))

    def action_toggle_account(self) -> None:
        self.account = "brand" if self.account == "personal" else "personal"
        self._context_changed()

    def action_toggle_reply(self) -> None:
        self.kind = "reply" if self.kind == "post" else "post"
        self._context_changed()

    def action_cycle_language(self) -> None:
        order: list[str | None] = [None, *self.config.languages]
        self.lang = order[(order.index(self.lang) + 1) % len(order)] if self.lang in order else None
        self._context_changed()

    def action_platforms(self) -> None:
        def chosen(platforms: tuple[str, ...] | None) -> None:
            if platforms is not None:
                self.platforms = platforms
                self._context_changed()

        self.push_screen(PlatformsScreen(self.messages, self.platforms), chosen)

    def _context_changed(self) -> None:
        self.request_check()
        self._refresh_counters()

    def action_send(self) -> None:
        """Open the send gate once the findings match the text as it is now."""
        if self.is_settled():
            self._open_gate()
        else:
            self._send_pending = True
            self.notify(
                self.messages("findings.checking")
                if self.checker_state == "ready"
                else self.messages("status.loading")
            )

    def _open_gate(self) -> None:
        error = (
            self.error
            if self.checker_state == "failed" or (self.error and self.report_text != self.editor.text)
            else None
        )
        gate = SendGate(
            self.findings,
            self.messages,
            countdown=self.countdown,
            clock=self.clock,
            acknowledged=self.file_acknowledged,
            error=error,
        )
        self.push_screen(gate, self._gate_closed)

    def _gate_closed(self, choice: SendChoice | None) -> None:
        if choice is None:
            self.editor.focus()
            return
        text = self.editor.text
        if choice.destination == "stdout":
            self._finish(SendResult("stdout", text))
        elif choice.destination == "clipboard":
            copy_to_clipboard(self, text)
            self._finish(SendResult("clipboard", text))
        else:

            def written(path: Path | None) -> None:
                if path is not None:
                    self._finish(SendResult("file", text, path))

            self.save_post_file(choice.acknowledged, then=written)

    def _finish(self, result: SendResult) -> None:
        self._sent = True
        if self._autosave is not None:
            self._autosave.stop()
        self.drafts.discard()
        self.exit(result)

    def action_save(self) -> None:
        self.save_post_file({})

    def save_post_file(
        self, acknowledged: Mapping[str, str], then: Callable[[Path | None], None] | None = None
    ) -> None:
        """Write the post file (asking where when the post has none); the draft is dropped once written."""

        def write(path: Path | None) -> None:
            if path is None:
                if then:
                    then(None)
                return
            try:
                content = self.render_post_file(acknowledged)
                temporary = path.with_name(f".{path.name}.septfois-tmp")
                temporary.write_text(content, encoding="utf-8")
                os.replace(temporary, path)
            except (OSError, ImportError) as error:
                self.notify(self.messages("save.failed", path=path, error=error), severity="error")
                if then:
                    then(None)
                return
            self.path = path
            self.sub_title = str(path)
            self.opened = Opened(self.editor.text, self.meta, path, self.current_post())
            old = self.drafts
            self.drafts = DraftStore(old.folder, path)
            old.discard()
            self.drafts.discard()
            self.notify(self.messages("saved", path=path))
            if then:
                then(path)

        if self.path is not None:
            write(self.path)
        else:
            self.push_screen(SaveAsScreen(self.messages), write)

    def render_post_file(self, acknowledged: Mapping[str, str]) -> str:
        """The post file for the current text: the front matter it was opened with, updated by the toggles."""
        from septfois.sources.postfile import render_post_file

        meta = dict(self.meta)
        if self.platforms != tuple(self.config.platforms) or "platforms" in meta:
            meta["platforms"] = list(self.platforms)
        if self.account != self.config.account or "account" in meta:
            meta["account"] = self.account
        if self.kind == "reply" or "kind" in meta:
            meta["kind"] = self.kind
        if self.lang:
            meta["lang"] = self.lang
        else:
            meta.pop("lang", None)
        reasons = {**self.file_acknowledged, **acknowledged}
        if reasons:
            meta["acknowledged"] = [{"rule": rule, "reason": reason} for rule, reason in reasons.items()]
        self.meta = meta
        return render_post_file(self.editor.text, meta)

    def action_quit(self) -> None:  # type: ignore[override]
        self.save_draft()
        self.exit(None)

    def on_unmount(self) -> None:
        if self._service is not None:
            self._service.stop()

    def draft_kept(self) -> bool:
        return not self._sent and self.drafts.path.exists()

    # -- command palette -----------------------------------------------------------------------------
    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        for key in EDITOR_KEYS:
            if key.help and key.action != "quit":
                yield SystemCommand(
                    self.messages(key.label), self.messages(key.help), getattr(self, f"action_{key.action}")
                )


def copy_to_clipboard(app: App[Any], text: str) -> bool:
    """Copy with the desktop's own tool when there is one, and always by terminal escape (OSC 52)."""
    app.copy_to_clipboard(text)
    tools: list[list[str]] = []
    if os.environ.get("WAYLAND_DISPLAY"):
        tools.append(["wl-copy"])
    if os.environ.get("DISPLAY"):
        tools += [["xclip", "-selection", "clipboard"], ["xsel", "--clipboard", "--input"]]
    tools.append(["pbcopy"])
    for command in tools:
        if shutil.which(command[0]):
            try:
                subprocess.run(command, input=text.encode("utf-8"), check=True, timeout=5)
                return True
            except (OSError, subprocess.SubprocessError):
                continue
    return False


def create_app(
    config: Config | None = None, *, path: Path | None = None, text: str | None = None, **options: Any
) -> SeptfoisApp:
    """The app for one post: a post file at `path` (read if it exists), else `text`, else an empty draft;
    `options` are SeptfoisApp's own (checker, drafts folder, clock...).

    Raises InputError when the post file cannot be read or its front matter is malformed.
    """
    config = config or Config()
    opened = Opened(text or "", None, path)
    if path is not None and path.exists():
        from septfois.sources.inputs import read_path
        from septfois.sources.postfile import parse_post_file

        # The context the front matter leaves out, as `septfois check` fills it.
        base = Post(
            text="", lang=options.get("lang"), account=config.account, kind=options.get("kind", "post")
        )
        parsed = parse_post_file(read_path(path), str(path), base=base)
        opened = Opened(parsed.text, dict(parsed.meta), path, parsed.post)
    return SeptfoisApp(config, opened=opened, **options)
