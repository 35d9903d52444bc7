"""septfois: check a draft social-media post before it is published."""

from __future__ import annotations

__version__ = "0.1.0"
