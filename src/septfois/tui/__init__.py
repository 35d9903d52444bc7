"""The terminal UI: an editor that checks a draft post as it is typed, and the seven-turns send gate."""

from __future__ import annotations

from septfois.tui.app import SendResult, SeptfoisApp, create_app

__all__ = ["SendResult", "SeptfoisApp", "create_app"]
