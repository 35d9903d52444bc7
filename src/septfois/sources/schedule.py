"""Scheduled posts: bulk CSV and JSON Lines schedules, read into posts with their `publish_at`."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from septfois import fields, schema
from septfois.dates import iso_datetime, parse_datetime
from septfois.errors import InputError
from septfois.model import Post
from septfois.sources.inputs import MAX_POST_BYTES, read_path
from septfois.sources.places import Cell, CharMap, csv_records, json_string_value

# A schedule holds many posts (Hootsuite imports up to 350 a file); this is far beyond any real one.
MAX_SCHEDULE_BYTES = 20_000_000
SCHEDULE_SUFFIXES = (".csv", ".jsonl")
# Posts in one schedule file at most: checking is per post, so this bounds the run (a few minutes at
# worst); a larger batch belongs in `check --jsonl`, which streams its output as it goes.
MAX_SCHEDULE_POSTS = 10_000

# Column headers are compared lower-cased with runs of spaces, dashes and underscores made one space.
DATE_COLUMNS = (
    "publish at", "date", "datetime", "date time", "time", "posting time", "post time", "publish time",
    "publish date", "scheduled at", "scheduled time", "scheduled date", "schedule", "send at", "send time",
    "date de publication", "date et heure", "heure", "heure de publication", "programmation",
)  # fmt: skip
MESSAGE_COLUMNS = ("message", "text", "post", "content", "body", "caption", "tweet", "texte", "contenu")
LINK_COLUMNS = ("link", "url", "link url", "lien")
PLATFORM_COLUMNS = ("platforms", "platform", "network", "networks", "channel", "channels", "réseau")
LANG_COLUMNS = ("lang", "language", "langue")
ACCOUNT_COLUMNS = ("account",)
KIND_COLUMNS = ("kind",)

_DAY_FIRST = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?")


@dataclass(frozen=True)
class ScheduledPost:
    """One post of a schedule file, with the source that names its row or line."""

    source: str
    post: Post
    chars: CharMap | None = None  # where the post's text is written in the file
    anchor: int | None = None  # file offset of the row's date, where schedule findings belong


def read_schedule_file(path: Path) -> str:
    """The text of a schedule file, or an InputError naming it and what is wrong."""
    return read_path(path, limit=MAX_SCHEDULE_BYTES)


def parse_schedule(content: str, name: str, base: Post | None = None) -> list[ScheduledPost]:
    """Every post of a .csv or .jsonl schedule; an InputError naming the row or line of the first problem.

    What a row leaves out comes from `base` (the command line's and configuration's context).
    """
    base = base or Post(text="")
    if name.lower().endswith(".jsonl"):
        return parse_jsonl(content, name, base)
    return parse_csv(content, name, base)


def parse_jsonl(content: str, name: str, base: Post) -> list[ScheduledPost]:
    """One JSON object a line, as `check --jsonl` reads them, plus an optional `publish_at`."""
    from septfois.sources.inputs import parse_batch_line

    _bounded(sum(1 for line in content.splitlines() if line.strip()), name)
    posts: list[ScheduledPost] = []
    start = 0
    for number, raw in enumerate(content.splitlines(keepends=True), start=1):
        offset, start = start, start + len(raw)
        line = raw.rstrip("\r\n")
        if not line.strip():
            continue
        item = parse_batch_line(line, name, number, extra_keys=frozenset({"publish_at"}))
        data = json.loads(line)
        # parse_batch_line fills defaults; keep the base's context for what the line does not say.
        post = replace(
            base,
            text=item.post.text,
            lang=item.post.lang if "lang" in data else base.lang,
            platforms=item.post.platforms if {"platform", "platforms"} & set(data) else base.platforms,
            account=item.post.account if "account" in data else base.account,
            kind=item.post.kind if "kind" in data else base.kind,
        )
        if "publish_at" in item.extra:
            try:
                post = replace(post, publish_at=parse_datetime(item.extra["publish_at"]))
            except ValueError as error:
                raise InputError(f"{name}:{number}: publish_at: {error}") from None
        date = json_string_value(line, "publish_at", offset) if post.publish_at else None
        chars = json_string_value(line, "text", offset)
        posts.append(ScheduledPost(f"{name}:{number}", post, chars, date.empty_at if date else None))
    return posts


def _bounded(posts: int, name: str) -> None:
    if posts > MAX_SCHEDULE_POSTS:
        raise InputError(
            f"{name}: more than {MAX_SCHEDULE_POSTS:,} posts in one schedule; split it, or check the posts"
            " as JSON Lines with `septfois check --jsonl FILE`, which has no such limit"
        )


def _header(cell: str) -> str:
    return re.sub(r"[\s_\-]+", " ", cell.strip().lower())


def _column(header: Sequence[str], names: Iterable[str]) -> int | None:
    wanted = set(names)
    # "Date (dd/mm/yyyy hh:mm)": a header may carry a hint in brackets after its name.
    found = [index for index, cell in enumerate(header) if re.sub(r"\s*[(\[].*$", "", cell) in wanted]
    return found[0] if found else None


def parse_csv(content: str, name: str, base: Post) -> list[ScheduledPost]:
    """Rows of a scheduling tool's CSV: a header naming the columns, or no header and date, message, link."""
    # French spreadsheets export with semicolons (the comma is their decimal mark); some tools use tabs.
    first = content.split("\n", 1)[0]
    delimiter = max(",;\t", key=first.count) if any(sep in first for sep in ",;\t") else ","
    try:
        # A message may be as long as any post: the csv module's own cell limit is smaller than that.
        previous_limit = csv.field_size_limit(MAX_POST_BYTES * 4)
        read = list(csv.reader(io.StringIO(content, newline=""), delimiter=delimiter))
    except csv.Error as error:
        raise InputError(f"{name}: not readable as CSV: {error}") from None
    finally:
        csv.field_size_limit(previous_limit)
    rows = [(number, row) for number, row in enumerate(read, start=1) if any(cell.strip() for cell in row)]
    # The header and one row over the limit are enough to refuse.
    _bounded(len(rows) - 1, name)
    records = csv_records(content, delimiter)
    if [[cell.value for cell in record] for record in records] != read:
        records = []  # a CSV this reader reads otherwise: findings fall back to the row's text
    if not rows:
        return []
    header = [_header(cell) for cell in rows[0][1]]
    message = _column(header, MESSAGE_COLUMNS)
    if message is None:
        if len(header) in (2, 3) and _looks_like_date(rows[0][1][0]):
            # Headerless, as Hootsuite's bulk format: date, message, and optionally a link.
            columns = {"date": 0, "message": 1, "link": 2 if len(header) == 3 else None}
        else:
            accepted = ", ".join(MESSAGE_COLUMNS)
            raise InputError(f"{name}:row 1: no message column (a header named one of: {accepted})")
    else:
        columns = {
            "date": _column(header, DATE_COLUMNS),
            "message": message,
            "link": _column(header, LINK_COLUMNS),
            "platforms": _column(header, PLATFORM_COLUMNS),
            "lang": _column(header, LANG_COLUMNS),
            "account": _column(header, ACCOUNT_COLUMNS),
            "kind": _column(header, KIND_COLUMNS),
        }
        rows = rows[1:]
    # Rows are numbered as a spreadsheet shows them: the header is row 1, a multi-line cell is one row.
    posts = []
    for number, row in rows:
        where = f"{name}:row {number}"
        post = _row_post(row, columns, where, base)
        cells = records[number - 1] if records else None
        posts.append(ScheduledPost(where, post, *_row_places(cells, columns, post)))
    return posts


def _row_places(
    cells: Sequence[Cell] | None, columns: dict[str, int | None], post: Post
) -> tuple[CharMap | None, int | None]:
    """Where a row's post text (message, then link) and its date are written in the file."""
    if cells is None:
        return None, None

    def cell(key: str) -> Cell | None:
        index = columns.get(key)
        return cells[index] if index is not None and index < len(cells) else None

    message, link, date = cell("message"), cell("link"), cell("date")
    chars: CharMap | None = message.chars if message is not None else None
    if link is not None and link.value.strip():
        # _row_post takes the link stripped of the spaces around it.
        lead = len(link.value) - len(link.value.lstrip())
        linked = link.chars.part(lead, lead + len(link.value.strip()))
        if message is not None and message.value:
            # The space that joins them is written nowhere: it is placed where the link starts.
            joint = CharMap(linked.starts[:1], linked.starts[:1], linked.empty_at)
            chars = message.chars + joint + linked
        else:
            chars = linked
    if chars is not None and len(chars.starts) != len(post.text):
        chars = None  # not the text checked (cannot happen while _row_post builds it so): no guess
    return chars, (date.chars.empty_at if date is not None and post.publish_at else None)


def _looks_like_date(cell: str) -> bool:
    try:
        parse_schedule_time(cell)
    except ValueError:
        return False
    return True


def _row_post(row: Sequence[str], columns: dict[str, int | None], where: str, base: Post) -> Post:
    def cell(key: str) -> str:
        index = columns.get(key)
        return row[index].strip() if index is not None and index < len(row) else ""

    text = row[columns["message"]] if columns["message"] is not None and columns["message"] < len(row) else ""
    if len(text.encode("utf-8")) > MAX_POST_BYTES:
        raise InputError(f"{where}: message: over the limit of {MAX_POST_BYTES:,} bytes for one post")
    link = cell("link")
    if link:
        # Scheduling tools publish the link after the message, as part of the same post.
        text = f"{text} {link}" if text else link
    publish_at = None
    if cell("date"):
        try:
            publish_at = parse_schedule_time(cell("date"))
        except ValueError as error:
            raise InputError(f"{where}: date: {error}") from None
    named = [p.lower() for p in re.split(r"[\s,;|]+", cell("platforms")) if p]
    try:
        platforms = fields.platforms(named) if named else base.platforms
        lang = fields.lang(cell("lang").lower() or base.lang)
        account = fields.account(cell("account").lower() or base.account)
        kind = fields.kind(cell("kind").lower() or base.kind)
    except schema.Invalid as error:
        raise fields.input_error(where, error) from None
    return replace(
        base, text=text, lang=lang, platforms=platforms, account=account, kind=kind, publish_at=publish_at
    )


def parse_schedule_time(value: str) -> datetime:
    """A schedule's date and time: ISO 8601, or day first (31/01/2026 09:30); local time without an offset."""
    value = value.strip()
    day_first = _DAY_FIRST.fullmatch(value)
    try:
        if day_first:
            day, month, year, hour, minute, second = day_first.groups()
            if hour is None:
                raise ValueError("needs a time as well as a date")
            moment = datetime(int(year), int(month), int(day), int(hour), int(minute), int(second or 0))
        else:
            if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
                raise ValueError("needs a time as well as a date")
            moment = iso_datetime(value)
    except ValueError as error:
        problem = str(error) if "needs a time" in str(error) else "not a date and time"
        raise ValueError(
            f"{problem}: expected 2026-01-31T09:30:00+01:00, 2026-01-31 09:30 or 31/01/2026 09:30"
            f" (got {value!r})"
        ) from None
    # Scheduling tools write wall-clock times in the account's time zone; this machine's is the best guess.
    return moment if moment.tzinfo else moment.astimezone()
