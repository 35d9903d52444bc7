"""The public entry points `check()` and `Checker`, kept where they always were (they live in findings)."""

from __future__ import annotations

from septfois.findings.engine import Checker, check

__all__ = ["Checker", "check"]
