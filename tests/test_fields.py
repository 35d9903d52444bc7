"""A post's context fields are checked by one validator: every source and the packs say the same words."""

from __future__ import annotations

import pytest

from conftest import DATA

FIELDS = DATA / "fields"
WRONG_KIND = "expected one of: post, reply (got 'story')"


@pytest.mark.parametrize(
    ("argv", "where"),
    [
        (["check", str(FIELDS / "post_of_kind_story.md")], "post_of_kind_story.md:3: kind"),
        (
            ["check", str(FIELDS / "schedule_row_of_kind_story.csv")],
            "schedule_row_of_kind_story.csv:row 2: kind",
        ),
        (
            ["check", "--jsonl", str(FIELDS / "batch_line_of_kind_story.jsonl")],
            "batch_line_of_kind_story.jsonl:1: kind",
        ),
        (
            ["rules", "test", str(FIELDS / "pack_example_of_kind_story.toml")],
            "pack_example_of_kind_story.toml:20: rule[1].must_pass[1].kind",
        ),
    ],
    ids=["post file", "schedule row", "batch line", "pack example"],
)
def test_a_wrong_kind_is_named_in_the_same_words_by_every_source(
    run_cli, argv: list[str], where: str
) -> None:
    result = run_cli(argv)
    assert result.code == 2
    assert f"{where}: {WRONG_KIND}" in result.err
