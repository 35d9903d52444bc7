"""The `cooccurrence` rule type: a term of one list near a term of another (same sentence or post)."""

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


class CooccurrenceType:
    name = "cooccurrence"
    keys = frozenset({"first", "second", "scope", *TEXT_KEYS})
    placeholders = frozenset({"match", "first", "second"})

    def compile(self, options: Mapping[str, Any], path: schema.Path) -> Detect:
        first = lexicon(
            schema.strings(schema.required(options, "first", path), (*path, "first")), options, path
        )
        second = lexicon(
            schema.strings(schema.required(options, "second", path), (*path, "second")), options, path
        )
        scope = schema.choice(options.get("scope", "sentence"), ("sentence", "post"), (*path, "scope"))
        excepted = exceptions(options, path)

        def detect(subject: Subject) -> Iterable[Hit]:
            analysis = subject.analysis
            kept = list(drop_excepted((Hit(s, e) for s, e in first.find(analysis)), excepted, analysis))
            if not kept:
                return []  # most posts: the second list need not be looked for
            others = list(drop_excepted((Hit(s, e) for s, e in second.find(analysis)), excepted, analysis))
            text = analysis.text
            hits = []
            for one in kept:
                for other in others:
                    same = scope == "post" or analysis.sentence_of(one.start) == analysis.sentence_of(
                        other.start
                    )
                    if same and (one.end <= other.start or other.end <= one.start):
                        values = {"first": text[one.start : one.end], "second": text[other.start : other.end]}
                        hits.append(Hit(one.start, one.end, values))
                        break
            return hits

        return detect
