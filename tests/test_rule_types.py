"""Each rule type, fed an Analysis built by hand (no language model involved)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest

from septfois.analysis.value import Analysis, Entity, Token
from septfois.findings.engine import Checker
from septfois.findings.ruletypes import RULE_TYPES, PatternTimeout, Subject
from septfois.model import Post
from septfois.schema import Invalid


def analysis(text: str, lemmas: Mapping[str, str] | None = None, **kwargs: Any) -> Analysis:
    """Whitespace tokens, with lemmas from `lemmas` (surface form otherwise)."""
    import re

    lemmas = lemmas or {}
    tokens = tuple(
        Token(m.group(), lemmas.get(m.group(), m.group()), m.start(), m.end())
        for m in re.finditer(r"\w+|[^\w\s]", text)
    )
    return Analysis(text=text, lang="fr", langs=("fr",), tokens=tokens, sentences=((0, len(text)),), **kwargs)


def hits(type_name: str, options: dict[str, Any], subject_text: str | Analysis, post: Post | None = None):
    detect = RULE_TYPES[type_name].compile(options, ("rule", 0))
    text_analysis = subject_text if isinstance(subject_text, Analysis) else analysis(subject_text)
    found = detect(Subject(text_analysis, post or Post(text=text_analysis.text)))
    return [text_analysis.text[h.start : h.end] for h in found]


def test_a_lexicon_term_reaches_inflections_through_lemmas() -> None:
    text = analysis("Je plaisantais hier.", {"plaisantais": "plaisanter"})
    assert hits("lexicon", {"terms": ["plaisanter"]}, text) == ["plaisantais"]


def test_a_lexicon_in_surface_mode_ignores_lemmas() -> None:
    text = analysis("Je plaisantais hier.", {"plaisantais": "plaisanter"})
    assert hits("lexicon", {"terms": ["plaisanter"], "match": "surface"}, text) == []


def test_a_starred_term_matches_any_ending() -> None:
    assert hits("lexicon", {"terms": ["plaisant*"]}, "Quelle plaisanterie !") == ["plaisanterie"]


def test_lexicon_folds_case_and_accents_by_default_but_not_when_asked() -> None:
    assert hits("lexicon", {"terms": ["degre"]}, "Au second DEGRÉ.") == ["DEGRÉ"]
    assert hits("lexicon", {"terms": ["degre"], "fold_accents": False}, "Au second degré.") == []
    assert hits("lexicon", {"terms": ["mdr"], "case_sensitive": True}, "MDR") == []


def test_lexicon_matches_whole_words_only() -> None:
    assert hits("lexicon", {"terms": ["lol"]}, "Lola et son lollipop") == []


def test_lexicon_matches_emoji_and_multiword_terms() -> None:
    assert hits("lexicon", {"terms": ["😂", "second degré"]}, "C'est du second   degré 😂") == [
        "second   degré",
        "😂",
    ]


def test_lexicon_exceptions_silence_matches_inside_them() -> None:
    options = {"terms": ["killer"], "exceptions": ["killer feature"]}
    assert hits("lexicon", options, "Our killer feature ships today") == []
    assert hits("lexicon", options, "The killer is still at large") == ["killer"]


def test_a_pattern_finds_matches_and_offers_its_replacement() -> None:
    detect = RULE_TYPES["pattern"].compile(
        {"pattern": r"\bsuper (\w+)", "replacement": r"très \1"}, ("rule", 0)
    )
    text = analysis("Un super produit.")
    (hit,) = detect(Subject(text, Post(text=text.text)))
    assert (text.text[hit.start : hit.end], hit.replacement) == ("super produit", "très produit")


def test_a_pattern_runs_on_normalised_text_but_reports_original_offsets() -> None:
    text = analysis("C\u2019est\u00a0vrai\u202f!")
    assert hits("pattern", {"pattern": r"c'est vrai !"}, text) == ["C\u2019est\u00a0vrai\u202f!"]


def test_a_catastrophic_pattern_is_stopped_by_its_time_bound() -> None:
    detect = RULE_TYPES["pattern"].compile({"pattern": r"(a|aa)+$"}, ("rule", 0))
    text = analysis("a" * 40 + "b")
    with pytest.raises(PatternTimeout):
        list(detect(Subject(text, Post(text=text.text))))


def test_an_invalid_pattern_is_a_load_error_on_its_key() -> None:
    with pytest.raises(Invalid) as caught:
        RULE_TYPES["pattern"].compile({"pattern": "(oops"}, ("rule", 0))
    assert caught.value.path == ("rule", 0, "pattern")


def test_cooccurrence_needs_both_lists_in_the_same_sentence() -> None:
    options = {"first": ["mdr"], "second": ["faillite"]}
    two_sentences = analysis("Faillite annoncée. Bonne soirée mdr")
    two_sentences = Analysis(**{**two_sentences.__dict__, "sentences": ((0, 18), (18, 35))})
    assert hits("cooccurrence", options, two_sentences) == []
    assert hits("cooccurrence", {**options, "scope": "post"}, two_sentences) == ["mdr"]
    assert hits("cooccurrence", options, "La faillite, mdr") == ["mdr"]


def test_detector_rules_find_personal_data() -> None:
    assert hits("detector", {"detector": "email"}, "Écrivez à jean.dupont@example.org !") == [
        "jean.dupont@example.org"
    ]
    assert hits("detector", {"detector": "iban"}, "IBAN FR76 3000 6000 0112 3456 7890 189") == [
        "FR76 3000 6000 0112 3456 7890 189"
    ]
    assert hits("detector", {"detector": "iban"}, "IBAN FR76 3000 6000 0112 3456 7890 188") == []
    assert hits("detector", {"detector": "card"}, "carte 4111 1111 1111 1111") == ["4111 1111 1111 1111"]
    assert hits("detector", {"detector": "card"}, "carte 4111 1111 1111 1112") == []


def test_a_person_detector_reads_entities_but_not_handles() -> None:
    text = analysis(
        "Merci Julie Martin et @jmartin",
        entities=(Entity("PER", 6, 18, "Julie Martin"), Entity("PER", 23, 30, "jmartin")),
    )
    assert hits("detector", {"detector": "full-name"}, text) == ["Julie Martin"]


@pytest.mark.parametrize(
    ("metric", "bound", "text", "fires"),
    [
        ("caps-ratio", {"above": 0.6}, "CECI EST UNE ANNONCE TRÈS IMPORTANTE", True),
        ("caps-ratio", {"above": 0.6}, "Ceci est une annonce très importante", False),
        ("exclamation-run", {"above": 2}, "Enfin !!!!", True),
        ("hashtags", {"above": 3}, "#a #b #c #d", True),
        ("content-words", {"below": 1}, "#lundi #motivation 💪", True),
        ("content-words", {"below": 1}, "Nous ouvrons à Lyon #lundi", False),
    ],
)
def test_metrics_compare_a_measure_with_bounds(
    metric: str, bound: dict[str, float], text: str, fires: bool
) -> None:
    assert bool(hits("metric", {"metric": metric, **bound}, text)) is fires


@pytest.mark.parametrize(
    ("text", "fires"),
    [
        ("Tarte du jour #a #b #c #d #e #f", True),
        ("Tarte du jour #a #b #c #d #e", False),
        (
            "Tarte aux fraises du jour, quatre euros la part, en boutique de Lyon et de Rennes jusqu'à samedi"
            " soir, avec des fraises de Plougastel cueillies le matin même #a #b #c #d #e #f",
            False,
        ),
    ],
)
def test_a_metric_counts_only_when_its_at_least_floors_are_reached(text: str, fires: bool) -> None:
    options = {"metric": "hashtag-share", "above": 0.25, "at_least": {"hashtags": 6}}
    assert bool(hits("metric", options, text)) is fires


def test_an_at_least_floor_naming_an_unknown_measure_is_refused() -> None:
    with pytest.raises(Invalid):
        RULE_TYPES["metric"].compile({"metric": "hashtags", "above": 3, "at_least": {"tags": 2}}, ("rule", 0))


def test_a_metric_without_bounds_is_refused() -> None:
    with pytest.raises(Invalid):
        RULE_TYPES["metric"].compile({"metric": "hashtags"}, ("rule", 0))


def test_a_length_rule_fires_per_platform_asked_for() -> None:
    text = "x" * 300
    post = Post(text=text, platforms=("x", "mastodon"))
    found = list(RULE_TYPES["length"].compile({}, ("rule", 0))(Subject(analysis(text), post)))
    assert [(h.values["platform"], h.values["over"]) for h in found] == [("X", 20)]


def test_a_context_rule_fires_on_the_post_as_a_whole() -> None:
    detect = RULE_TYPES["context"].compile({"when": {"pseudonym": True}}, ("rule", 0))
    (hit,) = detect(Subject(analysis("texte"), Post(text="texte", pseudonym=True)))
    assert (hit.start, hit.end) == (0, 0)


def test_a_context_rule_whose_when_is_false_gives_no_finding(checker: Checker) -> None:
    text = "Voici ce que je pense du marché."
    unmasked = checker.check(Post(text=text, lang="fr", pseudonym=False))
    masked = checker.check(Post(text=text, lang="fr", pseudonym=True))
    assert "anonymity.pseudonymous-account" not in {finding.rule for finding in unmasked.findings}
    assert "anonymity.pseudonymous-account" in {finding.rule for finding in masked.findings}
