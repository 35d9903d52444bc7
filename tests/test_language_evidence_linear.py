"""Language detection sets links, e-mails, handles and hashtags aside in linear time, as its pattern did."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from septfois.analysis.nlp import _NOT_PROSE, without_names

TRICKY = [
    "",
    "Écrivez à anne@example.com ou @anne, #lancement https://ex.com/a@b www.ex.com",
    "a@b @a@ @@ a@ @b x@@y",
    "(" * 200,
    "(" * 100 + "@" + "(" * 100,
    "http://x@y #a.b-c@d",
    "mot\u00a0@nom\u2009#tag\nsuite@",
]


@pytest.mark.parametrize("text", TRICKY)
def test_names_set_aside_are_those_the_single_pattern_sets_aside(text: str) -> None:
    assert without_names(text) == _NOT_PROSE.sub(" ", text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab@#.-_/:hwtps( \n\u00e9\u00a0"), max_size=40))
def test_any_text_loses_the_same_names_either_way(text: str) -> None:
    assert without_names(text) == _NOT_PROSE.sub(" ", text)


def test_a_long_run_without_spaces_or_at_signs_keeps_its_characters() -> None:
    # 64,000 "(" took 26 s of CPU through the single pattern, retried at every offset of the run.
    assert without_names("(" * 64_000) == "(" * 64_000
