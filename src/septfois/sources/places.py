"""Where a post's characters sit in the file they came from: CSV cells, JSON strings, lines and columns."""

from __future__ import annotations

import bisect
import json
from collections.abc import Sequence
from dataclasses import dataclass

from septfois.analysis.textmap import line_starts


@dataclass(frozen=True)
class CharMap:
    """File offsets of each character of a post's text (a cell's `""` or a JSON escape is one character
    written as several, so the text and the file do not advance together)."""

    starts: tuple[int, ...]  # file offset where character i is written
    ends: tuple[int, ...]  # file offset just after it
    empty_at: int  # where an empty text sits (the cell or string's opening)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The file span written for text[start:end]."""
        if not self.starts:
            return self.empty_at, self.empty_at
        begin = self.starts[start] if start < len(self.starts) else self.ends[-1]
        if end <= start:
            return begin, begin
        return begin, self.ends[min(end, len(self.ends)) - 1]

    def part(self, start: int, end: int) -> CharMap:
        """The map of text[start:end]."""
        at = self.starts[start] if start < len(self.starts) else self.empty_at
        return CharMap(self.starts[start:end], self.ends[start:end], at)

    def __add__(self, other: CharMap) -> CharMap:
        return CharMap(self.starts + other.starts, self.ends + other.ends, self.empty_at)


def shifted(length: int, offset: int) -> CharMap:
    """Text written as it is, from `offset` on (a post file's body)."""
    starts = tuple(range(offset, offset + length))
    return CharMap(starts, tuple(at + 1 for at in starts), offset)


class Lines:
    """Line starts of a file's text, for 1-based lines and columns of many offsets."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = line_starts(text)

    def line_start(self, offset: int) -> tuple[int, int]:
        """The 1-based line of `offset` and the offset where that line starts."""
        index = bisect.bisect_right(self.starts, offset) - 1
        return index + 1, self.starts[index]

    def line_column(self, offset: int) -> tuple[int, int]:
        """1-based line and column, in code points."""
        line, start = self.line_start(offset)
        return line, offset - start + 1

    def utf16_column(self, offset: int) -> int:
        """1-based column in UTF-16 code units, the unit SARIF counts by default."""
        _, start = self.line_start(offset)
        return len(self.text[start:offset].encode("utf-16-le", "surrogatepass")) // 2 + 1

    def utf16_offset(self, offset: int) -> int:
        """`offset` (code points) counted in UTF-16 code units from the start of the text."""
        return len(self.text[:offset].encode("utf-16-le", "surrogatepass")) // 2


@dataclass(frozen=True)
class Cell:
    """One CSV cell: its value's characters and where each is written."""

    value: str
    chars: CharMap


def csv_records(content: str, delimiter: str) -> list[list[Cell]]:
    """The records of a CSV text as `csv.reader` (excel dialect, not strict) reads them, each cell with
    the file offsets of its characters. Blank lines are empty records, as the reader gives them."""
    records: list[list[Cell]] = []
    index, size = 0, len(content)

    def newline_length(at: int) -> int:
        return 2 if content.startswith("\r\n", at) else 1

    while index < size:
        if content[index] in "\r\n":
            index += newline_length(index)
            records.append([])
            continue
        cells: list[Cell] = []
        chars: list[tuple[int, int]] = []  # where each character of the cell starts and ends
        opening = index
        state = "start"
        while True:
            if index >= size:
                cells.append(_cell(content, chars, opening))
                break
            ch = content[index]
            if state == "start":
                if ch == '"':
                    state, index = "quoted", index + 1
                    opening = index
                    continue
                state = "plain"
            if state == "plain":
                if ch == delimiter:
                    cells.append(_cell(content, chars, opening))
                    chars, state, index = [], "start", index + 1
                    opening = index
                    continue
                if ch in "\r\n":
                    cells.append(_cell(content, chars, opening))
                    index += newline_length(index)
                    break
                chars.append((index, index + 1))
                index += 1
            elif state == "quoted":
                if ch == '"':
                    state, index = "quote", index + 1
                    continue
                chars.append((index, index + 1))
                index += 1
            else:  # just after a quote inside a quoted cell: a doubled quote, or the cell's end
                if ch == '"':
                    chars.append((index - 1, index + 1))  # `""` is one quote
                    state, index = "quoted", index + 1
                    continue
                state = "plain"  # what follows the closing quote is kept as it is, as the reader does
        records.append(cells)
    return records


def _cell(content: str, chars: Sequence[tuple[int, int]], opening: int) -> Cell:
    value = "".join(content[end - 1] for _, end in chars)
    return Cell(value, CharMap(tuple(at for at, _ in chars), tuple(end for _, end in chars), opening))


def json_string_value(line: str, key: str, offset: int = 0) -> CharMap | None:
    """Where the characters of the string value of top-level `key` in one JSON object line are written
    (each escape, a surrogate pair's two included, is one character); None when it is not a string."""
    decoder = json.JSONDecoder()
    index = _skip(line, 0)
    if not line.startswith("{", index):
        return None
    index = _skip(line, index + 1)
    while index < len(line) and line[index] == '"':
        name, index = json.decoder.scanstring(line, index + 1)  # type: ignore[attr-defined]
        index = _skip(line, index)
        if not line.startswith(":", index):
            return None
        index = _skip(line, index + 1)
        if name == key:
            return _string_chars(line, index, offset) if line.startswith('"', index) else None
        _, index = decoder.raw_decode(line, index)
        index = _skip(line, index)
        if not line.startswith(",", index):
            return None
        index = _skip(line, index + 1)
    return None


def _skip(line: str, index: int) -> int:
    while index < len(line) and line[index] in " \t\r\n":
        index += 1
    return index


def _string_chars(line: str, quote: int, offset: int) -> CharMap:
    starts: list[int] = []
    ends: list[int] = []
    index = quote + 1
    while index < len(line) and line[index] != '"':
        if line[index] != "\\":
            width = 1
        elif line[index + 1 : index + 2] != "u":
            width = 2
        else:
            width = 6
            unit = int(line[index + 2 : index + 6], 16)
            # A surrogate pair (\ud83d\ude00) decodes to one character.
            if 0xD800 <= unit < 0xDC00 and line[index + 6 : index + 8] == "\\u":
                width = 12
        starts.append(offset + index)
        ends.append(offset + index + width)
        index += width
    return CharMap(tuple(starts), tuple(ends), offset + quote + 1)
