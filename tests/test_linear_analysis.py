"""Setting names aside before language detection reads each character a bounded number of times."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from septfois.analysis.nlp import _NOT_PROSE, without_names

# The characters the name patterns turn on, and runs of them: links, e-mails, handles, hashtags.
PIECES = st.sampled_from(
    ["a", "é", "@", "#", ".", "-", "_", "(", " ", "\n", "http://", "https://", "www.", "x@y"]
)


@given(st.lists(PIECES, max_size=40).map("".join))
@settings(max_examples=300)
def test_names_are_set_aside_as_the_single_pattern_sets_them_aside(text: str) -> None:
    assert without_names(text) == _NOT_PROSE.sub(" ", text)


def test_a_run_without_spaces_loses_only_its_names() -> None:
    run = "(" * 5000 + "#tag" + "(" * 5000
    assert without_names(run) == "(" * 5000 + " " + "(" * 5000
    assert without_names("écrivez à jean.dupont@gmail.com ou @jean") == "écrivez à   ou  "
