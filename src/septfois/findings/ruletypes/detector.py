"""The `detector` rule type: personal data found by a named detector (see septfois.findings.detectors)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from septfois import schema
from septfois.findings.detectors import DETECTORS
from septfois.findings.ruletypes.base import Detect, Hit, Subject, drop_excepted, exceptions


class DetectorType:
    name = "detector"
    keys = frozenset({"detector", "exceptions"})
    placeholders = frozenset({"match"})

    def compile(self, options: Mapping[str, Any], path: schema.Path) -> Detect:
        name = schema.choice(
            schema.required(options, "detector", path), sorted(DETECTORS), (*path, "detector")
        )
        find = DETECTORS[name]
        excepted = exceptions(options, path)

        def detect(subject: Subject) -> Iterable[Hit]:
            hits = (Hit(start, end) for start, end in find(subject.analysis))
            return drop_excepted(hits, excepted, subject.analysis)

        return detect
