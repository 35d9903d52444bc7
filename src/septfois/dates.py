"""Dates and times as posts and settings write them: RFC 3339 date-times, with their offset."""

from __future__ import annotations

from datetime import date, datetime, time


def parse_datetime(value: object) -> datetime:
    """An RFC 3339 date-time (a TOML offset date-time or a string); ValueError naming the expected form."""
    expected = "expected an RFC 3339 date-time with its UTC offset, e.g. 2025-03-01T09:00:00+01:00"
    if isinstance(value, str):
        try:
            value = iso_datetime(value)
        except ValueError:
            raise ValueError(f"{expected} (got {value!r})") from None
    if isinstance(value, datetime):
        if value.tzinfo is None:
            # Without an offset the instant depends on where the scheduler runs: refuse to guess.
            raise ValueError(f"{expected} (the offset is missing)")
        return value
    if isinstance(value, date | time):
        raise ValueError(f"{expected} (got only a {'date' if isinstance(value, date) else 'time'})")
    raise ValueError(f"{expected} (got {value!r})")


def iso_datetime(value: str) -> datetime:
    """datetime.fromisoformat, also taking the `Z` of RFC 3339 on Python 3.10."""
    value = value.strip()
    if value[-1:] in ("Z", "z"):
        value = value[:-1] + "+00:00"
    return datetime.fromisoformat(value)
