"""Scheduled posts: bulk CSV and JSON Lines schedules, and the checks that depend on when a post goes out."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time
from pathlib import Path

from septfois.config import Config, QuietPeriod
from septfois.errors import InputError, SeptfoisError
from septfois.model import ACCOUNTS, KINDS, LANGUAGES, Finding, Level, Post
from septfois.sources.inputs import MAX_POST_BYTES, read_path
from septfois.sources.postfile import iso_datetime, parse_datetime

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

PAST_RULE = "schedule.publish-in-past"
_DAY_FIRST = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?")


@dataclass(frozen=True)
class ScheduledPost:
    """One post of a schedule file, with the source that names its row or line."""

    source: str
    post: Post


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

    numbered = [(number, line) for number, line in enumerate(content.splitlines(), start=1) if line.strip()]
    _bounded(len(numbered), name)
    posts: list[ScheduledPost] = []
    for number, line in numbered:
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
        posts.append(ScheduledPost(f"{name}:{number}", post))
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
    rows = []
    reader = csv.reader(io.StringIO(content, newline=""), delimiter=delimiter)
    number = 0
    try:
        # A message may be as long as any post: the csv module's own cell limit is smaller than that.
        previous_limit = csv.field_size_limit(MAX_POST_BYTES * 4)
        for number, row in enumerate(reader, start=1):
            if any(cell.strip() for cell in row):
                rows.append((number, row))
                # One over the limit is enough to refuse: the rest is not even read.
                _bounded(len(rows) - 1, name)
    except csv.Error as error:
        raise InputError(f"{name}:row {number + 1}: not readable as CSV: {error}") from None
    finally:
        csv.field_size_limit(previous_limit)
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
    wheres = [(f"{name}:row {number}", row) for number, row in rows]
    return [ScheduledPost(where, _row_post(row, columns, where, base)) for where, row in wheres]


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
    from septfois.findings.platforms import PLATFORMS

    platforms = tuple(p.lower() for p in re.split(r"[\s,;|]+", cell("platforms")) if p) or base.platforms
    unknown = [p for p in platforms if p not in PLATFORMS]
    if unknown:
        raise InputError(f"{where}: platform: {unknown[0]!r} is not one of {', '.join(sorted(PLATFORMS))}")
    lang = cell("lang").lower() or base.lang
    if lang is not None and lang not in LANGUAGES:
        raise InputError(f"{where}: lang: expected one of {', '.join(LANGUAGES)} (got {lang!r})")
    account = cell("account").lower() or base.account
    if account not in ACCOUNTS:
        raise InputError(f"{where}: account: expected personal or brand (got {account!r})")
    kind = cell("kind").lower() or base.kind
    if kind not in KINDS:
        raise InputError(f"{where}: kind: expected post or reply (got {kind!r})")
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


# --- Checks that depend on when a post goes out -----------------------------------------------------------

_TEXTS = {
    "en": {
        "past": "This post is scheduled for {when}, which is already past.",
        "past_why": "A scheduling tool refuses a past date, or publishes at once out of context.",
        "past_instead": "Set publish_at to the time you mean, or remove it to publish by hand.",
        "quiet": "Scheduled for {when}, inside a quiet period ({start} to {end}): {reason}.",
    },
    "fr": {
        "past": "Ce message est programmé pour le {when}, une date déjà passée.",
        "past_why": "Un outil de programmation refuse une date passée, ou publie aussitôt, hors contexte.",
        "past_instead": "Indiquez dans publish_at l'heure voulue, ou retirez-la pour publier à la main.",
        "quiet": "Programmé pour le {when}, pendant une période calme (du {start} au {end}) : {reason}.",
    },
}


@dataclass(frozen=True)
class QuietWindow:
    """A configured quiet period, its bounds parsed: whole days (inclusive) or exact instants."""

    period: QuietPeriod
    start: date | datetime
    end: date | datetime

    def contains(self, moment: datetime) -> bool:
        if isinstance(self.start, datetime):
            start = self.start if self.start.tzinfo else self.start.replace(tzinfo=moment.tzinfo)
            end = self.end if isinstance(self.end, datetime) else datetime.combine(self.end, time.max)
            end = end if end.tzinfo else end.replace(tzinfo=moment.tzinfo)
            return start <= moment <= end
        # Day bounds are read in the post's own time zone: the days its author sees in the calendar.
        day = moment.date()
        end_day = self.end.date() if isinstance(self.end, datetime) else self.end
        return self.start <= day <= end_day


def quiet_windows(config: Config) -> tuple[QuietWindow, ...]:
    """The configuration's quiet periods, parsed once; a SeptfoisError names a bound that is not a date."""
    windows = []
    for index, period in enumerate(config.quiet_periods):
        bounds = []
        for key in ("start", "end"):
            raw = getattr(period, key)
            try:
                bound: date | datetime = iso_datetime(raw) if len(raw) > 10 else date.fromisoformat(raw)
            except ValueError:
                where = f"{config.source}: " if config.source else ""
                raise SeptfoisError(
                    f"{where}quiet_period[{index}].{key}: expected a date (2026-02-01) or a date-time"
                    f" (got {raw!r})"
                ) from None
            bounds.append(bound)
        windows.append(QuietWindow(period, bounds[0], bounds[1]))
    return tuple(windows)


def timing_findings(
    findings: Sequence[Finding],
    post: Post,
    windows: Sequence[QuietWindow],
    ui_lang: str,
    now: datetime | None = None,
) -> list[Finding]:
    """`findings` with what the post's schedule changes: a warning for a past date, and market-sensitive
    findings raised to error, with the reason, when the post goes out inside a quiet period."""
    if post.publish_at is None:
        return list(findings)
    texts = _TEXTS.get(ui_lang, _TEXTS["en"])
    when = post.publish_at.isoformat(timespec="minutes")
    result = list(findings)
    window = next((w for w in windows if w.contains(post.publish_at)), None)
    if window is not None:
        period = window.period
        reason = period.reason.rstrip(".")
        note = texts["quiet"].format(when=when, start=period.start, end=period.end, reason=reason)
        result = [
            replace(f, level=Level.ERROR, why=f"{f.why} {note}") if f.category == "sensitive:market" else f
            for f in result
        ]
    if post.publish_at < (now or datetime.now().astimezone()):
        result.insert(
            0,
            Finding(
                rule=PAST_RULE,
                category="schedule",
                level=Level.WARNING,
                message=texts["past"].format(when=when),
                why=texts["past_why"],
                suggestion=texts["past_instead"],
                start=0,
                end=0,
                line=1,
                column=1,
                match="",
            ),
        )
    return result
