"""Language detection and the analysis the rules read: real spaCy pipelines, offsets in the original."""

from __future__ import annotations

from septfois.analysis.nlp import analyse, detect_languages
from septfois.analysis.textmap import fold, normalise
from septfois.findings.engine import Checker
from septfois.model import Post

LANGS = ("fr", "en")


def test_short_texts_fall_back_to_the_default_language() -> None:
    assert detect_languages("Merci !", LANGS, "fr") == ("fr",)
    assert detect_languages("lol", LANGS, "en") == ("en",)


def test_detection_is_restricted_to_the_configured_languages() -> None:
    italian = "Questo è un testo italiano abbastanza lungo per essere riconosciuto senza dubbio."
    assert detect_languages(italian, LANGS, "fr")[0] in LANGS


def test_detection_is_repeatable() -> None:
    text = "Nous sommes fiers de notre équipe and we love our customers"
    assert len({detect_languages(text, LANGS, "fr") for _ in range(5)}) == 1


def test_a_long_english_post_is_english_and_says_which_analysis_ran() -> None:
    result = analyse(
        "We are really proud of what the whole team shipped this quarter.",
        lang=None,
        languages=LANGS,
        default="fr",
    )
    assert result.lang == "en"
    assert result.analyser.startswith("spacy ")


def test_french_lemmas_come_from_the_french_model() -> None:
    result = analyse("Je plaisantais avec les équipes.", lang="fr", languages=LANGS, default="fr")
    lemmas = {token.text: token.lemma for token in result.tokens}
    assert lemmas["plaisantais"] == "plaisanter"
    assert result.analyser == "spacy fr_core_news_sm"


def test_english_lemmas_without_a_model_come_from_lookup_tables() -> None:
    result = analyse("The layoffs were announced.", lang="en", languages=LANGS, default="fr")
    assert {token.text: token.lemma for token in result.tokens}["layoffs"] == "layoff"


def test_english_person_names_are_found_by_rule_without_a_model() -> None:
    result = analyse("Please call John Smith tomorrow.", lang="en", languages=LANGS, default="fr")
    assert [(e.label, e.text) for e in result.entities] == [("PER", "John Smith")]


def test_offsets_refer_to_the_original_text_after_normalisation() -> None:
    text = "Cafe\u0301 l\u2019e\u0301quipe\u00a0: je plaisante\u202f!"
    mapped = normalise(text)
    assert mapped.text == "Café l'équipe : je plaisante !"
    start = mapped.text.index("l'équipe")
    assert text[slice(*mapped.span(start, start + len("l'équipe")))] == "l\u2019e\u0301quipe"
    folded = fold(mapped)
    assert folded.text == "cafe l'equipe : je plaisante !"


def test_findings_point_into_the_original_text_whatever_its_form(checker: Checker) -> None:
    text = "On plaisante au second\u00a0degre\u0301 bien su\u0302r\u202f! mdr"
    report = checker.check(Post(text=text, lang="fr"))
    for finding in report.findings:
        assert text[finding.start : finding.end] == finding.match
    assert any(f.match == "mdr" for f in report.findings)


def test_a_mixed_french_and_english_post_gets_rules_of_both(checker: Checker) -> None:
    text = "Super fiers de notre nouvelle équipe à Lyon, just kidding about the coffee lol"
    report = checker.check(Post(text=text))
    assert "humour" in {f.category for f in report.findings}


def test_short_english_posts_are_english_by_their_words() -> None:
    for text in (
        "@jdupont you are an idiot",
        "What a bunch of clowns 🤡",
        "Hello",
        "RT if you agree 🔁 Like if you don't",
    ):
        assert detect_languages(text, LANGS, "fr") == ("en",), text


def test_short_english_sentences_langdetect_reads_as_french_are_english() -> None:
    assert detect_languages("I hate women.", LANGS, "fr") == ("en",)
    assert detect_languages("Je déteste les femmes.", LANGS, "en") == ("fr",)


def test_hashtags_and_emoji_alone_get_the_default_language_without_a_guess() -> None:
    assert detect_languages("#PrayForMaui 🙏🌺 #Maui #StaySafe", LANGS, "fr") == ("fr",)
    assert detect_languages("#PrayForMaui 🙏🌺 #Maui #StaySafe", LANGS, "en") == ("en",)


def test_a_bilingual_post_names_both_languages_the_main_one_first() -> None:
    text = "Our first store opens in Paris, rue de la Paix. Venez nombreux, on vous attend avec le sourire !"
    assert detect_languages(text, LANGS, "en") == ("fr", "en")
