"""The `length` rule type: a post over a platform's limits, or its main point below the "see more" fold."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from septfois import schema
from septfois.findings import platforms
from septfois.findings.ruletypes.base import Detect, Hit, Subject, lexicon
from septfois.findings.ruletypes.metric import LINK


class LengthType:
    name = "length"
    keys = frozenset({"check", "platforms", "terms"})
    placeholders = frozenset({"match", "platform", "length", "limit", "over", "what"})

    def compile(self, options: Mapping[str, Any], path: schema.Path) -> Detect:
        check = schema.choice(options.get("check", "limit"), ("limit", "fold"), (*path, "check"))
        only: tuple[str, ...] = ()
        if "platforms" in options:
            only = schema.choices(options["platforms"], sorted(platforms.PLATFORMS), (*path, "platforms"))
        terms = schema.strings(options.get("terms", []), (*path, "terms"), empty=True)
        below_fold = lexicon(terms, {}, path) if terms else None

        def asked(subject: Subject) -> list[str]:
            return [name for name in subject.post.platforms if not only or name in only]

        def over_limits(subject: Subject) -> Iterable[Hit]:
            text = subject.text
            for name in asked(subject):
                for check in subject.measure(name).exceeded():
                    yield Hit(
                        _cut_point(text, check.limit, check.value) if check.name == "length" else 0,
                        len(text) if check.name == "length" else 0,
                        {
                            "platform": platforms.PLATFORMS[name].title,
                            "length": check.value,
                            "limit": check.limit,
                            "over": check.over,
                            "what": check.name,
                        },
                    )

        def under_fold(subject: Subject) -> Iterable[Hit]:
            analysis = subject.analysis
            for name in asked(subject):
                fold = platforms.fold_offset(name, analysis.text)
                if fold is None:
                    continue
                spans = [m.span() for m in LINK.finditer(analysis.text)]
                if below_fold is not None:
                    spans.extend(below_fold.find(analysis))
                hidden = sorted(span for span in spans if span[0] >= fold)
                if hidden:
                    title = platforms.PLATFORMS[name].title
                    yield Hit(hidden[0][0], hidden[0][1], {"platform": title, "limit": fold})

        return over_limits if check == "limit" else under_fold


def _cut_point(text: str, limit: int, value: int) -> int:
    """Roughly where the platform would cut: a code-point estimate used only for highlighting."""
    if value <= 0:
        return 0
    return max(0, min(len(text), round(len(text) * limit / value)))
