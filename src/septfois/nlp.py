"""The language pipeline: detects the language and turns a text into an Analysis with spaCy."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from septfois.analysis import Analysis, Entity, Token
from septfois.textmap import normalise

# Below this many letters langdetect guesses ("Merci !" comes out Italian): use the default.
MIN_LETTERS_TO_DETECT = 20
# A second language must be this probable before rules written for it also apply.
SECOND_LANGUAGE_SHARE = 0.2
_HONORIFICS = {"mr", "mrs", "ms", "miss", "dr", "prof", "m.", "mme", "mlle", "monsieur", "madame"}
_lock = threading.Lock()


@lru_cache(maxsize=8)
def _detector_factory(languages: tuple[str, ...]) -> Any:
    """A langdetect factory that knows only the configured languages, seeded for repeatable results."""
    import langdetect
    from langdetect.detector_factory import DetectorFactory

    profiles = Path(langdetect.__file__).parent / "profiles"
    factory = DetectorFactory()
    factory.load_json_profile([(profiles / lang).read_text(encoding="utf-8") for lang in languages])
    factory.set_seed(0)
    return factory


def detect_languages(text: str, languages: Sequence[str], default: str) -> tuple[str, ...]:
    """The languages of `text` among `languages`, most probable first; `(default,)` when unsure."""
    if len(languages) == 1:
        return (languages[0],)
    letters = sum(ch.isalpha() for ch in text)
    if letters < MIN_LETTERS_TO_DETECT:
        return (default,)
    from langdetect.lang_detect_exception import LangDetectException

    with _lock:  # langdetect's seeded random generator is shared state
        detector = _detector_factory(tuple(sorted(languages))).create()
        detector.append(text)
        try:
            ranked = detector.get_probabilities()
        except LangDetectException:
            return (default,)
    found = [item.lang for item in ranked if item.prob >= SECOND_LANGUAGE_SHARE]
    return tuple(found) or (default,)


@lru_cache(maxsize=1)
def first_names() -> frozenset[str]:
    data = resources.files("septfois").joinpath("data/first_names.txt").read_text(encoding="utf-8")
    return frozenset(word for line in data.splitlines() if not line.startswith("#") for word in line.split())


class Pipeline:
    """One language's spaCy pipeline, loaded once, producing Analysis values."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.name, self._nlp, self._lemmas = _load(lang)

    def analyse(self, text: str, langs: tuple[str, ...]) -> Analysis:
        mapped = normalise(text)
        with _lock:  # spaCy pipelines are not documented as thread-safe
            doc = self._nlp(mapped.text)
        sentences = [mapped.span(sent.start_char, sent.end_char) for sent in doc.sents] or [(0, len(text))]
        tokens: list[Token] = []
        for sent_index, sent in enumerate(doc.sents):
            for tok in sent:
                if tok.is_space:
                    continue
                start, end = mapped.span(tok.idx, tok.idx + len(tok.text))
                lemma = tok.lemma_ or tok.text
                if self._lemmas is not None:
                    lemma = self._lemmas.get(tok.lower_, tok.lower_)
                tokens.append(Token(text[start:end], lemma, start, end, tok.pos_, sent_index))
        entities = [Entity(ent.label_, *mapped.span(ent.start_char, ent.end_char), "") for ent in doc.ents]
        if self._lemmas is not None:  # no NER model: find person names by rule
            entities.extend(_rule_based_people(tokens))
        entities = [Entity(e.label, e.start, e.end, text[e.start : e.end]) for e in entities]
        return Analysis(
            text=text,
            lang=self.lang,
            langs=langs,
            analyser=self.name,
            tokens=tuple(tokens),
            sentences=tuple(sentences),
            entities=tuple(sorted(entities, key=lambda e: (e.start, e.end))),
        )


def _load(lang: str) -> tuple[str, Any, Any]:
    """(description, nlp, lookup lemmas or None) for a language; never downloads anything."""
    import spacy
    from spacy.util import is_package

    if lang == "fr":
        return "spacy fr_core_news_sm", spacy.load("fr_core_news_sm"), None
    if lang == "en" and is_package("en_core_web_sm"):
        return "spacy en_core_web_sm", spacy.load("en_core_web_sm"), None
    from spacy.lookups import load_lookups

    nlp = spacy.blank(lang)
    nlp.add_pipe("sentencizer")
    table = load_lookups(lang, ["lemma_lookup"]).get_table("lemma_lookup")
    return f"spacy blank {lang} + lookup lemmas + rule-based names", nlp, table


def _rule_based_people(tokens: Sequence[Token]) -> Iterable[Entity]:
    """Person names by rule: a known first name or an honorific followed by capitalised words."""
    names = first_names()
    index = 0
    while index < len(tokens) - 1:
        tok = tokens[index]
        lowered = tok.text.lower().rstrip(".")
        starts = (tok.text.istitle() and lowered in names) or lowered in _HONORIFICS
        follow = index + 1
        while follow < len(tokens) and follow - index <= 3 and _is_name_word(tokens[follow].text):
            follow += 1
        if starts and follow > index + 1:
            first = index + 1 if lowered in _HONORIFICS else index
            yield Entity("PER", tokens[first].start, tokens[follow - 1].end, "")
            index = follow
        else:
            index += 1


def _is_name_word(word: str) -> bool:
    return word[:1].isupper() and word.replace("-", "").replace("'", "").isalpha() and not word.isupper()


@lru_cache(maxsize=4)
def pipeline(lang: str) -> Pipeline:
    """The shared pipeline for `lang`, loaded on first use."""
    return Pipeline(lang)


def analyse(text: str, *, lang: str | None, languages: Sequence[str], default: str) -> Analysis:
    """Detect the language (unless forced) and analyse `text` with that language's pipeline."""
    if lang:
        langs: tuple[str, ...] = (lang,)
    else:
        langs = detect_languages(text, languages, default)
    return pipeline(langs[0]).analyse(text, langs)
