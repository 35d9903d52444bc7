"""Behaviour of the offence pack beyond its own examples: counter-speech, disguises, context, levels, cost."""

from __future__ import annotations

import pytest

from septfois.findings.engine import Checker
from septfois.model import Level, Post


def _offence(checker: Checker, post: Post) -> dict[str, Level]:
    """Offence rules that fired on the post, with the highest level each reached."""
    found: dict[str, Level] = {}
    for finding in checker.check(post).findings:
        if finding.category == "offence":
            found[finding.rule] = max(finding.level, found.get(finding.rule, Level.INFO))
    return found


def _counts(found: dict[str, Level]) -> bool:
    """Whether the findings make the post count as offensive (warning or above)."""
    return any(level >= Level.WARNING for level in found.values())


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Muslims are a plague on this country.", "en"),
        ("Women like you make me sick.", "en"),
        ("Les réfugiés sont des parasites, il faut s'en débarrasser.", "fr"),
        ("Je méprise les homos.", "fr"),
    ],
)
def test_hostile_words_about_a_group_are_errors_in_both_languages(
    checker: Checker, text: str, lang: str
) -> None:
    assert _offence(checker, Post(text, lang=lang)).get("offence.group-hostility") == Level.ERROR


def test_a_group_named_in_one_sentence_and_attacked_in_the_next_is_still_hostility(checker: Checker) -> None:
    post = Post("Immigrants think they're special. I hate them.", lang="en")
    assert "offence.group-hostility" in _offence(checker, post)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ('Statements like "immigrants are vermin" are deeply hurtful.', "en"),
        ("Calling refugees cockroaches is such a horrible thing to do.", "en"),
        ("Let me be clear: I don't hate Muslims.", "en"),
        ('Des déclarations telles que "les musulmans sont des pourritures" sont blessantes.', "fr"),
        ("Tu dois arrêter d'appeler les gens des pédés.", "fr"),
    ],
)
def test_counter_speech_and_denial_are_not_offence(checker: Checker, text: str, lang: str) -> None:
    assert not _counts(_offence(checker, Post(text, lang=lang)))


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("What an idi0t.", "en"),
        ("You are such a f*cking moron.", "en"),
        ("Quel c*nnard, celui-là.", "fr"),
        ("Encore un connnnard qui double à droite.", "fr"),
        ("I h a t e those people.", "en"),
    ],
)
def test_disguised_and_stretched_spellings_are_caught(checker: Checker, text: str, lang: str) -> None:
    assert _counts(_offence(checker, Post(text, lang=lang)))


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Our killer feature ships today: offline mode.", "en"),
        ("This bug is killing me, but the fix lands tomorrow.", "en"),
        ("Une attaque du marché par nos concurrents ? Nous sommes prêts.", "fr"),
        ("La fonctionnalité qui tue : le suivi de commande en temps réel.", "fr"),
        ("The new dashboard is slow and the export is broken; we are fixing both this week.", "en"),
        ("Cette mise à jour est ratée, l'interface est confuse et l'export plante.", "fr"),
        ("I'll shoot you an email with the details.", "en"),
        ("Merci de nous avoir signalé ce retard de livraison.", "fr"),
    ],
)
def test_violent_idioms_and_plain_product_criticism_are_not_offence(
    checker: Checker, text: str, lang: str
) -> None:
    assert not _counts(_offence(checker, Post(text, lang=lang)))


def test_a_threat_is_an_error_but_a_swear_word_alone_is_only_a_note(checker: Checker) -> None:
    assert (
        _offence(checker, Post("I know where you live. I will kill you.", lang="en")).get("offence.threat")
        == Level.ERROR
    )
    swearing = _offence(checker, Post("Putain, quelle semaine, mais on a livré.", lang="fr"))
    assert swearing == {"offence.profanity": Level.INFO}


def test_a_clown_emoji_mocks_only_in_a_reply(checker: Checker) -> None:
    text = "@gary_h1 Reading the manual first, what a concept 🤡"
    assert "offence.mocking-reply" in _offence(checker, Post(text, lang="en", kind="reply"))
    assert "offence.mocking-reply" not in _offence(checker, Post(text, lang="en", kind="post"))


def test_slur_homonyms_pass_when_the_post_is_about_the_ordinary_thing(checker: Checker) -> None:
    assert not _counts(_offence(checker, Post("My Labrador bitch had four puppies, all healthy.", lang="en")))
    assert _counts(_offence(checker, Post("Shut up, you stupid bitch.", lang="en")))


def test_the_offence_patterns_stay_fast_on_a_long_post(checker: Checker) -> None:
    text = " ".join(["Nos équipes ont livré la nouvelle version, merci à tous pour vos retours."] * 60)
    report = checker.check(Post(text, lang="fr"))
    # A pattern over its time bound is skipped with a note: none may be.
    assert not [note for note in report.notes if note.startswith("offence.")]


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Our new store manager can't even count the till.", "en"),
        ("Le fournisseur n'est même pas foutu de répondre au téléphone.", "fr"),
        ("The shop across the road got flooded. Serves them right.", "en"),
        ("Le restaurant d'en face a fermé, bien fait pour eux.", "fr"),
    ],
)
def test_belittling_and_gloating_about_a_third_person_are_offence_in_both_languages(
    checker: Checker, text: str, lang: str
) -> None:
    assert _counts(_offence(checker, Post(text, lang=lang)))


def test_blaming_the_customer_counts_in_a_reply_but_the_same_advice_in_a_post_does_not(
    checker: Checker,
) -> None:
    text = "@joe_k You should have read the delivery terms."
    assert "offence.blaming-the-person-answered" in _offence(checker, Post(text, lang="en", kind="reply"))
    assert "offence.blaming-the-person-answered" not in _offence(checker, Post(text, lang="en", kind="post"))


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Half the sick notes in this team are for so-called burnout.", "en"),
        ("Leur soi-disant dépression tombe toujours un lundi.", "fr"),
    ],
)
def test_doubting_someone_elses_illness_is_offence_in_both_languages(
    checker: Checker, text: str, lang: str
) -> None:
    assert _counts(_offence(checker, Post(text, lang=lang)))


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Burnout is not all in your head: our helpline is open day and night.", "en"),
        ("Ma soi-disant pause déjeuner a duré quatre minutes.", "fr"),
    ],
)
def test_speaking_up_for_the_ill_or_of_oneself_is_not_offence(checker: Checker, text: str, lang: str) -> None:
    assert not _counts(_offence(checker, Post(text, lang=lang)))


def test_an_answer_to_a_quoted_prejudice_is_not_an_insult(checker: Checker) -> None:
    text = "On me dit souvent que les plombiers ne servent à rien. Voici nos 900 dépannages de l'année."
    post = Post(text, lang="fr")
    assert not _counts(_offence(checker, post))
