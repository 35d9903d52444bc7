"""Personal-data detectors: e-mail, phone, IBAN (checksum), payment card (Luhn), address, case numbers."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import regex

from septfois.analysis import Analysis

Span = tuple[int, int]

_EMAIL = regex.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}(?![\w-])", regex.IGNORECASE)
_PHONE = regex.compile(
    r"(?<![\w+])(?:"
    r"(?:\+|00)33[\s.-]?\(?0?\)?[\s.-]?[1-9](?:[\s.-]?\d{2}){4}"  # French, international form
    r"|0[1-9](?:[\s.-]?\d{2}){4}"  # French, national form
    r"|\+\d{1,3}(?:[\s.-]?\(?\d{1,4}\)?){2,5}"  # any other international number
    r"|\(?\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}"  # North American national form
    r")(?![\w])"
)
_IBAN = regex.compile(r"(?<![\w])[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,3})?(?![\w])")
_CARD = regex.compile(r"(?<![\w])\d(?:[ -]?\d){12,18}(?![\w])")
_ADDRESS = regex.compile(
    r"(?<![\w])\d{1,4}(?:\s?(?:bis|ter))?,?\s+"
    r"(?:rue|avenue|av\.|boulevard|bd|chemin|all[ée]e|place|impasse|quai|route|cours|passage)"
    r"\s+(?:de\s+la\s+|de\s+l'|du\s+|des\s+|de\s+|d')?\p{Lu}[\p{L}'-]+(?:\s+\p{Lu}[\p{L}'-]+){0,3}"
    r"|(?<![\w])\d{1,5}\s+(?:\p{Lu}[\p{L}'-]+\s+){1,3}"
    r"(?:Street|St\.?|Avenue|Ave\.?|Road|Rd\.?|Boulevard|Blvd\.?|Lane|Ln\.?|Drive|Dr\.?|Court|Ct\.?|Way|Place|Pl\.?)"
    r"(?![\w])"
)
_CASE_NUMBER = regex.compile(
    r"(?<![\w])(?:commande|order|dossier|case|ticket|contrat|contract|account|compte|client|facture|invoice"
    r"|r[ée]f[ée]rence|r[ée]f\.?|n°|no\.|#)"
    r"\s*(?:n°|no\.?|number|num[ée]ro|#|:)?\s*(?=[A-Z0-9-]*\d{5})[A-Z]{0,4}-?[A-Z0-9-]{5,}(?![\w])",
    regex.IGNORECASE,
)


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def iban_is_valid(candidate: str) -> bool:
    """ISO 13616 check: move the first four characters to the end, letters to numbers, mod 97 == 1."""
    compact = candidate.replace(" ", "").upper()
    if not 15 <= len(compact) <= 34:
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


def _spans(pattern: regex.Pattern[str], text: str, valid: Callable[[str], bool] | None = None) -> Iterable[Span]:
    for found in pattern.finditer(text):
        if valid is None or valid(found.group()):
            yield found.span()


def emails(analysis: Analysis) -> Iterable[Span]:
    return _spans(_EMAIL, analysis.text)


def phones(analysis: Analysis) -> Iterable[Span]:
    def plausible(found: str) -> bool:
        return 9 <= len(_digits(found)) <= 15

    # Spaces in French numbers are often non-breaking: search the normalised text and map back.
    view = analysis.normalised
    return (view.span(s, e) for s, e in _spans(_PHONE, view.text, plausible))


def ibans(analysis: Analysis) -> Iterable[Span]:
    return _spans(_IBAN, analysis.text, iban_is_valid)


def cards(analysis: Analysis) -> Iterable[Span]:
    return _spans(_CARD, analysis.text, luhn_is_valid)


def addresses(analysis: Analysis) -> Iterable[Span]:
    view = analysis.normalised
    return (view.span(s, e) for s, e in _spans(_ADDRESS, view.text))


def case_numbers(analysis: Analysis) -> Iterable[Span]:
    return _spans(_CASE_NUMBER, analysis.text)


def people(analysis: Analysis, *, full_name: bool) -> Iterable[Span]:
    """Person entities; with `full_name`, only names of two words or more, never an @handle."""
    for entity in analysis.entities:
        if entity.label not in ("PER", "PERSON"):
            continue
        if analysis.text[max(entity.start - 1, 0) : entity.start] == "@" or "@" in entity.text:
            continue
        if full_name and len(entity.text.split()) < 2:
            continue
        yield entity.start, entity.end


DETECTORS: dict[str, Callable[[Analysis], Iterable[Span]]] = {
    "email": emails,
    "phone": phones,
    "iban": ibans,
    "card": cards,
    "address": addresses,
    "case-number": case_numbers,
    "person": lambda analysis: people(analysis, full_name=False),
    "full-name": lambda analysis: people(analysis, full_name=True),
}
