"""Personal-data detectors: e-mail, phone, IBAN, payment card, address, case number, people's names."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import regex

from septfois.analysis.honorifics import ABBREVIATED_PATTERN, HONORIFICS
from septfois.analysis.nlp import first_names, opens_sentence
from septfois.analysis.textmap import fold_text
from septfois.analysis.value import Analysis, MemoKey, Span


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# --- e-mail -----------------------------------------------------------------------------------------
# A leading "@" makes "@claire@piaille.fr" a fediverse handle (a public identity), not a mailbox.
_EMAIL = regex.compile(r"(?<![\w.+@-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}(?![\w-])", regex.IGNORECASE)
# Shared mailboxes of an organisation: publishing them is what they are for.
_ROLE_MAILBOXES = _words(
    """
    abuse accueil admin administration aide ask billing bonjour booking candidature candidatures careers
    client clients comms commandes commercial communication compta comptabilite contact customer customers
    donotreply dpo emploi enquiries equipe facturation feedback gdpr hello help hi hr info infos inquiries
    investors ir job jobs juridique legal marketing media medias news newsletter noreply no-reply office
    orders partenariats partnerships postmaster presse press privacy reception recrutement recrutements
    reservation reservations rgpd rh sales sav security securite service serviceclient service-client
    support team vente ventes webmaster
    """
)

# --- phone ------------------------------------------------------------------------------------------
_PHONE = regex.compile(
    r"(?<![\w+])(?:"
    r"(?:\+|00)33[\s.-]?\(?0?\)?[\s.-]?[1-9](?:[\s.-]?\d{2}){4}"  # French, international form
    r"|0[1-9](?:[\s.-]?\d{2}){4}"  # French, national form
    r"|\+\d{1,3}(?:[\s.-]?\(?\d{1,4}\)?){2,5}"  # any other international number
    r"|\(?\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}"  # North American national form
    r"|0\d{4}[\s-]?\d{6}|0\d{2,3}[\s-]\d{3,4}[\s-]\d{4}"  # UK national forms
    r")(?![\w])"
)
# Numbers that ring one person's pocket: French 06/07, UK 07, Belgian 04, Swiss 07x, in either form.
_MOBILE = regex.compile(
    r"^(?:(?:\+|00)33[\s.-]?\(?0?\)?[\s.-]?[67]|0[67]"
    r"|(?:\+|00)44[\s.-]?\(?0?\)?[\s.-]?7|07\d{3}[\s.-]?\d{6}$"
    r"|(?:\+|00)32[\s.-]?\(?0?\)?[\s.-]?4|(?:\+|00)41[\s.-]?\(?0?\)?[\s.-]?7[5-9])"
)

# A seven-digit local number (North American "555-0143", Quebec's « 555-0143 ») has no area code to tell it
# from a reference or a price: it is a phone only when the words just before it name a phone or a call.
_LOCAL_PHONE = regex.compile(r"(?<![\w+.,/-])\d{3}[\s.-]\d{4}(?![\w]|[.,/-]\d)")
_PHONE_WORD_BEFORE = regex.compile(
    r"\b(?:phone|telephone|tel|cell|cellphone|cellular|mobile|call|text|ring|dial|reach|portable|cellulaire"
    r"|gsm|natel|appel(?:er|ez|le|lez)?(?:-(?:le|la|moi|nous))?|joindre|texte[rz]?|sms)\b[^\d\n.!?]{0,30}$"
)
# Words just before a number that present it as a mobile, whatever its prefix: a North American or local
# number has none that tells ("his personal cell 555-0143", « son cellulaire au 514 555-0143 »).
_MOBILE_WORD_BEFORE = regex.compile(
    r"\b(?:cell|cellphone|cell\s+phone|cellular|mobile|portable|cellulaire|gsm|natel)\b[^\d\n.!?]{0,30}$"
)

# Lines a company pays for so that anyone may call: French 08, North American toll-free 8xx.
_SERVICE = regex.compile(
    r"^(?:(?:\+|00)33[\s.-]?\(?0?\)?[\s.-]?8|08|(?:\+?1[\s.-]?)?\(?8(?:00|33|44|55|66|77|88)\)?)"
)

# --- bank and card ----------------------------------------------------------------------------------
_IBAN = regex.compile(r"(?<![\w])[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,3})?(?![\w])")
_CARD = regex.compile(r"(?<![\w])\d(?:[ -]?\d){12,18}(?![\w])")

# --- addresses --------------------------------------------------------------------------------------
_ADDRESS = regex.compile(
    r"(?<![\w])\d{1,4}(?:\s?(?:bis|ter))?,?\s+"
    r"(?:rue|avenue|av\.|boulevard|bd|chemin|all[ée]e|place|impasse|quai|route|cours|passage|square|villa"
    r"|r[ée]sidence|lotissement|hameau)"
    r"\s+(?:de\s+la\s+|de\s+l'|du\s+|des\s+|de\s+|d')?\p{Lu}[\p{L}'-]+(?:\s+\p{Lu}[\p{L}'-]+){0,3}"
    r"|(?<![\w])\d{1,5}\s+(?:\p{Lu}[\p{L}'-]+\s+){1,3}"
    r"(?:Street|St\.?|Avenue|Ave\.?|Road|Rd\.?|Boulevard|Blvd\.?|Lane|Ln\.?|Drive|Dr\.?|Court|Ct\.?|Way|Place"
    r"|Pl\.?|Terrace|Crescent|Close|Circle|Parkway)"
    r"(?![\w])"
)
# Words that present an address as a place of business (a shop, an office), not as someone's home.
_BUSINESS_PLACE = regex.compile(
    r"\b(?:agences?|magasins?|boutiques?|bureaux|bureau|siege|showroom|restaurants?|cafes?|ateliers?|usines?"
    r"|entrepots?|succursales?|cabinet|pharmacies?|ouverture|ouvre|ouvrons|inauguration|stores?|shops?"
    r"|offices?|headquarters|hq|branch(?:es)?|opens?|opening|warehouse|clinic|venue|salon|conference"
    r"|campus|locaux)\b"
)
# Words that make it someone's home even when a business is named nearby.
_HOME_PLACE = regex.compile(
    r"\b(?:maison|appartement|appart|domicile|habite|habitent|logement|chez (?:lui|elle|eux|vous|toi)"
    r"|locataire|home|house|apartment|flat|lives?|living|rental|tenant|residence)\b"
)

# --- case numbers -----------------------------------------------------------------------------------
# A keyword that names the file, up to two words of detail ("dossier de location"), then an identifier.
_CASE_NUMBER = regex.compile(
    r"(?<![\w])(?:commande|order|dossier|case|ticket|contrat|contract|account|compte|client|facture|invoice"
    r"|r[ée]f[ée]rence|r[ée]f\.?|tracking|suivi|colis|parcel|shipment|claim|sinistre|r[ée]clamation"
    r"|adh[ée]rent|member(?:ship)?|policy|police|id|identifiant|matricule|booking|r[ée]servation"
    r"|n°|no\.)"
    r"(?:\s+(?:de|du|d'|of|for|your|votre)\s*\p{L}{0,15}){0,2}"
    r"\s*(?:n°|no\.?|number|num[ée]ro|#|:)?\s*(?P<id>(?=[A-Z0-9-]*\d{5}|\d{2,}(?:-\d{2,})+(?![\w-]))[A-Z]{0,4}-?[A-Z0-9-]{5,})(?![\w])",
    regex.IGNORECASE,
)

# --- names ------------------------------------------------------------------------------------------
_HONORIFIC = ABBREVIATED_PATTERN
_NAME_WORD = r"(?:\p{Lu}'?\p{Lu}?\p{Ll}+(?:\p{Lu}\p{Ll}+)?(?:-\p{Lu}\p{Ll}+)*)"
_PARTICLE = r"(?:de|du|des|del|della|van|von|der|den|da|di|dos|le|la|ben|bin|al|el|ibn)"
# A run of capitalised words (honorifics with a full stop included) ending on a name-like word.
_NAME = regex.compile(
    rf"(?<![\w@#/.-])(?:(?:{_HONORIFIC}|{_NAME_WORD})\s+(?:{_PARTICLE}\s+)?){{0,4}}{_NAME_WORD}(?![\w@-])"
)
_LINKISH = regex.compile(r"(?:https?://|www\.)\S+|\S+@\S+", regex.IGNORECASE)
_LINK_START = regex.compile(r"(?:https?://|www\.)\S+", regex.IGNORECASE)
_RUN = regex.compile(r"\S+")
# Words that open a greeting or a thank-you before a name ("Bonjour Nadia", "Thanks Priya").
_GREETINGS = _words(
    """
    bonjour bonsoir salut coucou merci bravo felicitations bienvenue hello hi hey dear cher chere thanks
    thank welcome congrats congratulations cheers shoutout grosse big
    """
)
# Words that name a business or a place; a capitalised run ending on one is that business ("Sam Loves
# Pizza", "Harbor Homes"), not a person.
_BUSINESS_WORDS = _words(
    """
    maison banque agence agences groupe cafe hotel restaurant boulangerie pharmacie clinique studio atelier
    store stores shop bank group team equipe service services immobilier realty homes foods pizza farm
    rue avenue boulevard impasse quai chemin place street lane road drive court way
    """
)
# Capitalised words that start many sentences or name things, never people (compared folded).
_CAPITALISED_WORDS = _words(
    """
    joyeux joyeuse bonne bon happy
    lundi mardi mercredi jeudi vendredi samedi dimanche monday tuesday wednesday thursday friday saturday
    sunday janvier fevrier mars avril juillet aout septembre octobre novembre decembre january february
    march july august september october november december noel paques ramadan aid christmas easter
    hanoukka hanukkah diwali toussaint
    president presidente directeur directrice ceo cfo coo cto daf drh dg pdg head chief
    le la les un une des notre nos votre vos the our your a an this that ce cette
    """
)
_NOT_NAMES = _GREETINGS | _BUSINESS_WORDS | _CAPITALISED_WORDS
# Nouns of places, institutions and products that French names after a person, the noun first ("le
# lycée Victor Hugo", "l'hôpital Georges Pompidou", "la fondation Abbé Pierre", "le fonds Marie Curie"):
# the name after one of them names the thing, not someone (compared folded).
_NAMED_AFTER_SOMEONE = _words(
    """
    lycee college ecole universite faculte institut hopital chu ehpad centre fondation association fonds
    societe entreprise cabinet residence cite stade gymnase piscine musee theatre salle parc jardin square
    pont gare aeroport station metro prix bourse programme projet operation marque gamme collection
    produit modele application appli logiciel plateforme
    """
)
# Before a name, an acronym after a determiner is a product or an organisation ("la SCPI Pierre Azur",
# "le FCP Jean Moulin"); roles (DRH, CEO) are in _CAPITALISED_WORDS and still open a person's name.
_ACRONYM_AFTER_DETERMINER = regex.compile(
    r"(?:^|[\s(])(?i:l['’]|(?:le|la|les|un|une|du|des|au|aux|ce|cette|notre|votre|the|our|your|a|an|this)\s+)"
    r"(?P<acronym>\p{Lu}{2,6})\s+$"
)
_WORD_BEFORE = regex.compile(r"(?:^|[\s('’])(?P<word>[\w-]+)\s+$")

_HONORIFIC_WORDS = HONORIFICS
_NOT_NAMES_OR_HONORIFICS = _NOT_NAMES | _HONORIFIC_WORDS
_THING_WORDS = _NOT_NAMES - _GREETINGS  # what follows them belongs to a thing ("Maison Pellerin")


@dataclass(frozen=True)
class Name:
    """A person's name found in a text: original offsets, the words of the name, and a leading honorific."""

    start: int
    end: int
    words: tuple[str, ...]
    honorific: bool

    @property
    def full(self) -> bool:
        """Two name words, or an honorific and a surname: enough to single someone out."""
        return len(self.words) >= 2 or (self.honorific and len(self.words) >= 1)


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def iban_is_valid(candidate: str) -> bool:
    """ISO 13616 check: move the first four characters to the end, letters to numbers, mod 97 == 1."""
    compact = candidate.replace(" ", "").upper()
    if not 15 <= len(compact) <= 34 or not compact.isalnum():
        return False
    rearranged = compact[4:] + compact[:4]
    digits = "".join(str(int(ch, 36)) for ch in rearranged)
    return int(digits) % 97 == 1


def luhn_is_valid(candidate: str) -> bool:
    """The Luhn checksum that every payment card number satisfies."""
    digits = _digits(candidate)
    if not 13 <= len(digits) <= 19:
        return False
    total = 0
    for index, ch in enumerate(reversed(digits)):
        value = int(ch)
        if index % 2 == 1:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


Valid = Callable[[str], bool]


def _spans(pattern: regex.Pattern[str], text: str, valid: Valid | None = None) -> Iterable[Span]:
    for found in pattern.finditer(text):
        if valid is None or valid(found.group()):
            yield found.span()


def _on_normalised(analysis: Analysis, pattern: regex.Pattern[str], valid: Valid | None = None) -> list[Span]:
    # Spaces inside numbers and names are often non-breaking: search the normalised text and map back.
    view = analysis.normalised
    return [view.span(s, e) for s, e in _spans(pattern, view.text, valid)]


def emails(analysis: Analysis) -> Iterable[Span]:
    return _spans(_EMAIL, analysis.text)


def personal_emails(analysis: Analysis) -> Iterable[Span]:
    """E-mail addresses other than an organisation's shared mailboxes (contact@, recrutement@...)."""
    for start, end in emails(analysis):
        local = fold_text(analysis.text[start:end].split("@", 1)[0])
        if local not in _ROLE_MAILBOXES and regex.split(r"[._+-]", local)[0] not in _ROLE_MAILBOXES:
            yield start, end


def _plausible_phone(found: str) -> bool:
    return 9 <= len(_digits(found)) <= 15


def _is_mobile(found: str) -> bool:
    return _MOBILE.match(found) is not None


def _before(text: str, start: int) -> str:
    return fold_text(text[max(0, start - 100) : start])


@dataclass(frozen=True)
class _Phone:
    start: int
    end: int
    found: str
    mobile: bool  # by its prefix, or by the words that present it ("his cell")
    service: bool  # a free or shared-cost line (French 08, toll-free 1-8xx)
    own_line: bool  # presented as the organisation's own line ("call us on")


_PHONES: MemoKey[tuple[_Phone, ...]] = MemoKey("phones")


def _phone_numbers(analysis: Analysis) -> tuple[_Phone, ...]:
    """Every phone number of the post, on the normalised text: the national and international forms, and a
    seven-digit local number the words before it present as a phone. Four detectors share them."""
    return analysis.memo.once(_PHONES, lambda: _find_phone_numbers(analysis))


def _find_phone_numbers(analysis: Analysis) -> tuple[_Phone, ...]:
    text = analysis.normalised.text
    spans = [
        (found.start(), found.end()) for found in _PHONE.finditer(text) if _plausible_phone(found.group())
    ]
    for found in _LOCAL_PHONE.finditer(text):
        inside = any(start < found.end() and found.start() < end for start, end in spans)
        if not inside and _PHONE_WORD_BEFORE.search(_before(text, found.start())):
            spans.append(found.span())
    phones = []
    for start, end in sorted(spans):
        found, before = text[start:end], _before(text, start)
        service = _SERVICE.match(found) is not None
        own_line = _OWN_LINE.search(before) is not None
        presented_as_mobile = not service and not own_line and _MOBILE_WORD_BEFORE.search(before) is not None
        phones.append(_Phone(start, end, found, _is_mobile(found) or presented_as_mobile, service, own_line))
    return tuple(phones)


def phones(analysis: Analysis) -> Iterable[Span]:
    view = analysis.normalised
    return [view.span(phone.start, phone.end) for phone in _phone_numbers(analysis)]


def mobile_phones(analysis: Analysis) -> Iterable[Span]:
    """Mobile numbers (French 06/07, UK 07, Belgian and Swiss mobiles, and any number the sentence presents as
    a cell or a portable): they reach one person directly."""
    view = analysis.normalised
    return [view.span(phone.start, phone.end) for phone in _phone_numbers(analysis) if phone.mobile]


def fixed_phones(analysis: Analysis) -> Iterable[Span]:
    """Phone numbers that are not recognisably mobile: landlines, switchboards, toll-free lines."""
    view = analysis.normalised
    return [view.span(phone.start, phone.end) for phone in _phone_numbers(analysis) if not phone.mobile]


# Words just before a number that present it as the organisation's own line ("call us on", « notre
# service client au », "the press office is on"): publishing it is what it is for. "We tried to reach you
# at" is the customer's number and stays a finding.
_OWN_LINE = regex.compile(
    r"\b(?:(?:call|ring|phone|text|reach|contact)\s+us|(?:appelez|contactez|joignez)[-\s]nous|nous\s+joindre"
    r"|(?:notre|nos|our)\s+(?:\w+\s+){0,2}?(?:service|standard|ligne|equipes?|agences?|conseillers?|team|line"
    r"|helpline|hotline|desk|office|branch|store|support)|service\s+(?:client|presse|consommateurs?|apres-vente)"
    r"|customer\s+(?:service|care|support)|press\s+office|standard|hotline|helpline|switchboard|joignable"
    r"|(?:24|7)\s*[/h]\s*(?:24|7))\b[^.!?\n]{0,60}$"
)


def private_phones(analysis: Analysis) -> Iterable[Span]:
    """Fixed numbers other than free or shared-cost service lines (French 08, toll-free 1-800...) and other
    than a line the sentence presents as the organisation's own ("call us on", « notre standard au »)."""
    view = analysis.normalised
    return [
        view.span(phone.start, phone.end)
        for phone in _phone_numbers(analysis)
        if not phone.mobile and not phone.service and not phone.own_line
    ]


def ibans(analysis: Analysis) -> Iterable[Span]:
    return _spans(_IBAN, analysis.text, iban_is_valid)


def cards(analysis: Analysis) -> Iterable[Span]:
    return _spans(_CARD, analysis.text, luhn_is_valid)


def addresses(analysis: Analysis) -> Iterable[Span]:
    return _on_normalised(analysis, _ADDRESS)


def home_addresses(analysis: Analysis) -> Iterable[Span]:
    """Street addresses unless their sentence presents them as a business (a shop, an office opening)."""
    for span in addresses(analysis):
        sentence = fold_text(analysis.text[slice(*_sentence_span(analysis, span[0]))])
        if _HOME_PLACE.search(sentence) or not _BUSINESS_PLACE.search(sentence):
            yield span


# An identifier written in groups of digits ("account 7781-2234") is a number like any other, but a date or a
# span of years after the keyword is not one ("contrat 2024-2026", "commande du 12-03-2024").
_DATE_OR_YEARS = regex.compile(
    r"\d{1,2}-\d{1,2}-\d{2,4}|\d{4}-\d{1,2}-\d{1,2}|(?:19|20)\d\d-(?:(?:19|20)?\d\d)"
)


def case_numbers(analysis: Analysis) -> Iterable[Span]:
    """A file keyword then an identifier; a bare number needs six digits ("une commande de 15000 masques"),
    whether it is written in one piece or in groups ("account 7781-2234"), and is not a date."""
    view = analysis.normalised
    for found in _CASE_NUMBER.finditer(view.text):
        identifier = found["id"]
        bare = identifier.replace("-", "")
        if bare.isdigit() and (len(bare) < 6 or _DATE_OR_YEARS.fullmatch(identifier)):
            continue
        yield view.span(*found.span())


# --- names ------------------------------------------------------------------------------------------
def _folded_word(word: str) -> str:
    return fold_text(word).rstrip(".")


def _is_particle(word: str) -> bool:
    return regex.fullmatch(_PARTICLE, word) is not None


def _named_after_someone(text: str, start: int) -> bool:
    """Whether the word before `start` makes the name there a thing's: an institution or product noun
    (`_NAMED_AFTER_SOMEONE`), or an acronym after a determiner that is not a role."""
    before = text[max(0, start - 40) : start]
    word = _WORD_BEFORE.search(before)
    if word is not None and _folded_word(word["word"]) in _NAMED_AFTER_SOMEONE:
        return True
    acronym = _ACRONYM_AFTER_DETERMINER.search(before)
    return acronym is not None and _folded_word(acronym["acronym"]) not in _NOT_NAMES_OR_HONORIFICS


def _is_first_name(word: str) -> bool:
    known = first_names()
    folded = fold_text(word)
    return folded in known or ("-" in folded and all(part in known for part in folded.split("-")))


_NAMES: MemoKey[tuple[Name, ...]] = MemoKey("names")  # by `full`


def names(analysis: Analysis, *, full: bool = False) -> list[Name]:
    """People's names: an honorific then a name, a known first name then a surname, or a named entity;
    with `full`, only those that single someone out (see `Name.full`).

    A capitalised run counts when an honorific or a known first name opens it, or when the language
    model tagged it as a person somewhere else than at the start of a sentence (where every word is
    capitalised). Words that open sentences or name things ("Bonjour", "Lundi", "Maison") are trimmed,
    and nothing inside a link, an e-mail address, a street address or an @handle counts.
    """
    # Four detectors ask for the names of one post: found once.
    return list(analysis.memo.once(_NAMES, lambda: _names(analysis, full=full), full))


def _names(analysis: Analysis, *, full: bool) -> tuple[Name, ...]:
    view = analysis.normalised
    text = view.text
    blocked = linkish_spans(text) + [m.span() for m in _ADDRESS.finditer(text)]
    found: list[Name] = []
    for match in _NAME.finditer(text):
        words = match.group().split()
        start = match.start()
        if _folded_word(words[0]) in _NAMED_AFTER_SOMEONE:
            continue  # "Lycée Victor Hugo" opening a sentence: the noun is capitalised, the run a place's
        honorific_at: int | None = None
        names_a_thing = False  # "Maison Pellerin", "Ramadan Moubarak": what follows belongs to a thing
        # Drop the leading words that are greetings or common capitalised words; note an honorific.
        while words and (_folded_word(words[0]) in _NOT_NAMES_OR_HONORIFICS or _is_particle(words[0])):
            honorific_at = start if _folded_word(words[0]) in _HONORIFIC_WORDS else None
            names_a_thing = _folded_word(words[0]) in _THING_WORDS
            start = text.index(words[1], start + len(words[0])) if len(words) > 1 else match.end()
            words = words[1:]
        ends_on_business = False
        while words and (_folded_word(words[-1]) in _NOT_NAMES or _is_particle(words[-1])):
            ends_on_business = ends_on_business or _folded_word(words[-1]) in _BUSINESS_WORDS
            words = words[:-1]
        if ends_on_business and honorific_at is None:
            continue  # "Sam Loves Pizza", "Julie Martin Immobilier": a business, whoever it is named after
        if not words or any(_folded_word(word) in _NOT_NAMES_OR_HONORIFICS for word in words):
            continue
        if honorific_at is None and _named_after_someone(text, start):
            continue  # "le lycée Victor Hugo", "la SCPI Pierre Azur": a place or a product
        honorific = honorific_at is not None
        end = text.index(words[-1], start) + len(words[-1])
        if any(s < end and start < e for s, e in blocked):
            continue
        orig_start, orig_end = view.span(start if honorific_at is None else honorific_at, end)
        if not (honorific or _is_first_name(words[0])):
            # Only the language model can tell; it is asked last, as it runs the NER on first need.
            if names_a_thing or opens_sentence(text, start) or (full and len(words) == 1):
                continue
            name_start, _ = view.span(start, end)
            people = (e for e in analysis.entities if e.label in ("PER", "PERSON"))
            if not any(e.start < orig_end and name_start < e.end for e in people):
                continue
        name = Name(orig_start, orig_end, tuple(words), honorific)
        if name.full or not full:
            found.append(name)
    return tuple(found)


def linkish_spans(text: str) -> list[Span]:
    """The spans `_LINKISH.finditer` finds, in time linear in the text.

    Scanned as one pattern, `\\S+@\\S+` is retried at every offset of a long run without "@" and each try
    runs to the run's end: quadratic. A match always ends where its run ends (both branches end in a
    greedy `\\S+`), and the "@" branch holds at a later offset of the run only if it holds at the run's
    start; so: the whole pattern at the run's start, else the first link opening inside the run."""
    spans: list[Span] = []
    for run in _RUN.finditer(text):
        start, end = run.span()
        found = _LINKISH.match(text, start, end) or _LINK_START.search(text, start, end)
        if found is not None:
            spans.append(found.span())
    return spans


def people(analysis: Analysis, *, full_name: bool) -> Iterable[Span]:
    """Person names; with `full_name`, only those that single someone out. An @handle is never a name."""
    for name in names(analysis, full=full_name):
        yield name.start, name.end


# --- a named person next to a private detail --------------------------------------------------------
# Stems compared with the text in lower case and without accents; each must start a word.
_HEALTH = regex.compile(
    r"\b(?:maladie|malade|arret maladie|arret de travail|sick leave|medical leave|diagnosed|diagnosis"
    r"|diagnostiquee?s?\b|cancer|chimio|chemo|tumeur|tumou?r|depression|burn-?out|hospitalis|a l'hopital"
    r"|in (?:the )?hospital|irm\b|mri\b|radiotherap|treatment for"
    r"|(?:son|sa|ses|his|her|their|en|sous) (?:traitement|treatment)"
    r"|medicament|medication|prescription|antidepress|anxiolyti|therapie|therapy|psychiatr"
    r"|est enceinte|enceinte de|pregnan|grossesse|fausse couche|miscarriage|chirurgi|surgery|opere\b"
    r"|(?:son|sa|ses|his|her|their) (?:handicap|disabilit)|als\b|charcot|alzheimer|parkinson|diabet|vih\b"
    r"|hiv\b|sida\b|avc\b|(?:had|suffered|after|her|his|their) (?:a |her |his |their )?stroke\b(?! of)"
    r"|infarctus|heart attack|crise cardiaque"
    r"|convalescen|in rehab|addiction|alcoolis|sclerose|sclerosis|leucemie|leukemia|autis|bipolai|bipolar"
    r"|schizophren|\d+ ?mg\b|symptom|souffre d|suffers? from|se bat contre (?:un|une|la|le)"
    r"|battling (?:cancer|an?\b))"
)
_DISPUTE = regex.compile(
    r"\b(?:licenci|fired\b(?! up)|dismissed (?:for|from)|dismissal|let go\b(?! of)|laid off|sacked|renvoye"
    r"|vire\b|viree\b|mis fin|mettre fin|periode d'essai|probation|faute grave|misconduct|manquement"
    r"|disciplinaire|disciplinary|sanctionn|volee?s?\b|voleu|stole|stealing|steal\b|theft|escroc|crook"
    r"|fraudeu|fraudster|arnaqu|scammer|menteu|ment\b|mentent|liar|lying|mise en demeure|proces\b"
    r"|tribunal|in court|lawsuit|sued\b|suing|plainte|poursuiv|condamn|convicted|arrested|garde a vue"
    r"|impaye|unpaid|paid late|late payment|huissier|bailiff|expuls|evict|divorc|prud'?hom|sabot)"
)
# A public role or a public talk in the same passage: the person is named as a public figure.
# ("webinai?re?" reaches both "webinar" and « webinaire ».)
_PUBLIC_ROLE = regex.compile(
    r"\b(?:conference|keynote|webinai?re?s?\b|podcast|intervention|table ronde|panel|speaker|auteure?|author"
    r"|livre|book|etude|study|chercheu|researcher|professeure?|professor|ministre|minister|depute|senat"
    r"|senator|governor|maire|mayor|candidate?|elections?|president de la republique|prix nobel)"
)
# A public-health campaign or a charity in the passage: the illness is the cause people act for, not a
# fact about the person named ("a run for cancer research", "cancer screening awareness with Dr. Smith").
_HEALTH_CAMPAIGN = regex.compile(
    r"\b(?:awareness|screening|depistage|sensibilisation|prevention|campagne|campaign|charity|fundrais"
    r"|au profit d|in aid of|recherche contre|research|dons?\b|donations?|collecte|collected|raised"
    r"|octobre rose|movember|telethon|relay for life)"
)


# The writer's own health ("while I'm in hospital", « ma chimio »): a detail told in the first person, a
# word or two before it, is not about the person the sentence names.
_FIRST_PERSON_BEFORE = regex.compile(
    r"\b(?:i'm|i am|i was|i've|i have|i had|my|je suis|j'ai|j'etais|je|ma|mon|mes)\s+(?:[\w'-]+\s+){0,2}\Z"
)


def _said_of_someone_else(passage: str, context: regex.Pattern[str], first_person: bool) -> bool:
    """Whether `context` occurs in `passage`; with `first_person`, only where it is not the writer's own."""
    for found in context.finditer(passage):
        window = max(0, found.start() - 40)
        if not first_person or not _FIRST_PERSON_BEFORE.search(passage, window, found.start()):
            return True
    return False


def _sentence_span(analysis: Analysis, offset: int, *, following: int = 0) -> Span:
    """The sentence holding `offset`, stretched over the next `following` sentences."""
    if not analysis.sentences:
        return 0, len(analysis.text)
    index = analysis.sentence_of(offset)
    last = min(index + following, len(analysis.sentences) - 1)
    return analysis.sentences[index][0], analysis.sentences[last][1]


def _named_near(
    analysis: Analysis,
    context: regex.Pattern[str],
    public: tuple[regex.Pattern[str], ...] = (_PUBLIC_ROLE,),
    *,
    first_person: bool = False,
) -> Iterable[Span]:
    # The detail often follows in the next sentence: "Keep Mark Jensen in your thoughts. He was diagnosed..."
    for name in names(analysis, full=True):
        start, end = _sentence_span(analysis, name.start, following=1)
        passage = fold_text(analysis.text[start:end])
        if _said_of_someone_else(passage, context, first_person) and not any(
            pattern.search(passage) for pattern in public
        ):
            yield name.start, name.end


def named_health(analysis: Analysis) -> Iterable[Span]:
    """A full name in the sentence of (or just before) a health detail: illness, treatment, sick leave;
    not when the passage is a public talk or a health campaign the person speaks at or runs for, nor when
    the detail is the writer's own ("Our COO, Lena Park, will chair the meeting while I'm in hospital")."""
    return _named_near(analysis, _HEALTH, (_PUBLIC_ROLE, _HEALTH_CAMPAIGN), first_person=True)


def named_dispute(analysis: Analysis) -> Iterable[Span]:
    """A full name next to a dismissal, an accusation, a legal action or a debt."""
    return _named_near(analysis, _DISPUTE)


DETECTORS: dict[str, Callable[[Analysis], Iterable[Span]]] = {
    "email": emails,
    "personal-email": personal_emails,
    "phone": phones,
    "mobile-phone": mobile_phones,
    "fixed-phone": fixed_phones,
    "private-phone": private_phones,
    "iban": ibans,
    "card": cards,
    "address": addresses,
    "home-address": home_addresses,
    "case-number": case_numbers,
    "person": lambda analysis: people(analysis, full_name=False),
    "full-name": lambda analysis: people(analysis, full_name=True),
    "named-health": named_health,
    "named-dispute": named_dispute,
}
