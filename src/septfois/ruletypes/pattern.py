"""The `pattern` rule type: a Unicode-aware regular expression with a time bound."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import regex

from septfois import schema
from septfois.ruletypes.base import Detect, Hit, Subject, drop_excepted, exceptions

# No pattern may hold up a check longer than this, however it was written (catastrophic backtracking).
TIMEOUT_SECONDS = 0.25


class PatternTimeout(Exception):
    """A rule's pattern ran past its time bound on one text."""


class PatternType:
    name = "pattern"
    keys = frozenset({"pattern", "case_sensitive", "fold_accents", "replacement", "exceptions"})
    placeholders = frozenset({"match"})

    def compile(self, options: Mapping[str, Any], path: schema.Path) -> Detect:
        source = schema.string(schema.required(options, "pattern", path), (*path, "pattern"))
        case_sensitive = schema.boolean(options.get("case_sensitive", False), (*path, "case_sensitive"))
        accents = schema.boolean(options.get("fold_accents", False), (*path, "fold_accents"))
        replacement = options.get("replacement")
        if replacement is not None:
            replacement = schema.string(replacement, (*path, "replacement"), empty=True)
        flags = regex.UNICODE | regex.VERSION1 | (0 if case_sensitive else regex.IGNORECASE)
        try:
            compiled = regex.compile(source, flags)
        except regex.error as error:
            raise schema.Invalid((*path, "pattern"), f"invalid regular expression: {error}") from None
        excepted = exceptions(options, path)

        def detect(subject: Subject) -> Iterable[Hit]:
            view = subject.analysis.view(accents=accents, case=False)
            hits = []
            try:
                for found in compiled.finditer(view.text, timeout=TIMEOUT_SECONDS):
                    if found.end() == found.start():
                        continue
                    start, end = view.span(found.start(), found.end())
                    fix = found.expand(replacement) if replacement is not None else None
                    hits.append(Hit(start, end, replacement=fix))
            except TimeoutError:
                raise PatternTimeout(source) from None
            return drop_excepted(hits, excepted, subject.analysis)

        return detect
