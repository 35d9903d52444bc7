"""Detection quality on labelled posts: precision and recall per category and per language."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from septfois.model import CATEGORIES, Level, Report


@dataclass(frozen=True)
class Labelled:
    """A post from a labelled corpus: its categories, and which categories it was annotated for."""

    id: str
    lang: str
    labels: frozenset[str]
    scope: frozenset[str] | None  # None: annotated for every category

    def in_scope(self, category: str) -> bool:
        if self.scope is None:
            return True
        return category in self.scope or (category.startswith("sensitive:") and "sensitive" in self.scope)


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def support(self) -> int:
        return self.tp + self.fn


@dataclass
class Evaluation:
    """Tallies per (category, language), with "all" as the language for both together."""

    tallies: dict[tuple[str, str], Tally] = field(default_factory=dict)
    safe_posts: dict[str, int] = field(default_factory=dict)
    safe_flagged: dict[str, int] = field(default_factory=dict)
    misses: list[tuple[Labelled, str]] = field(default_factory=list)
    false_alarms: list[tuple[Labelled, str, Report]] = field(default_factory=list)
    posts: int = 0

    def tally(self, category: str, lang: str = "all") -> Tally:
        return self.tallies.setdefault((category, lang), Tally())

    def categories(self) -> list[str]:
        seen = {category for category, _ in self.tallies}
        return [category for category in CATEGORIES if category in seen]

    def languages(self) -> list[str]:
        return sorted({lang for _, lang in self.tallies if lang != "all"})

    def safe_rate(self, lang: str = "all") -> float | None:
        total = self.safe_posts.get(lang, 0)
        return self.safe_flagged.get(lang, 0) / total if total else None


def flagged_categories(report: Report, threshold: Level = Level.WARNING) -> set[str]:
    return {finding.category for finding in report.findings if finding.level >= threshold}


def evaluate(pairs: Iterable[tuple[Labelled, Report]], categories: Sequence[str] = CATEGORIES) -> Evaluation:
    """Count, for each category in scope of each post, whether findings at warning or above agree."""
    result = Evaluation()
    for item, report in pairs:
        result.posts += 1
        found = flagged_categories(report)
        for category in categories:
            if not item.in_scope(category):
                continue
            expected = category in item.labels
            got = category in found
            if not expected and not got:
                continue
            for lang in ("all", item.lang):
                tally = result.tally(category, lang)
                if expected and got:
                    tally.tp += 1
                elif got:
                    tally.fp += 1
                else:
                    tally.fn += 1
            if expected and not got:
                result.misses.append((item, category))
            elif got and not expected:
                result.false_alarms.append((item, category, report))
        if not item.labels and item.scope is None:
            for lang in ("all", item.lang):
                result.safe_posts[lang] = result.safe_posts.get(lang, 0) + 1
                if found:
                    result.safe_flagged[lang] = result.safe_flagged.get(lang, 0) + 1
    return result
