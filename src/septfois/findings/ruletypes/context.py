"""The `context` rule type: fires on the post as a whole when the rule's `when` conditions hold."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from septfois import schema
from septfois.findings.ruletypes.base import Detect, Hit, Subject


class ContextType:
    name = "context"
    keys: frozenset[str] = frozenset()
    placeholders = frozenset({"account", "kind"})

    def compile(self, options: Mapping[str, Any], path: schema.Path) -> Detect:
        if "when" not in options:
            raise schema.Invalid((*path, "when"), "a context rule needs `when` conditions")

        def detect(subject: Subject) -> Iterable[Hit]:
            # Anchored at the start so the finding has a place, yet highlights nothing.
            return [Hit(0, 0, {"account": subject.post.account, "kind": subject.post.kind})]

        return detect
