"""The few private parts of Textual the editor relies on, reached in one place that names the version."""

from __future__ import annotations

from typing import Any

from textual.binding import BindingsMap
from textual.cache import LRUCache
from textual.dom import DOMNode
from textual.widgets import TextArea


class TextualChanged(RuntimeError):
    """A private part of Textual that septfois uses is gone: the installed Textual is not one we support."""


def _textual_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("textual")
    except PackageNotFoundError:  # pragma: no cover - Textual imported from a source tree
        return "unknown"


def _private(owner: object, name: str, expected: type | tuple[type, ...]) -> Any:
    """`owner.name`, or a TextualChanged naming the attribute and the installed Textual version."""
    value = getattr(owner, name, None)
    if not isinstance(value, expected):
        raise TextualChanged(
            f"septfois needs {type(owner).__name__}.{name} from Textual, which Textual "
            f"{_textual_version()} does not have; install the Textual version pyproject.toml allows"
        )
    return value


def bindings(node: DOMNode) -> BindingsMap:
    """The node's own key bindings, so that labels in the UI language can be added when it is built.

    Textual reads bindings from the class's BINDINGS; ours are labelled per instance, in the UI language.
    """
    return _private(node, "_bindings", BindingsMap)


def forget_rendered_lines(area: TextArea) -> None:
    """Drop the TextArea's cache of rendered lines, which is keyed by cursor and scroll, not by our marks."""
    _private(area, "_line_cache", LRUCache).clear()
