"""Word patterns on spaCy's Matcher (the `tokens` rule type), disguised spellings, insults about anyone."""

from __future__ import annotations

import re
from typing import Any

import pytest

from conftest import DATA
from septfois.analysis.value import Analysis, Token
from septfois.errors import PackError
from septfois.findings.engine import Checker
from septfois.findings.matcher import Known
from septfois.findings.packs import load_pack
from septfois.findings.ruletypes import RULE_TYPES, Subject
from septfois.model import Level, Post

PACKS = DATA / "packs"


def analysis(text: str, lemmas: dict[str, str] | None = None) -> Analysis:
    """Tokens split on spaces and punctuation (apostrophes kept), lemmas from `lemmas` or the word itself."""
    lemmas = lemmas or {}
    tokens = tuple(
        Token(m.group(), lemmas.get(m.group(), m.group()), m.start(), m.end())
        for m in re.finditer(r"[\w*$@.]+\w|\w+'?|[^\w\s]", text)
    )
    return Analysis(text=text, lang="en", langs=("en",), tokens=tokens, sentences=((0, len(text)),))


def found(options: dict[str, Any], text: str | Analysis) -> list[str]:
    detect = RULE_TYPES["tokens"].compile(options, ("rule", 0))
    subject = text if isinstance(text, Analysis) else analysis(text)
    return [subject.text[hit.start : hit.end] for hit in detect(Subject(subject, Post(subject.text)))]


INSULT = {
    "lists": {"insult": ["moron", "idiot", "fils de pute"], "be": ["be"]},
    "patterns": ["{be} a|an|such? _{0,3} {insult}"],
}


def test_a_gap_lets_any_words_stand_between_the_verb_and_the_insult() -> None:
    text = analysis("The CEO of Rivalco is a complete and utter moron.", {"is": "be"})
    assert found(INSULT, text) == ["is a complete and utter moron"]


def test_a_gap_is_bounded_and_does_not_cross_a_sentence_end() -> None:
    assert found(INSULT, analysis("He is a very very very kind moron.", {"is": "be"})) == []
    assert found(INSULT, analysis("He is here. Moron.", {"is": "be"})) == []


def test_a_pattern_word_matches_the_lemma_and_a_written_form_only_with_an_equals_sign() -> None:
    lemma = {"lists": {"be": ["be"]}, "patterns": ["{be} late"]}
    written = {"patterns": ["=was late"]}
    text = analysis("She was late.", {"was": "be"})
    assert found(lemma, text) == ["was late"]
    assert found(written, text) == ["was late"]
    assert found({"patterns": ["=be late"]}, text) == []


def test_a_word_in_lemma_position_also_matches_its_written_form_whatever_other_rules_name() -> None:
    # "zorbified" is an inflected form: it matches as written, before and after a rule names its lemma.
    text = analysis("she has never zorbified a pen", {"zorbified": "zorbify"})
    inflected = {"lists": {"done": ["zorbified"]}, "patterns": ["=never {done}"]}
    assert found(inflected, text) == ["never zorbified"]
    assert found({"lists": {"verb": ["zorbify"]}, "patterns": ["{verb} a pen"]}, text) == ["zorbified a pen"]
    assert found(inflected, text) == ["never zorbified"]


def test_a_written_plural_in_a_list_with_prefixes_matches_whatever_other_rules_name() -> None:
    # A list with a prefix entry compiles to one regular expression; its whole words count as named too.
    text = analysis("the zorbs always win", {"zorbs": "zorb"})
    plural = {"lists": {"group": ["zorbs", "flar*"]}, "patterns": ["{group} always"]}
    assert found({"patterns": ["zorb win"]}, text) == []  # a rule naming the lemma
    assert found(plural, text) == ["zorbs always"]


def test_a_pattern_needing_a_word_by_lemma_and_another_as_written_matches_both_at_once() -> None:
    # Both words have a second lemma ("was" is "be", "zorbified" is "zorbify"): one pattern names the lemma
    # of the first and the written form of the second.
    text = analysis("he was zorbified twice", {"was": "be", "zorbified": "zorbify"})
    found({"patterns": ["zorbify", "was"]}, text)  # both written forms and both lemmas are named words
    found({"patterns": ["be", "zorbified"]}, text)
    assert found({"patterns": ["be zorbified"]}, text) == ["was zorbified"]


def test_a_multi_word_list_entry_matches_its_words_in_a_row() -> None:
    options = {"lists": {"insult": ["moron", "fils de pute"]}, "patterns": ["{insult}"]}
    assert found(options, "Quel fils de pute.") == ["fils de pute"]


def test_an_except_pattern_cancels_the_matches_inside_it() -> None:
    options = {**INSULT, "except_patterns": ["i {be} _{0,3} {insult}"]}
    assert found(options, analysis("I am such an idiot.", {"am": "be"})) == []
    assert found(options, analysis("You are such an idiot.", {"are": "be"})) == ["are such an idiot"]


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("m0r0n", "moron"),
        ("i.d.i.o.t", "idiot"),
        ("iiiidiot", "idiot"),
        ("connnnard", "connard"),
        ("c*nnard", "connard"),
        ("a$$hole", "asshole"),
        ("thraet", "threat"),
        ("haet", "hate"),
        ("cancr", "cancer"),
    ],
)
def test_a_disguised_spelling_is_read_as_the_word_it_hides(written: str, read: str) -> None:
    known = Known(["moron", "idiot", "connard", "asshole", "threat", "hate", "cancer"])
    assert known.read(written) == read


@pytest.mark.parametrize("word", ["part", "form", "ordre", "hat"])
def test_an_ordinary_word_is_not_read_as_a_listed_word_it_resembles(word: str) -> None:
    assert Known(["prat", "from", "ordure", "hate"]).read(word) is None


def test_letters_spelt_out_one_by_one_are_joined_into_the_word() -> None:
    assert found({"patterns": ["idiot"]}, "What an i d i o t.") == ["i d i o t"]


@pytest.mark.parametrize(
    ("fixture", "line", "key", "problem"),
    [
        ("tokens_unknown_list.toml", 13, "rule[1].patterns[1]", "unknown list {insults}"),
        ("tokens_unused_list.toml", 12, "rule[1].lists.spare", "list not used by any pattern"),
    ],
)
def test_a_broken_token_pattern_is_refused_naming_file_line_and_key(
    fixture: str, line: int, key: str, problem: str
) -> None:
    with pytest.raises(PackError) as caught:
        load_pack(PACKS / fixture)
    assert (caught.value.line, caught.value.key) == (line, key)
    assert problem in caught.value.problem


@pytest.mark.parametrize(
    "source",
    ["", "_? idiot", "idiot{x}", "{0,2}"],
)
def test_a_pattern_that_cannot_work_is_a_load_error(source: str) -> None:
    from septfois import schema

    with pytest.raises(schema.Invalid):
        RULE_TYPES["tokens"].compile({"patterns": [source]}, ("rule", 0))


def _offence_level(checker: Checker, text: str, lang: str, kind: str = "post") -> Level | None:
    levels = [
        f.level for f in checker.check(Post(text, lang=lang, kind=kind)).findings if f.category == "offence"
    ]
    return max(levels, default=None)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("The CEO of Rivalco is a moron.", "en"),
        ("Le PDG de Rivalco est un abruti.", "fr"),
        ("Every useless idiot who works there should be ashamed.", "en"),
        ("Leur nouvelle appli, c'est de la merde.", "fr"),
        ("Their support staff are a bunch of clowns.", "en"),
        ("Ce vendeur est un vrai guignol.", "fr"),
        ("The guy at the counter is a total m0r0n.", "en"),
    ],
)
def test_a_third_person_insult_is_offence_in_both_languages(checker: Checker, text: str, lang: str) -> None:
    level = _offence_level(checker, text, lang)
    assert level is not None and level >= Level.WARNING


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("I'm such an idiot, I left my badge at home.", "en"),
        ("This update is disappointing, we expected better.", "en"),
        ("Cette mise à jour est décevante.", "fr"),
        ("That part of the release went well.", "en"),
        ("Merci de respecter l'ordre d'arrivée.", "fr"),
        ("Check out our webinar on cancer screening awareness with Dr. Smith", "en"),
    ],
)
def test_civil_criticism_self_mockery_and_lookalike_words_are_not_offence(
    checker: Checker, text: str, lang: str
) -> None:
    level = _offence_level(checker, text, lang)
    assert level is None or level < Level.WARNING


def test_a_group_hostile_word_in_disguise_is_still_group_hostility(checker: Checker) -> None:
    findings = checker.check(Post("I haet women.", lang="en")).findings
    assert any(f.rule == "offence.group-hostility" for f in findings)


def test_a_multi_word_term_with_a_gap_reaches_words_inserted_between_its_words() -> None:
    detect = RULE_TYPES["lexicon"].compile({"terms": ["suppression de poste"], "gap": 3}, ("rule", 0))
    text = analysis(
        "La suppression de 350 postes est annoncée.", {"postes": "poste", "suppressions": "suppression"}
    )
    hits = [text.text[h.start : h.end] for h in detect(Subject(text, Post(text.text)))]
    assert hits == ["suppression de 350 postes"]
