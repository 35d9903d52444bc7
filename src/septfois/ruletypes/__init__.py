"""The fixed set of rule types a pack can name, by name."""

from __future__ import annotations

from septfois.ruletypes.base import Detect, Hit, RuleType, Subject
from septfois.ruletypes.context import ContextType
from septfois.ruletypes.cooccurrence import CooccurrenceType
from septfois.ruletypes.detector import DetectorType
from septfois.ruletypes.length import LengthType
from septfois.ruletypes.lexicon import LexiconType
from septfois.ruletypes.metric import MetricType
from septfois.ruletypes.pattern import PatternTimeout, PatternType

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
    )
}

__all__ = ["RULE_TYPES", "Detect", "Hit", "PatternTimeout", "RuleType", "Subject"]
