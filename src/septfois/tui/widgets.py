"""The main screen's widgets: the editor that highlights findings, the findings list, detail and status."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.style import Style
from rich.text import Text
from textual.widgets import OptionList, Static, TextArea
from textual.widgets.option_list import Option

from septfois.i18n import Messages
from septfois.model import Finding, Level
from septfois.tui.textual_api import forget_rendered_lines

LEVEL_ICONS = {Level.ERROR: "✖", Level.WARNING: "▲", Level.INFO: "●"}
LEVEL_COLOURS = {Level.ERROR: "red", Level.WARNING: "yellow", Level.INFO: "cyan"}
# Backgrounds readable under the default dark theme; underline too, so the spans show without colour.
SPAN_STYLES = {
    Level.ERROR: Style(bgcolor="#6b1a1a", underline=True),
    Level.WARNING: Style(bgcolor="#5c4a00", underline=True),
    Level.INFO: Style(bgcolor="#12394d", underline=True),
}
FOLD_STYLE = Style(color="black", bgcolor="magenta", bold=True)


@dataclass(frozen=True)
class Location:
    """A (row, column) place in the editor for a code-point offset of its text."""

    row: int
    column: int


def line_starts(lines: Sequence[str], newline: str) -> list[int]:
    """Offset in the editor's text where each line starts."""
    starts, offset = [], 0
    for line in lines:
        starts.append(offset)
        offset += len(line) + len(newline)
    return starts


def locate(starts: Sequence[int], offset: int) -> tuple[int, int]:
    """The (row, column) of `offset`, given the line starts."""
    from bisect import bisect_right

    row = max(0, bisect_right(starts, offset) - 1)
    return row, offset - starts[row]


class PostEditor(TextArea):
    """A TextArea that colours the spans of the current findings and marks the "see more" folds."""

    def __init__(self, text: str = "", **kwargs: object) -> None:
        super().__init__(text, soft_wrap=True, tab_behavior="focus", **kwargs)  # type: ignore[arg-type]
        self._marks: dict[int, list[tuple[int, int, Style]]] = {}

    def mark(self, findings: Sequence[Finding], folds: Sequence[int]) -> None:
        """Show these findings and fold offsets; a finding whose span no longer holds its text is skipped.

        Checks run in the background, so a report can be one keystroke old: its offsets may point at
        other words by then, and colouring the wrong words would be worse than colouring none.
        """
        text = self.text
        starts = line_starts(self.document.lines, self.document.newline)
        marks: dict[int, list[tuple[int, int, Style]]] = {}

        def add(start: int, end: int, style: Style) -> None:
            row, column = locate(starts, start)
            end_row, end_column = locate(starts, end)
            while row < end_row:
                line_end = len(self.document.lines[row])
                marks.setdefault(row, []).append((column, max(line_end, column + 1), style))
                row, column = row + 1, 0
            marks.setdefault(row, []).append((column, max(end_column, column), style))

        # Lower levels first so that a more serious overlapping span is drawn on top.
        for finding in sorted(findings, key=lambda f: f.level):
            if finding.end > finding.start and text[finding.start : finding.end] == finding.match:
                add(finding.start, finding.end, SPAN_STYLES[finding.level])
        for offset in folds:
            if 0 <= offset < len(text):
                add(offset, offset + 1, FOLD_STYLE)
        if marks == self._marks:
            return  # a long soft-wrapped line costs milliseconds to draw: do not redraw for nothing
        self._marks = marks
        # The TextArea caches rendered lines by cursor and scroll, not by our marks: drop the cache.
        forget_rendered_lines(self)
        self.refresh()

    @property
    def marks(self) -> dict[int, list[tuple[int, int, Style]]]:
        """What is coloured, row by row: (start column, end column, style)."""
        return self._marks

    def get_line(self, line_index: int) -> Text:
        line = super().get_line(line_index)
        for start, end, style in self._marks.get(line_index, ()):
            line.stylize(style, start, end)
        return line

    def offset_of(self, location: tuple[int, int]) -> int:
        return self.document.get_index_from_location(location)

    def location_of(self, offset: int) -> tuple[int, int]:
        starts = line_starts(self.document.lines, self.document.newline)
        return locate(starts, min(max(offset, 0), len(self.text)))


def heading(finding: Finding, messages: Messages) -> Text:
    """Level (icon and word, in its colour) and category: how a finding is introduced everywhere."""
    text = Text()
    level = f"{LEVEL_ICONS[finding.level]} {messages('level.' + finding.level.label)}"
    text.append(level, style=f"bold {LEVEL_COLOURS[finding.level]}")
    text.append(f"  {finding.category}", style="dim")
    return text


def finding_label(finding: Finding, messages: Messages) -> Text:
    """One line of the findings list: level, category, message."""
    label = heading(finding, messages)
    label.append(f"\n{finding.message}")
    return label


class FindingsList(OptionList):
    """The findings of the latest check, in text order."""

    def show(self, findings: Sequence[Finding], messages: Messages) -> None:
        highlighted = self.highlighted
        self.clear_options()
        self.add_options(
            [
                Option(finding_label(finding, messages), id=str(index))
                for index, finding in enumerate(findings)
            ]
        )
        if findings and highlighted is not None:
            self.highlighted = min(highlighted, len(findings) - 1)


def finding_detail(finding: Finding, messages: Messages) -> Text:
    """Everything one finding says: message, why, what to do instead, replacement and source."""
    text = heading(finding, messages)
    text.append(f"\n{finding.message}\n\n", style="bold")
    text.append(f"{messages('detail.why')}\n", style="underline")
    text.append(f"{finding.why}\n\n")
    text.append(f"{messages('detail.instead')}\n", style="underline")
    text.append(f"{finding.suggestion}\n")
    if finding.replacement is not None:
        text.append(f"\n{messages('detail.replacement', replacement=finding.replacement)}\n", style="green")
    text.append(f"\n{messages('detail.rule')}: {finding.rule}", style="dim")
    if finding.also:
        text.append(f"\n{messages('detail.also')}: {', '.join(finding.also)}", style="dim")
    if finding.source:
        text.append(f"\n{messages('detail.source')}: {finding.source}", style="dim")
    return text


class FindingDetail(Static):
    """The selected finding, explained."""


class StatusBar(Static):
    """Language and analysis, account and reply toggles, and the per-platform counters."""
