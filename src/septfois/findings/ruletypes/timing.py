"""The `timing` rule type: a rule on when a post goes out (a past date, a quiet period), not on its text."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from septfois import schema
from septfois.findings.ruletypes.base import Hit, Subject
from septfois.model import CATEGORIES

MOMENTS = ("past", "quiet-period")


@dataclass(frozen=True)
class TimingCheck:
    """A compiled `timing` rule: it fires on when the post goes out, not on its text. With `escalates`,
    it raises the findings of those categories to its level, its message added to their `why`."""

    moment: str
    escalates: tuple[str, ...] = ()

    def __call__(self, subject: Subject) -> Iterator[Hit]:
        publish_at = subject.post.publish_at
        if publish_at is None:
            return
        when = publish_at.isoformat(timespec="minutes")
        if self.moment == "past":
            if publish_at < (subject.now or datetime.now().astimezone()):
                yield Hit(0, 0, {"when": when})
            return
        window = next((w for w in subject.quiet_windows if w.contains(publish_at)), None)
        if window is not None:
            period = window.period
            values = {
                "when": when,
                "start": period.start,
                "end": period.end,
                "reason": period.reason.rstrip("."),
            }
            yield Hit(0, 0, values)


class TimingType:
    """`moment = "past"`: a publish_at already past. `moment = "quiet-period"`: a publish_at inside a
    configured quiet period, which raises the findings of the `escalates` categories."""

    name = "timing"
    keys = frozenset({"moment", "escalates"})
    placeholders = frozenset({"when", "start", "end", "reason"})

    def compile(self, options: Mapping[str, Any], path: schema.Path) -> TimingCheck:
        moment = schema.choice(schema.required(options, "moment", path), MOMENTS, (*path, "moment"))
        if moment == "past":
            if "escalates" in options:
                raise schema.Invalid((*path, "escalates"), 'only a `moment = "quiet-period"` rule escalates')
            return TimingCheck(moment)
        escalates = schema.choices(
            schema.required(options, "escalates", path), CATEGORIES, (*path, "escalates")
        )
        return TimingCheck(moment, escalates)
