"""Unit tests of the personal-data detectors, on analyses built by hand (no language model needed)."""

from __future__ import annotations

import pytest

from septfois.analysis.value import Analysis, Entity
from septfois.findings.detectors import DETECTORS, iban_is_valid, luhn_is_valid


def found(detector: str, text: str, *, entities: tuple[Entity, ...] = (), lang: str = "en") -> list[str]:
    analysis = Analysis(text=text, lang=lang, entities=entities)
    return [text[start:end] for start, end in DETECTORS[detector](analysis)]


def person(text: str, name: str) -> Entity:
    start = text.index(name)
    return Entity("PER", start, start + len(name), name)


# --- bank and card ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "iban", ["FR14 2004 1010 0505 0001 3M02 606", "GB82 WEST 1234 5698 7654 32", "DE89370400440532013000"]
)
def test_an_iban_with_a_valid_checksum_is_found(iban: str) -> None:
    assert iban_is_valid(iban)
    assert found("iban", f"Virement vers {iban} bloqué.") == [iban]


@pytest.mark.parametrize("iban", ["GB82 WEST 1234 5698 7654 33", "DE89370400440532013001", "FR14 2004"])
def test_an_iban_with_a_wrong_checksum_or_length_is_ignored(iban: str) -> None:
    assert not iban_is_valid(iban)
    assert found("iban", f"Virement vers {iban} bloqué.") == []


@pytest.mark.parametrize("card", ["4111 1111 1111 1111", "5555-5555-5555-4444", "4539148803436467"])
def test_a_card_number_passing_luhn_is_found(card: str) -> None:
    assert luhn_is_valid(card)
    assert found("card", f"We've blocked card {card} as requested.") == [card]


@pytest.mark.parametrize("card", ["4111 1111 1111 1112", "1234 5678 9012 3456"])
def test_a_card_number_failing_luhn_is_ignored(card: str) -> None:
    assert not luhn_is_valid(card)
    assert found("card", f"We've blocked card {card} as requested.") == []


def test_a_twelve_digit_number_is_too_short_to_be_a_card() -> None:
    assert not luhn_is_valid("4111 1111 1111")


# --- phones ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "number", ["06 39 98 41 27", "06.39.98.41.27", "+33 6 39 98 41 27", "0033 6 39 98 41 27", "07700 900123"]
)
def test_french_and_uk_mobiles_are_mobile_phones(number: str) -> None:
    assert found("mobile-phone", f"Son portable : {number}.") == [number]
    assert found("fixed-phone", f"Son portable : {number}.") == []


@pytest.mark.parametrize("number", ["01 99 00 12 34", "+33 1 99 00 12 34", "(312) 555-0142", "020 7946 0958"])
def test_landlines_are_phones_but_not_mobiles(number: str) -> None:
    assert found("phone", f"Call {number} today.") == [number]
    assert found("fixed-phone", f"Call {number} today.") == [number]
    assert found("mobile-phone", f"Call {number} today.") == []


def test_a_number_with_non_breaking_spaces_is_found_with_its_original_offsets() -> None:
    text = "Appelez le 01\u00a099\u00a000\u00a012\u00a034 demain."
    assert found("phone", text) == ["01\u00a099\u00a000\u00a012\u00a034"]


@pytest.mark.parametrize(
    "text",
    [
        "For a lost or stolen card, call us 24/7 on (312) 555-0119, or freeze it in the app.",
        "Pour une résiliation, appelez notre service client au 01 99 00 45 67 (lun-ven).",
        "Le service presse reste joignable au 02 61 91 00 10.",
    ],
)
def test_the_organisations_own_line_is_not_a_private_phone(text: str) -> None:
    assert found("private-phone", text) == []


def test_the_customers_number_in_a_reply_is_a_private_phone() -> None:
    text = "Bonjour, nous avons essayé de vous joindre au 01 99 00 45 67 sans succès."
    assert found("private-phone", text, lang="fr") == ["01 99 00 45 67"]


@pytest.mark.parametrize("number", ["0800 00 12 34", "1-800-555-0199", "(888) 555-0100"])
def test_free_service_lines_are_not_private_phones(number: str) -> None:
    assert found("fixed-phone", f"Service client : {number}.") != []
    assert found("private-phone", f"Service client : {number}.") == []


@pytest.mark.parametrize(
    "text", ["Nous avons ouvert 06 agences en 2024.", "Prix : 0,71 € le kWh.", "+15 % en 2024"]
)
def test_counts_prices_and_percentages_are_not_phones(text: str) -> None:
    assert found("phone", text) == []


# --- e-mail ----------------------------------------------------------------------------------------
def test_a_fediverse_handle_is_not_an_email_address() -> None:
    assert found("email", "Merci @claire_lemoine@piaille.fr et @ravi@fosstodon.org !") == []


def test_a_shared_mailbox_is_an_email_but_not_a_personal_one() -> None:
    text = "CV à recrutement@fournil-co.fr ou à julie.martin@example.org"
    assert found("email", text) == ["recrutement@fournil-co.fr", "julie.martin@example.org"]
    assert found("personal-email", text) == ["julie.martin@example.org"]


# --- addresses -------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("Leur maison, 7 impasse des Lilas à Saint-Herblain, est vendue.", "7 impasse des Lilas"),
        ("Congratulations on your new home at 88 Birch Lane!", "88 Birch Lane"),
        ("Shipped to 1423 Maple Ave, Springfield.", "1423 Maple Ave"),
        ("Son appartement du 14 rue des Tuileries est vendu.", "14 rue des Tuileries"),
    ],
)
def test_a_home_address_is_found_in_french_and_english(text: str, address: str) -> None:
    assert found("address", text) == [address]
    assert found("home-address", text) == [address]


@pytest.mark.parametrize(
    "text",
    [
        "Nouvelle agence à Bordeaux, 112 quai des Chartrons. Ouverture lundi.",
        "Our first store opens Saturday at 1250 rue Sainte-Catherine Ouest.",
        "Our offices moved to 221 Baker Street.",
    ],
)
def test_an_address_presented_as_a_business_is_not_a_home_address(text: str) -> None:
    assert found("address", text) != []
    assert found("home-address", text) == []


# --- case numbers ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("Votre dossier de location n° LOC-2024-11873 est complet.", "dossier de location n° LOC-2024-11873"),
        ("Order #A-448193 shipped Monday.", "Order #A-448193"),
        ("Tracking: 1Z999AA10123456784.", "Tracking: 1Z999AA10123456784"),
        ("About claim #CLM-88213, please call back.", "claim #CLM-88213"),
        ("ID client 48812-B suspendu.", "client 48812-B"),
        ("Your order 88812345 is late.", "order 88812345"),
    ],
)
def test_a_file_keyword_followed_by_an_identifier_is_a_case_number(text: str, number: str) -> None:
    assert found("case-number", text) == [number]


@pytest.mark.parametrize(
    "text",
    [
        "Une commande de 15000 masques livrée aux hôpitaux.",
        "Envoyez-nous votre numéro de commande en message privé.",
        "We hit 10,000 orders and #10000steps today.",
    ],
)
def test_quantities_and_requests_for_a_number_are_not_case_numbers(text: str) -> None:
    assert found("case-number", text) == []


# --- names -----------------------------------------------------------------------------------------
def test_a_name_tagged_by_ner_inside_a_sentence_is_a_full_name() -> None:
    text = "Nous avons mis fin à la période d'essai de Lucas Bertrand hier."
    assert found("full-name", text, entities=(person(text, "Lucas Bertrand"),), lang="fr") == [
        "Lucas Bertrand"
    ]


def test_an_unknown_first_name_needs_ner_to_be_a_name() -> None:
    text = "Nous remercions vivement Zoltan Kertesz pour son aide."
    assert found("full-name", text, lang="fr") == []
    assert found("full-name", text, entities=(person(text, "Zoltan Kertesz"),), lang="fr") == [
        "Zoltan Kertesz"
    ]


def test_ner_guesses_at_the_start_of_a_sentence_are_not_names() -> None:
    text = "Ramadan Moubarak à tous nos clients !"
    assert found("person", text, entities=(person(text, "Ramadan Moubarak"),), lang="fr") == []


def test_greetings_are_trimmed_and_honorifics_kept() -> None:
    text = "Bonjour Madame Nadia Ferhat, votre dossier est complet."
    assert found("full-name", text, lang="fr") == ["Madame Nadia Ferhat"]


def test_an_honorific_with_a_surname_is_a_full_name_and_alone_is_nothing() -> None:
    assert found("full-name", "@ralvarez_tx Hi Mr. Alvarez, your card is blocked.") == ["Mr. Alvarez"]
    assert found("person", "Bonjour Monsieur, nous sommes désolés.", lang="fr") == []


def test_a_known_first_name_and_a_surname_are_found_without_ner() -> None:
    assert found("full-name", "We fired Jake Morrison from our Phoenix store.") == ["Jake Morrison"]


def test_a_first_name_alone_is_a_person_but_not_a_full_name() -> None:
    text = "@mathilde_rns Bonjour Mathilde, écrivez-nous en privé."
    assert found("person", text, lang="fr") == ["Mathilde"]
    assert found("full-name", text, lang="fr") == []


@pytest.mark.parametrize(
    "text",
    [
        "Merci @MarieDupont pour cette conférence.",
        "Thank you @DrAmyChen for the keynote.",
        "Follow @Jake_Morrison",
    ],
)
def test_a_handle_is_never_a_name_even_when_ner_tags_it(text: str) -> None:
    handle = text[text.index("@") + 1 :].split()[0]
    assert found("person", text, entities=(person(text, handle),)) == []


def test_a_street_name_is_not_a_person() -> None:
    text = "Our store opens at 1250 rue Sainte-Catherine Ouest."
    assert found("person", text, entities=(person(text, "Catherine Ouest"),)) == []


# --- a named person next to a private detail -------------------------------------------------------
def test_a_diagnosis_in_the_next_sentence_makes_a_named_health_finding() -> None:
    text = "Please keep our colleague Mark Jensen in your thoughts. He was diagnosed with ALS last month."
    analysis = Analysis(text=text, lang="en", sentences=((0, 55), (56, len(text))))
    assert [text[s:e] for s, e in DETECTORS["named-health"](analysis)] == ["Mark Jensen"]


def test_a_health_detail_two_sentences_away_is_not_tied_to_the_name() -> None:
    text = "Welcome to Mark Jensen. He leads sales. Our hospital partners were diagnosed as slow payers."
    analysis = Analysis(text=text, lang="en", sentences=((0, 23), (24, 39), (40, len(text))))
    assert list(DETECTORS["named-health"](analysis)) == []


def test_a_public_talk_about_health_is_not_a_named_health_finding() -> None:
    text = "Thank you Dr. Amy Chen for her keynote on cancer research."
    assert found("named-health", text) == []
    assert found("full-name", text) == ["Dr. Amy Chen"]


def test_a_health_campaign_with_a_doctor_is_not_a_named_health_finding() -> None:
    assert found("named-health", "Check out our webinar on cancer screening awareness with Dr. Smith") == []
    text = "Dimanche, les équipes de Lucie Garnier ont couru au profit de la recherche contre le cancer."
    assert found("named-health", text, lang="fr") == []


def test_a_colleague_named_with_an_illness_is_still_a_named_health_finding() -> None:
    text = "Please keep Mark Jensen in your thoughts, he has cancer."
    assert found("named-health", text) == ["Mark Jensen"]


def test_a_stroke_someone_had_is_health_but_a_stroke_of_luck_is_not() -> None:
    text = "Barbara Ennis is back at work after her stroke last year."
    assert found("named-health", text) == ["Barbara Ennis"]
    assert found("named-health", "Barbara Ennis had a stroke of luck at the auction.") == []


def test_the_writers_own_illness_next_to_a_colleagues_name_is_not_a_named_health_finding() -> None:
    text = "Our COO, Lena Park, will chair the weekly meeting while I'm in hospital."
    assert found("named-health", text) == []
    text = "Notre DAF, Stéphane Morel, me remplace pendant ma chimio."
    assert found("named-health", text, lang="fr") == []
    assert found("named-health", "Lena Park will be in hospital for a while.") == ["Lena Park"]


def test_a_run_of_capitalised_words_ending_on_a_business_word_is_not_a_person() -> None:
    assert found("full-name", "Reply from the Sam Loves Pizza account.") == []
    assert found("full-name", "Thanks to Sam Lewis for the pizza.") == ["Sam Lewis"]


def test_a_place_or_a_product_named_after_someone_is_not_a_person() -> None:
    assert found("full-name", "Les élèves du lycée Victor Hugo ont gagné.", lang="fr") == []
    assert found("full-name", "Hôpital Georges Pompidou : nouvelle aile ouverte.", lang="fr") == []
    assert found("full-name", "Investissez dans la SCPI Pierre Azur dès 1 000 €.", lang="fr") == []
    assert found("full-name", "Notre collègue Pierre Martin nous rejoint.", lang="fr") == ["Pierre Martin"]
    assert found("full-name", "Notre DRH Pierre Martin nous rejoint.", lang="fr") == ["Pierre Martin"]


def test_a_dismissal_next_to_a_name_is_a_named_dispute_but_fired_up_is_not() -> None:
    assert found("named-dispute", "We fired Jake Morrison today for stealing.") == ["Jake Morrison"]
    assert found("named-dispute", "Jake Morrison fired up the new ovens today.") == []


def test_every_registered_detector_returns_spans_on_an_empty_text() -> None:
    for name, detect in DETECTORS.items():
        assert list(detect(Analysis(text="", lang="en"))) == [], name
