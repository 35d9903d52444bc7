"""The UI's other screens: the send gate (seven turns), help, draft recovery, save-as and platform choice."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Input, OptionList, SelectionList, Static
from textual.widgets.option_list import Option

from septfois.i18n import Messages
from septfois.model import Finding, Level
from septfois.tui.keys import EDITOR_KEYS, GATE_KEYS, Key, bind
from septfois.tui.widgets import LEVEL_COLOURS, LEVEL_ICONS, finding_detail

MIN_REASON = 3
DESTINATIONS = ("stdout", "file", "clipboard")


@dataclass(frozen=True)
class SendChoice:
    """How the author chose to send, and the reasons given for the findings they kept (by rule id)."""

    destination: str
    acknowledged: Mapping[str, str] = field(default_factory=dict)


class SendGate(ModalScreen[SendChoice | None]):
    """The seven turns: every finding at warning or above is looked at, and a countdown runs out first."""

    def __init__(
        self,
        findings: Sequence[Finding],
        messages: Messages,
        *,
        countdown: float,
        clock: Callable[[], float],
        acknowledged: Mapping[str, str] | None = None,
        error: str | None = None,
    ) -> None:
        super().__init__()
        self.findings = [finding for finding in findings if finding.level >= Level.WARNING]
        self.messages = messages
        self.clock = clock
        self.error = error
        blocking = bool(self.findings) or error is not None
        self.deadline = clock() + (countdown if blocking else 0)
        self.looked: set[int] = set()
        self.reasons: dict[int, str] = {}
        for index, finding in enumerate(self.findings):
            if acknowledged and finding.rule in acknowledged:
                self.reasons[index] = acknowledged[finding.rule]
                self.looked.add(index)
        bind(self, GATE_KEYS, messages)

    def compose(self) -> ComposeResult:
        m = self.messages
        with Vertical(id="gate"):
            yield Static(Text(m("gate.title"), style="bold"), id="gate-title")
            if self.error is not None:
                intro = m("gate.unchecked", error=self.error)
            elif self.findings:
                intro = m("gate.intro", count=len(self.findings))
            else:
                intro = m("gate.clean")
            yield Static(intro, id="gate-intro")
            if self.findings:
                yield OptionList(*self._options(), id="gate-findings")
                yield VerticalScroll(Static(id="gate-detail"), id="gate-detail-box")
                yield Input(placeholder=m("gate.reason.placeholder"), id="gate-reason", max_length=200)
            yield Static(id="gate-status")
            with Horizontal(id="gate-buttons"):
                yield Button(m("gate.stdout"), id="send-stdout", variant="primary")
                yield Button(m("gate.file"), id="send-file")
                yield Button(m("gate.clipboard"), id="send-clipboard")
                yield Button(m("gate.cancel"), id="gate-cancel", variant="error")
        yield Footer()

    def on_mount(self) -> None:
        if self.findings:
            listing = self.query_one("#gate-findings", OptionList)
            listing.highlighted = 0
            listing.focus()
            self.query_one("#gate-reason", Input).display = False
        else:
            self.query_one("#send-stdout", Button).focus()
        self._refresh_status()
        self.set_interval(0.25, self._refresh_status)

    def _options(self) -> list[Option]:
        return [Option(self._label(index), id=str(index)) for index in range(len(self.findings))]

    def _label(self, index: int) -> Text:
        finding = self.findings[index]
        label = Text()
        if index in self.reasons:
            label.append("✓ ", style="bold green")
        elif index in self.looked:
            label.append("✓ ", style="green")
        else:
            label.append("· ", style="dim")
        label.append(f"{LEVEL_ICONS[finding.level]} ", style=f"bold {LEVEL_COLOURS[finding.level]}")
        label.append(finding.message)
        if index in self.reasons:
            label.append(
                f"\n  {self.messages('gate.acknowledged', reason=self.reasons[index])}", style="green"
            )
        elif index in self.looked:
            label.append(f"  ({self.messages('gate.looked')})", style="green")
        return label

    # -- state ---------------------------------------------------------------------------------------
    def remaining_seconds(self) -> int:
        left = self.deadline - self.clock()
        return max(0, int(left) + (1 if left > int(left) else 0))

    def pending(self) -> list[int]:
        return [index for index in range(len(self.findings)) if index not in self.looked]

    def can_send(self) -> bool:
        return self.remaining_seconds() == 0 and not self.pending()

    def _refresh_status(self) -> None:
        m = self.messages
        parts: list[str] = []
        seconds = self.remaining_seconds()
        if seconds:
            parts.append(m("gate.countdown", seconds=seconds))
        if self.pending():
            parts.append(m("gate.pending", count=len(self.pending())))
        ready = not parts
        status = Text(
            m("gate.ready") if ready else " · ".join(parts), style="bold green" if ready else "yellow"
        )
        self.query_one("#gate-status", Static).update(status)
        for name in DESTINATIONS:
            self.query_one(f"#send-{name}", Button).disabled = not ready

    def _relabel(self, index: int) -> None:
        listing = self.query_one("#gate-findings", OptionList)
        listing.replace_option_prompt_at_index(index, self._label(index))
        self._refresh_status()

    # -- events --------------------------------------------------------------------------------------
    @on(OptionList.OptionHighlighted, "#gate-findings")
    def _show(self, event: OptionList.OptionHighlighted) -> None:
        finding = self.findings[event.option_index]
        self.query_one("#gate-detail", Static).update(finding_detail(finding, self.messages))

    @on(OptionList.OptionSelected, "#gate-findings")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.looked.add(event.option_index)
        self._relabel(event.option_index)

    def action_look(self) -> None:
        if not self.findings:
            return
        index = self.query_one("#gate-findings", OptionList).highlighted
        if index is not None:
            self.looked.add(index)
            self._relabel(index)

    def action_acknowledge(self) -> None:
        if not self.findings:
            return
        reason = self.query_one("#gate-reason", Input)
        reason.display = True
        reason.value = ""
        reason.focus()

    @on(Input.Submitted, "#gate-reason")
    def _reason(self, event: Input.Submitted) -> None:
        text = " ".join(event.value.split())
        if len(text) < MIN_REASON:
            self.notify(self.messages("gate.reason.short", count=MIN_REASON), severity="warning")
            return
        listing = self.query_one("#gate-findings", OptionList)
        index = listing.highlighted if listing.highlighted is not None else 0
        self.reasons[index] = text
        self.looked.add(index)
        event.input.display = False
        self._relabel(index)
        listing.focus()

    @on(Button.Pressed)
    def _button(self, event: Button.Pressed) -> None:
        name = event.button.id or ""
        if name == "gate-cancel":
            self.action_cancel()
        elif name.startswith("send-"):
            self.action_send(name.removeprefix("send-"))

    def action_send(self, destination: str) -> None:
        if not self.can_send():
            self._refresh_status()
            status = self.query_one("#gate-status", Static).render()
            self.notify(self.messages("gate.blocked", why=str(status)), severity="warning")
            return
        acknowledged = {self.findings[index].rule: reason for index, reason in self.reasons.items()}
        self.dismiss(SendChoice(destination, acknowledged))

    def action_cancel(self) -> None:
        reason = self.query("#gate-reason")
        if reason and reason.first(Input).has_focus:
            # Escape in the reason box leaves the box, not the gate.
            reason.first(Input).display = False
            self.query_one("#gate-findings", OptionList).focus()
            return
        self.dismiss(None)


class HelpScreen(ModalScreen[None]):
    """Every key of the editor and of the send screen, with what it does."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,f1,q", "close", show=False)]

    def __init__(self, messages: Messages) -> None:
        super().__init__()
        self.messages = messages

    def compose(self) -> ComposeResult:
        m = self.messages
        with VerticalScroll(id="help"):
            yield Static(Text(m("help.title"), style="bold"), id="help-title")
            yield Static(m("help.intro"))
            yield Static(self._table(m("help.editor"), EDITOR_KEYS))
            yield Static(self._table(m("help.gate"), GATE_KEYS))
            yield Static(Text(m("help.close"), style="dim"))

    def _table(self, title: str, keys: Sequence[Key]) -> Text:
        text = Text()
        text.append(f"\n{title}\n", style="bold underline")
        for key in keys:
            described = self.messages(key.help) if key.help else self.messages(key.label)
            text.append(f"  {key.keys:<12}", style="bold cyan")
            text.append(f"{self.messages(key.label)}", style="bold")
            if key.help:
                text.append(f" — {described}")
            text.append("\n")
        return text

    def action_close(self) -> None:
        self.dismiss(None)


class RecoverScreen(ModalScreen[bool]):
    """Offers back a draft that was never sent: recover it (the default) or discard it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r,escape", "choose(True)", show=False),
        Binding("d", "choose(False)", show=False),
    ]

    def __init__(self, messages: Messages, text: str, when: str) -> None:
        super().__init__()
        self.messages = messages
        self.text = text
        self.when = when

    def compose(self) -> ComposeResult:
        m = self.messages
        preview = "\n".join(self.text.splitlines()[:8])
        with Vertical(id="recover"):
            yield Static(Text(m("recover.title"), style="bold"))
            yield Static(m("recover.body", when=self.when))
            yield Static(Text(preview, style="italic"), id="recover-preview")
            with Horizontal():
                yield Button(f"{m('recover.yes')} (r)", id="recover-yes", variant="primary")
                yield Button(f"{m('recover.no')} (d)", id="recover-no", variant="error")

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "recover-yes")

    def action_choose(self, recover: bool) -> None:
        self.dismiss(recover)


class SaveAsScreen(ModalScreen[Path | None]):
    """Asks where to write a post file; confirms before replacing an existing file."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", show=False)]

    def __init__(self, messages: Messages) -> None:
        super().__init__()
        self.messages = messages
        self._confirmed: Path | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="saveas"):
            yield Static(Text(self.messages("saveas.title"), style="bold"))
            yield Input(placeholder=self.messages("saveas.placeholder"), id="saveas-path")
            yield Static(id="saveas-note")

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        if not event.value.strip():
            return
        path = Path(event.value.strip()).expanduser()
        if path.exists() and self._confirmed != path:
            self._confirmed = path
            self.query_one("#saveas-note", Static).update(self.messages("saveas.exists", path=path))
            return
        self.dismiss(path)

    def action_cancel(self) -> None:
        self.dismiss(None)


class PlatformsScreen(ModalScreen[tuple[str, ...] | None]):
    """Chooses the platforms whose length the status bar counts."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "done", show=False)]

    def __init__(self, messages: Messages, chosen: Sequence[str]) -> None:
        super().__init__()
        self.messages = messages
        self.chosen = tuple(chosen)

    def compose(self) -> ComposeResult:
        from septfois.findings.platforms import PLATFORMS

        with Vertical(id="platforms"):
            yield Static(Text(self.messages("platforms.title"), style="bold"))
            yield SelectionList[str](
                *[(f"{p.title} ({p.limit})", name, name in self.chosen) for name, p in PLATFORMS.items()],
                id="platforms-list",
            )
            yield Button(self.messages("platforms.done"), id="platforms-done", variant="primary")

    @on(Button.Pressed, "#platforms-done")
    def action_done(self) -> None:
        from septfois.findings.platforms import PLATFORMS

        selected = set(self.query_one("#platforms-list", SelectionList).selected)
        self.dismiss(tuple(name for name in PLATFORMS if name in selected))
