"""Behaviour of the sensitive pack beyond its examples: idioms, newsjacking, coverage, dev figures."""

from __future__ import annotations

import json

import pytest

from conftest import DEV_SAMPLE
from septfois.findings.engine import Checker
from septfois.findings.evaluate import Labelled, evaluate
from septfois.findings.packs import builtin_pack_paths, load_pack
from septfois.model import CATEGORIES, Level, Post

SENSITIVE = tuple(category for category in CATEGORIES if category.startswith("sensitive:"))


@pytest.fixture(scope="module")
def sensitive_only() -> Checker:
    """A checker with nothing but the sensitive pack, so other packs cannot hide or add findings."""
    path = next(path for path in builtin_pack_paths() if path.name == "sensitive.toml")
    return Checker(packs=[load_pack(path)])


def _sensitive(checker: Checker, post: Post) -> dict[str, Level]:
    """Sensitive categories that fired, with the highest level each reached."""
    found: dict[str, Level] = {}
    for finding in checker.check(post).findings:
        if finding.category.startswith("sensitive:"):
            found[finding.category] = max(finding.level, found.get(finding.category, Level.INFO))
    return found


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("It's the killer feature you've been asking for: offline mode, 20% off for early adopters.", "en"),
        ("Exécution du plan et attaque du marché espagnol : on recrute à Madrid !", "fr"),
        ("Notre vidéo est devenue virale en 24 h, merci à tous 🙏", "fr"),
        ("Our launch video went viral overnight.", "en"),
        ("Crise de croissance : nos délais s'allongent, -10 % sur les précommandes pour patienter.", "fr"),
        ("Guerre des prix sur les forfaits : notre offre reste à 9,99 €.", "fr"),
        ("The war for talent is real: here is how we hire.", "en"),
        ("Ce nouveau four est une tuerie, les croissants n'ont jamais été aussi bons.", "fr"),
        ("Mon Dieu, quelle semaine ! Merci à toute l'équipe.", "fr"),
    ],
)
def test_business_idioms_are_not_sensitive(sensitive_only: Checker, text: str, lang: str) -> None:
    found = _sensitive(sensitive_only, Post(text, lang=lang))
    assert not any(level >= Level.WARNING for level in found.values()), found


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        (
            "Après les inondations, c'est le moment de déménager : -20 % avec le code RESILIENCE.",
            "fr",
        ),
        ("Hurricane Delia knocked out your power? 40% off all generators, today only. #HurricaneDelia", "en"),
        ("-30 % sur les groupes électrogènes : l'ouragan arrive !", "fr"),
    ],
)
def test_a_promotion_hooked_on_a_disaster_is_an_error(sensitive_only: Checker, text: str, lang: str) -> None:
    assert _sensitive(sensitive_only, Post(text, lang=lang)).get("sensitive:tragedy") == Level.ERROR


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        (
            "Inondations dans l'Aude : nos agences ouvrent leurs salles aux familles sinistrées. Sans frais.",
            "fr",
        ),
        ("Hurricane Delia update: our stores are free charging points today. No purchase needed.", "en"),
        ("Après la tempête, nos équipes ont rétabli l'électricité chez 95 % des clients.", "fr"),
    ],
)
def test_solidarity_after_a_disaster_is_not_flagged(sensitive_only: Checker, text: str, lang: str) -> None:
    assert "sensitive:tragedy" not in _sensitive(sensitive_only, Post(text, lang=lang))


def test_a_deal_teased_before_its_announcement_is_both_a_market_and_a_legal_risk(
    sensitive_only: Checker,
) -> None:
    post = Post(
        "Exclusif : nous sommes en négociations avancées pour racheter un concurrent. Signature fin mai."
    )
    found = _sensitive(sensitive_only, post)
    assert found.get("sensitive:market") == Level.ERROR
    assert "sensitive:legal-hr" in found


def test_the_same_deal_after_its_official_announcement_is_not_flagged(sensitive_only: Checker) -> None:
    post = Post(
        "Nous finalisons aujourd'hui l'acquisition des Biscuiteries du Nord, annoncée en mars.", lang="fr"
    )
    assert _sensitive(sensitive_only, post) == {}


def test_inside_information_findings_cite_the_market_abuse_regulation(sensitive_only: Checker) -> None:
    post = Post("Preliminary numbers are in: revenue up 40%. Official release is next Tuesday 🤫", lang="en")
    market = [f for f in sensitive_only.check(post).findings if f.category == "sensitive:market"]
    assert market and all("Market Abuse Regulation" in f.why and "art. 17" in f.why for f in market)


def test_every_sensitive_category_has_a_rule_that_counts() -> None:
    path = next(path for path in builtin_pack_paths() if path.name == "sensitive.toml")
    counted = {rule.category for rule in load_pack(path).rules if rule.level >= Level.WARNING}
    assert counted >= set(SENSITIVE)


def test_the_pack_meets_its_targets_on_the_dev_sample(sensitive_only: Checker) -> None:
    pairs = []
    for line in DEV_SAMPLE.read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        post = Post(
            item["text"],
            lang=item["lang"],
            platforms=(item["platform"],),
            account=item["account"],
            kind=item["kind"],
        )
        pairs.append(
            (Labelled(item["id"], item["lang"], frozenset(item["labels"]), None), sensitive_only.check(post))
        )
    result = evaluate(pairs, categories=SENSITIVE)
    for category in SENSITIVE:
        tally = result.tally(category)
        assert (tally.precision or 0) >= 0.85 and (tally.recall or 0) >= 0.85, (category, tally)
    assert result.safe_flagged.get("all", 0) <= 3


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Nous annonçons la suppression de 350 postes dans nos agences.", "fr"),
        ("On se sépare de 200 collaborateurs d'ici l'été.", "fr"),
        ("This morning we are letting go of 200 people at our Ohio centre.", "en"),
        ("We're laying off 10% of the company today.", "en"),
    ],
)
def test_a_job_cut_is_legal_hr_whatever_the_words_between(
    sensitive_only: Checker, text: str, lang: str
) -> None:
    assert (
        _sensitive(sensitive_only, Post(text, lang=lang)).get("sensitive:legal-hr", Level.INFO)
        >= Level.WARNING
    )


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Our revenue will double next quarter, guaranteed", "en"),
        ("Notre chiffre d'affaires va doubler au prochain trimestre, je vous le garantis.", "fr"),
    ],
)
def test_a_forecast_stated_as_certain_is_a_market_error_in_both_languages(
    sensitive_only: Checker, text: str, lang: str
) -> None:
    assert _sensitive(sensitive_only, Post(text, lang=lang)).get("sensitive:market") == Level.ERROR


def test_a_webinar_on_cancer_screening_with_a_doctor_gets_no_warning(checker: Checker) -> None:
    post = Post("Check out our webinar on cancer screening awareness with Dr. Smith", lang="en")
    assert [f.rule for f in checker.check(post).findings if f.level >= Level.WARNING] == []


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Webinaire jeudi : « Licenciement économique : ce que dit le Code du travail ».", "fr"),
        ("How sick leave works here: 15 paid days a year, no doctor's note for the first three days.", "en"),
        (
            "Incendie rue des Carmes : notre salle reste ouverte, café chaud offert aux voisins sinistrés.",
            "fr",
        ),
        ('Crypto scam red flags: "guaranteed 2% a day", and anything called risk-free.', "en"),
    ],
)
def test_posts_labels_md_calls_safe_are_not_sensitive(sensitive_only: Checker, text: str, lang: str) -> None:
    found = _sensitive(sensitive_only, Post(text, lang=lang))
    assert all(level < Level.WARNING for level in found.values()), found
