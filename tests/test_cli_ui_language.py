"""`--ui-lang fr`: the command line's text output is French throughout, typeset the French way."""

from __future__ import annotations

from septfois.i18n import MESSAGES, Messages, french_typography

RISKY_FR = "Les prix vont exploser mdr, appelez Jean Dupont au 06 12 34 56 78"
NARROW, NO_BREAK = "\u202f", "\u00a0"


def test_levels_categories_labels_and_summary_are_french_with_ui_lang_fr(run_cli) -> None:
    result = run_cli(["check", "--ui-lang", "fr", "-"], RISKY_FR)
    lines = result.out.splitlines()
    assert lines[0].startswith("-:1:5: avertissement sensible:marché [sensitive.price-forecast] ")
    assert any(line.startswith("-:1:52: erreur vie privée [anonymity.mobile-number]") for line in lines)
    assert f"    pourquoi{NO_BREAK}: " in result.out
    assert f"    plutôt{NO_BREAK}: " in result.out
    assert lines[-2] == (
        f"-: erreur (4 signalement(s){NARROW}; langue fr{NARROW}; analyse{NO_BREAK}: spacy fr_core_news_sm)"
    )
    for english in ("warning", "error ", "why:", "instead:", "findings", "analysis"):
        assert english not in result.out


def test_the_packs_french_is_typeset_like_the_interface_in_text_output(run_cli) -> None:
    result = run_cli(["check", "--ui-lang", "fr", "-"], RISKY_FR)
    assert f"«{NO_BREAK}mdr{NO_BREAK}»{NO_BREAK}: vous riez" in result.out
    assert f"riront{NARROW}?" in result.out
    assert " ?" not in result.out and " ;" not in result.out and " :" not in result.out


def test_the_english_text_output_keeps_its_plain_spacing(run_cli) -> None:
    result = run_cli(["check", "--ui-lang", "en", "-"], RISKY_FR)
    assert "    why: " in result.out
    assert result.out.splitlines()[-2] == "-: error (4 findings; lang fr; analysis: spacy fr_core_news_sm)"
    assert NARROW not in result.out and NO_BREAK not in result.out


def test_a_clean_post_says_so_in_french(run_cli) -> None:
    result = run_cli(["check", "--ui-lang", "fr", "--lang", "fr", "-"], "Notre boutique ouvre lundi à 9 h.")
    assert result.out.splitlines()[-2].startswith("-: rien à signaler (langue fr")


def test_rules_show_names_its_fields_in_french(run_cli) -> None:
    result = run_cli(["rules", "show", "humour.laughter-marker", "--ui-lang", "fr"])
    assert f"  catégorie{NO_BREAK}: humour   niveau{NO_BREAK}: info   type{NO_BREAK}: lexicon" in result.out
    assert f"  pourquoi{NO_BREAK}: " in result.out


def test_french_typography_puts_no_break_spaces_before_two_part_punctuation() -> None:
    assert french_typography("Prêt ? Oui ; enfin : « presque » !") == (
        f"Prêt{NARROW}? Oui{NARROW}; enfin{NO_BREAK}: «{NO_BREAK}presque{NO_BREAK}»{NARROW}!"
    )


def test_french_interface_words_are_typeset_but_the_values_put_in_them_are_not() -> None:
    saved = Messages("fr")("save.failed", path="a :b.md", error="disk full")
    assert saved == f"Impossible d'enregistrer a :b.md{NO_BREAK}: disk full"
    assert MESSAGES["fr"]["save.failed"] == "Impossible d'enregistrer {path} : {error}"


def test_a_category_the_interface_has_no_word_for_is_shown_as_written() -> None:
    assert Messages("fr").category("house:style") == "house:style"
    assert Messages("fr").category("sensitive:legal-hr") == "sensible:juridique-rh"
    assert Messages("en").category("sensitive:legal-hr") == "sensitive:legal-hr"
