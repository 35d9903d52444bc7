"""Runs every rule's own examples: each must_flag example must fire the rule, each must_pass must not."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from septfois.config import Config
from septfois.findings.engine import Checker, run_rules, timing_hits
from septfois.findings.packs import Example, Pack, Rule
from septfois.findings.ruletypes import Subject


@dataclass(frozen=True)
class ExampleFailure:
    rule: Rule
    example: Example
    expected: bool  # True: should have flagged

    def describe(self) -> str:
        where = f"{self.rule.file}:{self.example.line or self.rule.line or 0}"
        wanted = "must_flag example did not flag" if self.expected else "must_pass example flagged"
        text = self.example.post.text.replace("\n", "\\n")
        if len(text) > 100:
            text = text[:97] + "..."
        return f"{where}: {self.rule.id}: {wanted}: {text!r}"


def run_examples(
    packs: Iterable[Pack], config: Config | None = None
) -> Iterator[tuple[Rule, Example, bool, bool]]:
    """(rule, example, expected to flag, passed) for every example of every rule in `packs`."""
    packs = list(packs)
    checker = Checker(config or Config(), packs=packs)
    for pack in packs:
        for rule in pack.rules:
            for expected, examples in ((True, rule.must_flag), (False, rule.must_pass)):
                for example in examples:
                    post = checker.contextualise(example.post)
                    analysis = checker.analyse(post)
                    subject = Subject(
                        analysis, post, checker.config.platform_settings, example.now, example.quiet_windows
                    )
                    findings, _ = run_rules([rule], subject, "en")
                    flagged = bool(findings) or bool(timing_hits(rule, subject))
                    yield rule, example, expected, flagged == expected


def failures(packs: Iterable[Pack], config: Config | None = None) -> list[ExampleFailure]:
    return [
        ExampleFailure(rule, example, expected)
        for rule, example, expected, passed in run_examples(packs, config)
        if not passed
    ]
