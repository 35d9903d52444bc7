"""The line of a key in a TOML source, as pack and configuration errors report it."""

from __future__ import annotations

from septfois.tomlpos import KeyLines, key_line

PACK = """\
id = "demo"            # 1
title = "Demo"         # 2

[[rule]]               # 4
id = "first"           # 5
must_flag = ["a"]      # 6

[[rule]]               # 8
id = "second"          # 9
detect.terms = ["x"]   # 10

[rule.when]            # 12
kind = "reply"         # 13
"""


def test_a_top_level_key_is_found_on_its_own_line() -> None:
    assert KeyLines(PACK).line(("title",)) == 2


def test_each_element_of_an_array_of_tables_is_counted_from_zero() -> None:
    lines = KeyLines(PACK)
    assert lines.line(("rule", 0)) == 4
    assert lines.line(("rule", 1)) == 8
    assert lines.line(("rule", 1, "id")) == 9


def test_a_dotted_key_is_found_by_its_first_part() -> None:
    assert KeyLines(PACK).line(("rule", 1, "detect", "terms")) == 10


def test_a_table_under_an_array_of_tables_belongs_to_its_latest_element() -> None:
    assert KeyLines(PACK).line(("rule", 1, "when", "kind")) == 13


def test_a_missing_key_falls_back_to_the_closest_enclosing_header() -> None:
    assert KeyLines(PACK).line(("rule", 0, "message")) == 4
    assert KeyLines(PACK).line(("rule", 1, "when", "platform")) == 12


def test_a_path_outside_every_table_has_no_line() -> None:
    assert KeyLines(PACK).line(("languages",)) is None


def test_asking_once_gives_what_reading_the_source_once_gives() -> None:
    lines = KeyLines(PACK)
    for path in [("id",), ("rule", 0, "must_flag"), ("rule", 1, "when"), ("nowhere", 3)]:
        assert key_line(PACK, path) == lines.line(path)
