"""Where a post's characters are written in its file: CSV cells and JSON strings, character by character."""

from __future__ import annotations

import csv
import io
import json

from hypothesis import given
from hypothesis import strategies as st

from septfois.analysis.textmap import line_column
from septfois.sources.places import Lines, csv_records, json_string_value

# Text made of what makes CSV hard: delimiters, quotes, both line ends, spaces, an emoji.
CSV_TEXT = st.text(alphabet=st.sampled_from(list('ab,;"\r\n é🎉')), max_size=40)


@given(CSV_TEXT, st.sampled_from([",", ";"]))
def test_csv_records_read_what_the_csv_module_reads(content: str, delimiter: str) -> None:
    try:
        expected = list(csv.reader(io.StringIO(content, newline=""), delimiter=delimiter))
    except csv.Error:
        return  # text the reader refuses (a quote left open at the end) is reported by the parser
    records = csv_records(content, delimiter)
    assert [[cell.value for cell in record] for record in records] == expected


@given(CSV_TEXT, st.sampled_from([",", ";"]))
def test_each_cell_character_is_written_where_its_map_says(content: str, delimiter: str) -> None:
    for record in csv_records(content, delimiter):
        for cell in record:
            spans = zip(cell.chars.starts, cell.chars.ends, strict=True)
            written = [content[start:end] for start, end in spans]
            assert [piece if piece != '""' else '"' for piece in written] == list(cell.value)


def test_a_doubled_quote_is_one_character_written_twice_over() -> None:
    content = 'a,"say ""hi"""\n'
    cell = csv_records(content, ",")[0][1]
    assert cell.value == 'say "hi"'
    start, end = cell.chars.span(4, 8)  # "hi" with its quotes
    assert content[start:end] == '""hi""'


@given(st.text(max_size=20))
def test_a_json_string_maps_every_character_to_its_escape(value: str) -> None:
    line = json.dumps({"id": 1, "text": value, "lang": "fr"})
    chars = json_string_value(line, "text", offset=10)
    assert chars is not None and len(chars.starts) == len(value)
    for index, char in enumerate(value):
        written = line[chars.starts[index] - 10 : chars.ends[index] - 10]
        assert json.loads(f'"{written}"') == char


def test_a_key_that_is_not_a_string_has_no_map() -> None:
    assert json_string_value('{"text": 3}', "text") is None
    assert json_string_value('{"id": "x"}', "text") is None


def test_utf16_columns_count_an_emoji_twice() -> None:
    lines = Lines("first\n🎉 x")
    assert lines.line_column(8) == (2, 3)
    assert lines.utf16_column(8) == 4


def test_a_lone_carriage_return_ends_a_line_as_editors_and_sarif_count_lines() -> None:
    text = "un\rdeux\r\ntrois\nquatre"
    lines = Lines(text)
    assert [lines.line_column(text.index(word)) for word in ("deux", "trois", "quatre")] == [
        (2, 1),
        (3, 1),
        (4, 1),
    ]
    assert line_column(text, text.index("quatre") + 2) == (4, 3)
