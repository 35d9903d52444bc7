"""The lexicon's index of surfaces finds what each term's own regular expression finds."""

from __future__ import annotations

import re

import pytest

from conftest import corpus_texts
from septfois.analysis.value import Analysis
from septfois.findings.lexicon import Lexicon, _surface_pattern, _without_overlaps


@pytest.mark.parametrize(
    "terms",
    [
        ("plaisant*", "second degré", "l'argent", "jusqu'à", "😂", "#ad", "/s", "c-est", "a_b"),
        ("killer", "killer feature", "kill*", "ex-collègue", "œuvre", "go", "go go"),
    ],
)
def test_indexed_surface_matching_finds_what_each_terms_regular_expression_finds(
    terms: tuple[str, ...],
) -> None:
    texts = [
        "Je plaisantais, second  degré\u00a0! L'argent jusqu'à 😂😂 #ad #adverts /s c-est a_b",
        "KILLER feature, killers, killer\nfeature, Ex-collègue, Œuvre, go go go, gogo, ago",
        *corpus_texts()[:60],
    ]
    lexicon = Lexicon(terms, lemmas=False)
    for text in texts:
        analysis = Analysis(text=text, lang="fr")
        view = analysis.view(accents=True, case=True)
        expected = []
        for term in terms:
            folded = lexicon._fold(term)
            anywhere = re.compile(f"(?=({_surface_pattern(folded)}))")
            expected.extend(
                view.span(m.start(1), m.end(1)) for m in anywhere.finditer(view.text) if m.group(1)
            )
        assert lexicon.find(analysis) == _without_overlaps(expected), text
