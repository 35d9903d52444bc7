"""The analysis' shortcuts give what the long way gives: names without the NER, normalisation, word counts."""

from __future__ import annotations

import json

from conftest import corpus_lines, corpus_texts
from septfois.analysis.nlp import pipeline
from septfois.analysis.value import Analysis
from septfois.findings.detectors import names


def test_skipping_the_ner_where_it_cannot_matter_finds_the_same_names() -> None:
    french = [json.loads(line)["text"] for line in corpus_lines() if json.loads(line)["lang"] == "fr"]
    items = [(text, ("fr",)) for text in french]
    fr = pipeline("fr")
    skipping = fr.analyse_many(items)
    complete = fr.analyse_many(items, all_entities=True)
    assert [names(a) for a in skipping] == [names(a) for a in complete]
    assert sum(bool(a.entities) for a in complete) > sum(bool(a.entities) for a in skipping)


def test_normalising_a_plain_text_at_once_gives_what_normalising_each_cluster_gives() -> None:
    from septfois.analysis.textmap import _normalise_by_cluster, normalise

    texts = [
        *corpus_texts(),
        "Ohm \u2126, \u0958, e\u0301, \u0301lone, \u1100\u1161\u11a8, \u1161",
        "C'est l\u2019été\u00a0!\r\n👍🏽 🇫🇷",
        "cafe\u0301 \u212b \ufb01 \u0344",
    ]
    texts += [f"a{chr(code)}b" for code in range(0x20000) if not 0xD800 <= code <= 0xDFFF]
    at_once = 0
    for text in texts:
        assert normalise(text) == _normalise_by_cluster(text), ascii(text)
        at_once += normalise(text).origin == tuple(range(len(text) + 1))
    assert at_once > 0.9 * len(texts)


def test_content_words_are_counted_as_a_pairwise_look_at_every_skipped_span_counts_them() -> None:
    from septfois.findings.ruletypes.metric import EMOJI, HASHTAG, LINK, MENTION, WORD, _content_words

    def pairwise(text: str) -> int:
        skip = [m.span() for p in (HASHTAG, MENTION, LINK, EMOJI) for m in p.finditer(text)]
        return sum(1 for m in WORD.finditer(text) if not any(s <= m.start() < e for s, e in skip))

    texts = [
        *corpus_texts(),
        # Replies as tweets are written, with the mention, tag, link and emoji the count must skip.
        *(f"@user {text} #tag https://x.y/{index} 😂" for index, text in enumerate(corpus_texts()[:60])),
        "#a#b @x@y.z https://x.y/#tag 😂👍🏽 mot #mot, a #b-c d ##x #",
    ]
    skipped = 0
    for text in texts:
        counted, _ = _content_words(Analysis(text=text, lang="en"))
        assert counted == pairwise(text), text
        skipped += counted < len(WORD.findall(text))
    assert skipped > 50
