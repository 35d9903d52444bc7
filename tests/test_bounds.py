"""Any text costs what a real post costs: long runs cut for the tokenizer, long texts read in part."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from septfois.analysis.bounds import ANALYSED_CHARS, ANALYSED_TOKENS, RUN_CHARS, bounded, split_runs
from septfois.analysis.nlp import analyse
from septfois.analysis.textmap import SPACE_RUN, normalise
from septfois.findings.detectors import _LINKISH, linkish_spans
from septfois.findings.engine import Checker
from septfois.model import Post

LANGS = ("fr", "en")


def test_a_text_without_a_long_run_reaches_the_tokenizer_unchanged() -> None:
    view = normalise("Une phrase ordinaire, avec https://example.com/page et #hashtag.")
    assert split_runs(view) is view


def test_a_long_run_is_cut_with_spaces_that_map_to_the_next_character() -> None:
    text = "l'" * RUN_CHARS * 2
    view = split_runs(normalise(text))
    assert view.text.replace(" ", "") == text
    assert all(len(piece) <= RUN_CHARS + 32 for piece in view.text.split(" "))
    for index, ch in enumerate(view.text):
        if ch != " ":
            assert text[view.origin[index]] == ch


def test_a_cut_does_not_fall_inside_an_emoji_sequence() -> None:
    family = "\U0001f469\u200d\U0001f4bb"
    view = split_runs(normalise(family * RUN_CHARS))
    assert all(piece.startswith("\U0001f469") for piece in view.text.split(" "))


def test_tokens_of_a_run_of_apostrophes_point_at_the_original_text() -> None:
    text = "Bonjour " + "l'" * 3000 + " à tous"
    result = analyse(text, lang="fr", languages=LANGS, default="fr")
    assert all(text[tok.start : tok.end] == tok.text for tok in result.tokens)
    assert result.tokens[-1].text == "tous"


def test_a_text_longer_than_any_post_is_cut_at_a_space_before_the_bound() -> None:
    text = "mot " * (ANALYSED_CHARS // 2)
    cut = bounded(text)
    assert len(cut) <= ANALYSED_CHARS
    assert text.startswith(cut) and cut.endswith("mot")


def test_a_token_flood_is_analysed_up_to_the_token_bound() -> None:
    result = analyse("(" * (ANALYSED_TOKENS * 2), lang="fr", languages=LANGS, default="fr")
    assert len(result.tokens) == ANALYSED_TOKENS
    assert len(result.text) == ANALYSED_TOKENS


def test_the_rules_read_a_long_run_of_white_space_cut_short_with_offsets_into_the_original() -> None:
    text = "Bonjour" + "\n" * 3700 + "espèce d'abruti" + " " * 40 + "fin"
    view = normalise(text)
    assert view.text == "Bonjour" + "\n" * SPACE_RUN + "espèce d'abruti" + " " * SPACE_RUN + "fin"
    start = view.text.index("abruti")
    assert text[slice(*view.span(start, start + 6))] == "abruti"
    assert view.span(len(view.text) - 3, len(view.text)) == (len(text) - 3, len(text))


def test_an_insult_after_thousands_of_newlines_is_found_where_it_is(checker: Checker) -> None:
    text = "Bonjour" + "\n" * 3700 + "Le PDG de Rivalco est un abruti."
    report = checker.check(Post(text=text, platforms=("x",)))
    (insult,) = [finding for finding in report.findings if finding.category == "offence"]
    assert text[insult.start : insult.end].lower().endswith("abruti")


def test_a_huge_text_is_checked_in_part_with_a_note_and_counted_whole(checker: Checker) -> None:
    risky = "Les prix vont exploser en 2027, je vous le garantis. "
    text = risky + "Une phrase sans histoire. " * (ANALYSED_CHARS // 10)
    report = checker.check(Post(text=text, platforms=("x",)))
    assert "sensitive:market" in {finding.category for finding in report.findings}
    assert any("characters were checked" in note for note in report.notes)
    assert report.platforms["x"].length >= len(text)
    over = [finding for finding in report.findings if finding.rule == "length.over-limit"]
    assert over and over[0].end == len(text)


def test_a_length_finding_past_a_token_flood_quotes_the_whole_post(checker: Checker) -> None:
    # The analysis reads the flood's first tokens; the length findings of three platforms, merged into one,
    # reach the end of the post, and the merged finding quotes what it points at.
    text = "$AAPL " * (ANALYSED_TOKENS // 2 + 1000)
    report = checker.check(Post(text=text, platforms=("x", "linkedin", "mastodon")))
    over = [finding for finding in report.findings if finding.end == len(text)]
    assert over
    for finding in report.findings:
        assert finding.match == text[finding.start : finding.end]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="a@ .wWhtps:/\u0301\n", max_size=40))
def test_link_spans_found_in_linear_time_are_those_of_the_pattern(text: str) -> None:
    assert linkish_spans(text) == [m.span() for m in _LINKISH.finditer(text)]
