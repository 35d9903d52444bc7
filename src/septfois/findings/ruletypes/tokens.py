"""The `tokens` rule type: word patterns (lemmas, written forms, word lists, gaps) on spaCy's Matcher."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from septfois import schema
from septfois.findings.lexicon import overlaps
from septfois.findings.matcher import PatternError, TokenPatterns, compile_pattern
from septfois.findings.ruletypes.base import Detect, Hit, Subject, drop_excepted, exceptions

# The Matcher's keys for the two pattern lists of a rule.
FIRES = "fires"
EXCUSES = "excuses"


class TokensType:
    name = "tokens"
    keys = frozenset({"patterns", "lists", "except_patterns", "exceptions"})
    placeholders = frozenset({"match"})

    def compile(self, options: Mapping[str, Any], path: schema.Path) -> Detect:
        lists: dict[str, tuple[str, ...]] = {}
        if "lists" in options:
            table = schema.table(options["lists"], (*path, "lists"))
            for name, entries in table.items():
                if not name.replace("-", "").replace("_", "").isalnum() or not name[:1].isalpha():
                    raise schema.Invalid((*path, "lists", name), "a list name is letters, digits, - and _")
                lists[name.lower()] = schema.strings(entries, (*path, "lists", name))
        compiled = {FIRES: _patterns(options, "patterns", lists, path, required=True)}
        if "except_patterns" in options:
            compiled[EXCUSES] = _patterns(options, "except_patterns", lists, path, required=True)
        used = {name for name in lists if any(f"{{{name}}}" in p for p in _sources(options))}
        for name in sorted(set(lists) - used):
            raise schema.Invalid((*path, "lists", name), "list not used by any pattern")
        matcher = TokenPatterns(compiled)
        excepted = exceptions(options, path)

        def detect(subject: Subject) -> Iterable[Hit]:
            analysis = subject.analysis
            found = matcher.matches(analysis)
            spans = found.get(FIRES)
            if not spans:
                return []
            excuses = found.get(EXCUSES, [])
            hits = (
                Hit(start, end) for start, end in _first_longest(spans) if not overlaps((start, end), excuses)
            )
            return drop_excepted(hits, excepted, analysis)

        return detect


def _sources(options: Mapping[str, Any]) -> list[str]:
    return [p for key in ("patterns", "except_patterns") for p in options.get(key, []) if isinstance(p, str)]


def _patterns(
    options: Mapping[str, Any],
    key: str,
    lists: Mapping[str, tuple[str, ...]],
    path: schema.Path,
    *,
    required: bool,
) -> list[list[dict[str, Any]]]:
    sources = schema.strings(
        schema.required(options, key, path) if required else options.get(key, []), (*path, key)
    )
    compiled: list[list[dict[str, Any]]] = []
    for index, source in enumerate(sources):
        try:
            compiled.extend(compile_pattern(source, lists))
        except PatternError as error:
            raise schema.Invalid((*path, key, index), str(error)) from None
    return compiled


def _first_longest(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    kept: list[tuple[int, int]] = []
    for start, end in sorted(set(spans), key=lambda s: (s[0], -s[1])):
        if not kept or start >= kept[-1][1]:
            kept.append((start, end))
    return kept
