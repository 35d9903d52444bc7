"""When a post goes out: the configured quiet periods, their bounds parsed, that a post may fall in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from septfois.config import Config, QuietPeriod
from septfois.dates import iso_datetime
from septfois.errors import SeptfoisError


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


def quiet_window(period: QuietPeriod) -> QuietWindow:
    """`period` with its bounds parsed; a ValueError names the bound that is not a date ("start", "end")."""
    bounds = []
    for key in ("start", "end"):
        raw = getattr(period, key)
        try:
            bound: date | datetime = iso_datetime(raw) if len(raw) > 10 else date.fromisoformat(raw)
        except ValueError:
            raise ValueError(key) from None
        bounds.append(bound)
    return QuietWindow(period, bounds[0], bounds[1])


def quiet_windows(config: Config) -> tuple[QuietWindow, ...]:
    """The configuration's quiet periods, parsed once; a SeptfoisError names a bound that is not a date."""
    windows = []
    for index, period in enumerate(config.quiet_periods):
        try:
            windows.append(quiet_window(period))
        except ValueError as error:
            key = str(error)
            where = f"{config.source}: " if config.source else ""
            raise SeptfoisError(
                f"{where}quiet_period[{index}].{key}: expected a date (2026-02-01) or a date-time"
                f" (got {getattr(period, key)!r})"
            ) from None
    return tuple(windows)
