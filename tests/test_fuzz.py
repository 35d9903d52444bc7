"""Property tests: whatever the text or the bytes, a check gives a report or a clear error, never a
traceback, only exit codes 0, 1 or 2, and within a bounded time (hypothesis's deadline)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from septfois.findings.engine import Checker
from septfois.model import Post

# Code points from every plane (surrogates cannot be encoded, so no text holds them).
ANY_CHARACTER = st.characters(min_codepoint=0, max_codepoint=0x10FFFF, exclude_categories=("Cs",))
FLOOD_UNITS = [
    "l'", "(", "a.", "@", "#", "\U0001f600", "\U0001f469\u200d\U0001f4bb", "\u0301", "https://x.fr/",
    "\u200b", "\ufeff", "\r", "\x00", "Ⅻ", "ß", "İ", "\u202e", "#tag ", "@a ", "$AAPL ", "ﷺ", "e\u0301",
]  # fmt: skip
WORDS = [
    "Bonjour",
    "mdr",
    "prix",
    "exploser",
    "Marie Dupont",
    "licencié",
    "😂",
    "\n",
    " ",
    "!!!",
    "https://a.fr",
]


@st.composite
def hostile_text(draw: st.DrawFn) -> str:
    """Random Unicode, token floods, BOMs, CR-only lines, long lines and words of real posts, mixed."""
    parts = draw(
        st.lists(
            st.one_of(
                st.text(ANY_CHARACTER, max_size=200),
                st.builds(
                    lambda unit, count: unit * count, st.sampled_from(FLOOD_UNITS), st.integers(1, 3000)
                ),
                st.sampled_from(WORDS),
                st.builds(lambda line: line.replace("\n", "\r"), st.text(max_size=80)),
                st.just("\ufeff"),
            ),
            max_size=8,
        )
    )
    return "".join(parts)


# Bounded time per example, generously above what a check costs on a loaded two-core machine.
BOUNDED = settings(
    max_examples=60,
    deadline=timedelta(seconds=30),
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)


@BOUNDED
@given(text=hostile_text())
def test_any_text_gives_a_report_whose_findings_point_into_it(checker: Checker, text: str) -> None:
    report = checker.check(Post(text=text, platforms=("x", "linkedin", "mastodon")))
    for finding in report.findings:
        assert 0 <= finding.start <= finding.end <= len(text)
        assert finding.match == text[finding.start : finding.end]
        assert len(finding.message) < 1_000
    assert set(report.platforms) == {"x", "linkedin", "mastodon"}


@BOUNDED
@given(data=st.one_of(st.binary(max_size=400), hostile_text().map(lambda text: text.encode("utf-8"))))
def test_any_bytes_on_standard_input_end_in_exit_0_1_or_2_without_a_traceback(run_cli, data: bytes) -> None:
    result = run_cli(["check", "-"], data)
    assert result.code in (0, 1, 2)
    assert "Traceback" not in result.err


@BOUNDED
@given(
    data=st.one_of(st.binary(max_size=300), hostile_text().map(lambda text: text.encode("utf-8"))),
    suffix=st.sampled_from([".txt", ".md"]),
    form=st.sampled_from(["text", "json", "sarif", "github"]),
)
def test_any_file_in_any_output_format_ends_in_exit_0_1_or_2(
    run_cli, tmp_path_factory: pytest.TempPathFactory, data: bytes, suffix: str, form: str
) -> None:
    path = tmp_path_factory.mktemp("fuzz") / f"post{suffix}"
    path.write_bytes(data)
    result = run_cli(["check", "--format", form, str(path)])
    assert result.code in (0, 1, 2)
    assert "Traceback" not in result.err


def test_a_word_of_combining_marks_alone_is_checked_like_any_other(checker: Checker) -> None:
    # Found by bench_fuzz: the word folds to nothing, and spaCy refuses an empty word in a Doc.
    report = checker.check(Post(text="\u0301" * 40 + " licencié mdr"))
    assert any(finding.category == "humour" for finding in report.findings)
