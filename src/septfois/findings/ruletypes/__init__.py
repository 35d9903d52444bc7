"""The fixed set of rule types a pack can name, by name."""

from __future__ import annotations

from septfois.findings.ruletypes.base import Detect, Hit, RuleType, Subject
from septfois.findings.ruletypes.classifier import ClassifierType
from septfois.findings.ruletypes.context import ContextType
from septfois.findings.ruletypes.cooccurrence import CooccurrenceType
from septfois.findings.ruletypes.detector import DetectorType
from septfois.findings.ruletypes.length import LengthType
from septfois.findings.ruletypes.lexicon import LexiconType
from septfois.findings.ruletypes.metric import MetricType
from septfois.findings.ruletypes.pattern import PatternTimeout, PatternType
from septfois.findings.ruletypes.timing import TimingCheck, TimingType
from septfois.findings.ruletypes.tokens import TokensType

RULE_TYPES: dict[str, RuleType] = {
    rule_type.name: rule_type
    for rule_type in (
        LexiconType(),
        PatternType(),
        CooccurrenceType(),
        DetectorType(),
        MetricType(),
        LengthType(),
        ContextType(),
        TimingType(),
        TokensType(),
        ClassifierType(),
    )
}


def is_second_opinion(type_name: str) -> bool:
    """Whether rules of the type named `type_name` are a second opinion: run after every other rule, and
    quiet about a category another rule already said something about (a type says so with
    `second_opinion = True`)."""
    return bool(getattr(RULE_TYPES.get(type_name), "second_opinion", False))


__all__ = [
    "RULE_TYPES",
    "Detect",
    "Hit",
    "PatternTimeout",
    "RuleType",
    "Subject",
    "TimingCheck",
    "is_second_opinion",
]
