"""Behaviour of the humour and substance packs beyond their own examples: levels, contexts, cost."""

from __future__ import annotations

from septfois.findings.engine import Checker
from septfois.findings.packs import builtin_pack_paths, load_pack
from septfois.model import Level, Post


def _levels(checker: Checker, post: Post, category: str) -> dict[str, Level]:
    report = checker.check(post)
    return {finding.rule: finding.level for finding in report.findings if finding.category == category}


def test_laughter_alone_in_a_personal_post_is_only_a_note(checker: Checker) -> None:
    post = Post("Three-hour meeting that could have been an email lol", lang="en")
    found = _levels(checker, post, "humour")
    assert found == {"humour.laughter-marker": Level.INFO}


def test_the_same_laughter_from_a_brand_account_is_a_warning(checker: Checker) -> None:
    post = Post("Three-hour meeting that could have been an email lol", lang="en", account="brand")
    assert _levels(checker, post, "humour").get("humour.laughter-in-brand-voice") == Level.WARNING


def test_a_joke_next_to_layoffs_is_an_error_in_both_languages(checker: Checker) -> None:
    french = Post("Plan social annoncé ce matin, au moins j'aurai du temps pour le golf mdr", lang="fr")
    english = Post("Layoffs announced this morning, at least I'll finally have time for golf lol", lang="en")
    assert max(_levels(checker, french, "humour").values()) == Level.ERROR
    assert max(_levels(checker, english, "humour").values()) == Level.ERROR


def test_a_serious_post_about_layoffs_without_a_joke_is_not_humour(checker: Checker) -> None:
    post = Post(
        "Moment difficile : nous fermons 14 agences d'ici juin et 60 postes sont concernés. "
        "Chaque personne sera reçue individuellement cette semaine.",
        lang="fr",
    )
    assert _levels(checker, post, "humour") == {}


def test_names_that_contain_lol_are_not_laughter(checker: Checker) -> None:
    post = Post("Lola et Lolita vous offrent des lollipops samedi en boutique.", lang="fr")
    assert _levels(checker, post, "humour") == {}


def test_a_short_real_announcement_is_not_empty(checker: Checker) -> None:
    post = Post("Nouvelle agence à Bordeaux, 112 quai des Chartrons. Ouverture lundi 9 h.", lang="fr")
    assert _levels(checker, post, "empty") == {}


def test_a_greeting_with_only_hashtags_after_it_is_empty(checker: Checker) -> None:
    post = Post("Happy Monday! 🚀 #MondayMotivation #Leadership #Growth", lang="en")
    assert _levels(checker, post, "empty").get("substance.greeting-only") == Level.WARNING


def test_an_invitation_to_comment_under_a_long_real_post_is_not_bait(checker: Checker) -> None:
    text = (
        "We have changed our returns policy: 60 days instead of 30, in every store and online, with free "
        "collection from your door for anything over 20 kg. The full conditions are on our help page, and "
        "our store teams can answer any question in person. Tell us in the comments what is still missing."
    )
    assert _levels(checker, Post(text, lang="en"), "empty") == {}


def test_the_same_invitation_on_a_post_with_nothing_else_is_flagged(checker: Checker) -> None:
    post = Post("Weekend plans? 👀 Tell us in the comments 👇", lang="en")
    assert _levels(checker, post, "empty").get("substance.comment-prompt-only") == Level.WARNING


def test_long_hostile_texts_do_not_slow_these_packs_patterns_down() -> None:
    paths = [path for path in builtin_pack_paths() if path.stem in ("humour", "substance")]
    mine = Checker(packs=[load_pack(path) for path in paths])
    hostile = "Bonjour " + "#tag " * 2000 + " " * 2000 + "comment below " + "« mot » " * 500
    report = mine.check(Post(hostile, lang="fr"))
    assert report.notes == ()  # no pattern hit its time bound and was skipped


def test_laughing_at_a_customer_is_a_warning_but_laughing_at_oneself_stays_a_note(checker: Checker) -> None:
    about_customer = Post("Un client m'a demandé si le devis se négocie à -90 % mdr", lang="fr")
    about_myself = Post("J'ai oublié mes clés au bureau deux fois aujourd'hui mdr", lang="fr")
    assert _levels(checker, about_customer, "humour").get("humour.laughing-at-someone") == Level.WARNING
    assert _levels(checker, about_myself, "humour") == {"humour.laughter-marker": Level.INFO}


def test_a_wink_next_to_results_is_a_teaser_not_a_joke(checker: Checker) -> None:
    post = Post("Nos résultats du T2 sortent jeudi : préparez-vous à une belle surprise 😉", lang="fr")
    assert _levels(checker, post, "humour") == {}
