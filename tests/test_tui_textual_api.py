"""The private parts of Textual the editor uses are reached through one helper that says what broke."""

from __future__ import annotations

from importlib.metadata import version

import pytest
from textual.widgets import TextArea

from septfois.tui.textual_api import TextualChanged, bindings, forget_rendered_lines


def test_the_bindings_of_a_widget_are_reached_through_the_helper() -> None:
    area = TextArea()
    bindings(area).bind("f9", "noop", "Nothing")
    assert "f9" in bindings(area).key_to_bindings


def test_a_missing_private_attribute_is_an_error_naming_the_textual_version() -> None:
    class Bare:
        pass

    with pytest.raises(TextualChanged, match=rf"Bare\._line_cache .*Textual {version('textual')}"):
        forget_rendered_lines(Bare())  # type: ignore[arg-type]


def test_the_rendered_lines_of_a_text_area_can_be_forgotten() -> None:
    forget_rendered_lines(TextArea("abc"))  # the attribute exists in the supported Textual
