"""Folding findings into one per thing said costs in proportion to the findings, not their square."""

from __future__ import annotations

import pytest

from septfois.findings.engine import one_per_thing_said
from septfois.model import Finding, Level


def _laugh(at: int) -> Finding:
    return Finding(
        "humour.laughter-marker", "humour", Level.INFO, "m", "w", "s", at, at + 3, 1, at + 1, "lol"
    )


def test_a_run_of_2000_findings_of_one_category_is_folded_without_comparing_them_pairwise(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A 22,378-character fuzz input gave thousands of adjacent findings; picking the one to speak for
    # them compared each with all before it (18 s).
    findings = [_laugh(3 * index) for index in range(2000)]
    text = "lol" * 2000
    compared = 0
    equal = Finding.__eq__

    def counted(self: Finding, other: object) -> bool:
        nonlocal compared
        compared += 1
        return equal(self, other)

    monkeypatch.setattr(Finding, "__eq__", counted)
    (folded,) = one_per_thing_said(findings, text)
    assert (folded.start, folded.end) == (0, 6000)
    assert compared < 2000
