"""The `lexicon` rule type: any of a list of terms, matched on lemmas or surface forms."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from septfois import schema
from septfois.findings.ruletypes.base import (
    TEXT_KEYS,
    Detect,
    Hit,
    Subject,
    drop_excepted,
    exceptions,
    lexicon,
)


class LexiconType:
    name = "lexicon"
    keys = frozenset({"terms", *TEXT_KEYS})
    placeholders = frozenset({"match"})

    def compile(self, options: Mapping[str, Any], path: schema.Path) -> Detect:
        terms = schema.strings(schema.required(options, "terms", path), (*path, "terms"))
        words = lexicon(terms, options, path)
        excepted = exceptions(options, path)

        def detect(subject: Subject) -> Iterable[Hit]:
            hits = (Hit(start, end) for start, end in words.find(subject.analysis))
            return drop_excepted(hits, excepted, subject.analysis)

        return detect
