"""The language pipeline: detects the language and turns a text into an Analysis with spaCy."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import regex

from septfois.analysis.bounds import ANALYSED_TOKENS, bounded, split_runs
from septfois.analysis.compiled_regex import import_with_cached_patterns
from septfois.analysis.honorifics import HONORIFICS
from septfois.analysis.textmap import MappedText, normalise
from septfois.analysis.value import Analysis, Deferred, Entity, Span, Token

# Below this many letters langdetect guesses ("Merci !" comes out Italian): use the default.
MIN_LETTERS_TO_DETECT = 20
# ...or this many words of prose with at least this many letters.
MIN_WORDS_TO_DETECT = 3
MIN_LETTERS_IN_WORDS = 10
# A second language must be this probable before rules written for it also apply.
SECOND_LANGUAGE_SHARE = 0.2
_lock = threading.Lock()
# Texts spaCy runs through its models together in a batch.
BATCH_SIZE = 64


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


# What tells nothing about a post's language: links, e-mails, @handles and #hashtags (names, not prose).
_NOT_PROSE = regex.compile(r"https?://\S+|www\.\S+|\S+@\S+|[@#][\w.-]*")
# The same without its e-mail branch, whose `\S+@` tried at every character of a long run without an
# "@" reads to the run's end each time (`(` x 32,000 took 12 s): see `without_names`.
_NOT_PROSE_BUT_EMAILS = regex.compile(r"https?://\S+|www\.\S+|[@#][\w.-]*")
_RUN = regex.compile(r"\S+")
# A word, with the apostrophe that may join a French clitic or an English contraction to it.
_WORD = regex.compile(r"\p{L}+(?:['’]\p{L}+)*")
# French elides before the apostrophe (l'équipe, qu'il); English contracts after it (it's, don't).
_FRENCH_ELISIONS = frozenset(
    ["c", "d", "j", "l", "m", "n", "s", "t", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu", "presqu", "aujourd"]
)
_ENGLISH_CONTRACTIONS = frozenset(["s", "t", "re", "ll", "ve", "m", "d"])
# One language's word evidence must reach this many times the other's to decide on its own.
DECISIVE_RATIO = 2


@lru_cache(maxsize=1)
def function_words() -> dict[str, frozenset[str]]:
    """Per language, the short words that only it uses (data/function_words.txt), accent-folded."""
    from septfois.analysis.textmap import fold_text

    data = resources.files("septfois").joinpath("data/function_words.txt").read_text(encoding="utf-8")
    words: dict[str, set[str]] = {}
    current: set[str] = set()
    for line in data.splitlines():
        if line.startswith("#") or not line.strip():
            continue
        if line.startswith("["):
            current = words.setdefault(line.strip("[] \n"), set())
            continue
        current.update(fold_text(word) for word in line.split())
    return {lang: frozenset(found) for lang, found in words.items()}


def without_names(text: str) -> str:
    """`text` with each link, e-mail, handle and hashtag replaced by a space, as `_NOT_PROSE.sub(" ", text)`
    gives it, in time linear in the text.

    No match crosses a space, so each run of non-space characters is read on its own. A run holding an
    "@" with a character on each side is one match whole (the e-mail branch, or a link branch before it,
    reads from its first character to its end); in any other run the e-mail branch cannot match."""

    def one_run(run: regex.Match[str]) -> str:
        word = run.group()
        if word.find("@", 1, len(word) - 1) >= 0:
            return " "
        return _NOT_PROSE_BUT_EMAILS.sub(" ", word)

    return _RUN.sub(one_run, text)


def word_evidence(text: str, languages: Sequence[str]) -> dict[str, int]:
    """How many words of `text` only each language uses (function words, elisions, contractions)."""
    from septfois.analysis.textmap import fold_text

    lists = function_words()
    counts = dict.fromkeys(languages, 0)
    for match in _WORD.finditer(without_names(text)):
        parts = regex.split(r"['’]", fold_text(match.group()))
        if len(parts) > 1 and "fr" in counts and parts[0] in _FRENCH_ELISIONS:
            counts["fr"] += 1
            parts = parts[1:]
        elif len(parts) > 1 and "en" in counts and parts[-1] in _ENGLISH_CONTRACTIONS:
            counts["en"] += 1
            parts = parts[:-1]
        for part in parts:
            for lang in counts:
                if part in lists.get(lang, ()):
                    counts[lang] += 1
    return counts


def detect_languages(text: str, languages: Sequence[str], default: str) -> tuple[str, ...]:
    """The languages of `text` among `languages`, most probable first; `(default,)` when unsure.

    Short posts are where statistical detectors fail ("I hate women." reads as French to langdetect),
    so the words only one language uses decide first; langdetect, restricted to the configured
    languages and seeded, settles what they leave open on texts long enough for it, and says whether
    a second language is present.
    """
    if len(languages) == 1:
        return (languages[0],)
    evidence = word_evidence(text, languages)
    ranked_words = sorted(languages, key=lambda lang: -evidence[lang])
    first, second = ranked_words[0], ranked_words[1]
    decided = evidence[first] > 0 and evidence[first] >= DECISIVE_RATIO * evidence[second]
    prose = without_names(text)
    letters = sum(ch.isalpha() for ch in prose)
    words = len(_WORD.findall(prose))
    # langdetect guesses on a couple of words ("Merci !" comes out Italian); three words of prose with
    # no tell-tale word between them are still worth its opinion.
    enough = letters >= MIN_LETTERS_TO_DETECT or (
        words >= MIN_WORDS_TO_DETECT and letters >= MIN_LETTERS_IN_WORDS
    )
    probabilities = _langdetect(prose, languages) if enough else {}
    if decided:
        # A second language counts where its own words are there too (a quoted sentence, a bilingual
        # post): two of them, or one that langdetect backs; never a statistical guess alone.
        others = [
            lang
            for lang in ranked_words[1:]
            if evidence[lang] >= 2
            or (evidence[lang] and probabilities.get(lang, 0.0) >= SECOND_LANGUAGE_SHARE)
        ]
        return (first, *others)
    ranked = sorted(probabilities, key=lambda lang: -probabilities[lang])
    found = [lang for lang in ranked if probabilities[lang] >= SECOND_LANGUAGE_SHARE]
    if found and evidence[first] > evidence[found[0]]:
        # The words lean one way without deciding: they outrank the statistics on which comes first.
        found = [first, *(lang for lang in found if lang != first)]
    return tuple(found) or (default,)


def _langdetect(text: str, languages: Sequence[str]) -> dict[str, float]:
    """langdetect's probabilities for `text` among `languages` (empty when it cannot tell)."""
    from langdetect.lang_detect_exception import LangDetectException

    with _lock:  # langdetect's seeded random generator is shared state
        detector = _detector_factory(tuple(sorted(languages))).create()
        detector.append(text)
        try:
            return {item.lang: item.prob for item in detector.get_probabilities()}
        except LangDetectException:
            return {}


@lru_cache(maxsize=1)
def first_names() -> frozenset[str]:
    data = resources.files("septfois").joinpath("data/first_names.txt").read_text(encoding="utf-8")
    return frozenset(word for line in data.splitlines() if not line.startswith("#") for word in line.split())


class Pipeline:
    """One language's spaCy pipeline, loaded once, producing Analysis values."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.name, self._nlp, self._lemmas = _load(lang)
        # The parser (used for sentence boundaries only) and the NER cost more than the rest of the
        # pipeline together, and most posts never need what they give: they run on first need.
        self._deferred = [name for name in ("parser", "ner") if name in self._nlp.pipe_names]

    def analyse(self, text: str, langs: tuple[str, ...]) -> Analysis:
        return self.analyse_many([(text, langs)])[0]

    def analyse_many(
        self, items: Sequence[tuple[str, tuple[str, ...]]], *, all_entities: bool = False
    ) -> list[Analysis]:
        """Analyse several texts in one pass of the pipeline (spaCy batches them); the result for a
        text does not depend on the others in the batch. Entities are found where the detectors can
        use them (see `may_name_someone`), or in every text with `all_entities`."""
        items = [(bounded(text), langs) for text, langs in items]
        mapped = [normalise(text) for text, _ in items]
        # What the tokenizer reads: the same text with long runs without spaces cut (see bounds.py).
        seen = [split_runs(view) for view in mapped]
        with _lock:  # spaCy pipelines are not documented as thread-safe
            tokenised = [self._nlp.make_doc(view.text) for view in seen]
        for index, doc in enumerate(tokenised):
            if len(doc) > ANALYSED_TOKENS:
                # A token flood: the pipeline reads its first tokens, and the analysis the text they cover.
                text, langs = items[index]
                at = doc[ANALYSED_TOKENS].idx
                cut = seen[index].origin[at]
                items[index] = (text[:cut], langs)
                mapped[index] = normalise(text[:cut])
                seen[index] = MappedText(seen[index].text[:at], seen[index].origin[: at + 1])
                tokenised[index] = doc[:ANALYSED_TOKENS].as_doc()
        with _lock:
            docs = list(self._nlp.pipe(tokenised, batch_size=BATCH_SIZE, disable=self._deferred))
        return [
            self._analysis(doc, text, view, tokens_view, langs, all_entities)
            for doc, view, tokens_view, (text, langs) in zip(docs, mapped, seen, items, strict=True)
        ]

    def _run(self, name: str, doc: Any) -> None:
        with _lock:
            self._nlp.get_pipe(name)(doc)

    def _parsed(self, doc: Any) -> Any:
        """`doc` with its sentence boundaries; the components' models read the tensor tok2vec left on
        it, so a deferred run gives what a run in the pipeline gives."""
        if "parser" in self._deferred and not doc.has_annotation("DEP"):
            self._run("parser", doc)
        return doc

    def _analysis(
        self,
        doc: Any,
        text: str,
        normalised: MappedText,
        mapped: MappedText,
        langs: tuple[str, ...],
        all_entities: bool,
    ) -> Analysis:
        """The Analysis of `text`: `normalised` is what the rules read, `mapped` what spaCy read (the
        same text unless a long run was cut), whose offsets the tokens map back through."""
        tokens: list[Token] = []
        for tok in doc:
            if tok.is_space:
                continue
            start, end = mapped.span(tok.idx, tok.idx + len(tok.text))
            lemma = tok.lemma_ or tok.text
            if self._lemmas is not None:
                lemma = self._lemmas.get(tok.lower_, tok.lower_)
            tokens.append(Token(text[start:end], lemma, start, end, tok.pos_))

        def sentences() -> list[Span]:
            spans = [mapped.span(sent.start_char, sent.end_char) for sent in self._parsed(doc).sents]
            return spans or [(0, len(text))]

        def entities() -> list[Entity]:
            found: list[Entity] = []
            # The NER's tags can only matter where a capitalised word stands off a sentence start.
            if "ner" in self._deferred and (all_entities or may_name_someone(normalised.text)):
                self._run("ner", self._parsed(doc))  # it reads the parser's sentence boundaries
                found = [
                    Entity(ent.label_, *mapped.span(ent.start_char, ent.end_char), "") for ent in doc.ents
                ]
            if self._lemmas is not None:  # no NER model: find person names by rule
                found.extend(_rule_based_people(tokens))
            found = [Entity(e.label, e.start, e.end, text[e.start : e.end]) for e in found]
            return sorted(found, key=lambda e: (e.start, e.end))

        return Analysis(
            text=text,
            lang=self.lang,
            langs=langs,
            analyser=self.name,
            tokens=tuple(tokens),
            sentences=Deferred(sentences),
            entities=Deferred(entities),
            given_normalised=normalised,  # normalising again would give the same
        )


_UPPER = regex.compile(r"\p{Lu}")


def may_name_someone(text: str) -> bool:
    """Whether a person tag of the NER could change what the detectors find in `text`.

    `septfois.findings.detectors.names` uses a tag only for a capitalised name word that does not open a
    sentence (there an honorific or a known first name decides, or nothing does); a text without such
    a word can skip the NER. Both use `opens_sentence`.
    """
    return any(not opens_sentence(text, found.start()) for found in _UPPER.finditer(text))


def opens_sentence(text: str, offset: int) -> bool:
    """Whether `offset` opens a sentence: only spaces, symbols, quotes or emoji since the last stop."""
    index = offset
    while index > 0:
        ch = text[index - 1]
        if ch == "\n" or ch in ".!?…":
            return True
        if ch.isalnum() or ch in ",;:":
            return False
        index -= 1
    return True


def _load(lang: str) -> tuple[str, Any, Any]:
    """(description, nlp, lookup lemmas or None) for a language; never downloads anything."""
    import spacy
    from spacy.util import is_package

    if lang == "fr":
        # Its tokenizer exceptions compile a 1.45-million-character pattern on import (2.2-3.4 s of CPU):
        # the compiled program is kept in the user's cache (compiled_regex.py).
        import_with_cached_patterns("spacy.lang.fr.tokenizer_exceptions")
        # The parser is used only for sentence boundaries, yet it stays: the cheaper trained sentence
        # recogniser (senter) does not split at a colon where the parser does, and sentence-scoped
        # co-occurrence rules then fire across it (docs/performance.md, "Engine").
        return "spacy fr_core_news_sm", _with_indexed_lemmas(spacy.load("fr_core_news_sm")), None
    if lang == "en" and is_package("en_core_web_sm"):
        return "spacy en_core_web_sm", _with_indexed_lemmas(spacy.load("en_core_web_sm")), None
    from spacy.lookups import load_lookups

    nlp = spacy.blank(lang)
    nlp.add_pipe("sentencizer")
    table = load_lookups(lang, ["lemma_lookup"]).get_table("lemma_lookup")
    return f"spacy blank {lang} + lookup lemmas + rule-based names", nlp, table


def _with_indexed_lemmas(nlp: Any) -> Any:
    """`nlp` with its rule lemmatizer's word index held in sets rather than lists.

    The rule lemmatizer asks whether a word is in the index of its part of speech, a list of up to
    66,000 French words: one linear scan per new word and per candidate form, about 1 ms of every
    post. Membership is all it asks of the index, so sets give the same lemmas.
    """
    if "lemmatizer" in nlp.pipe_names:
        lookups = nlp.get_pipe("lemmatizer").lookups
        if "lemma_index" in lookups:
            index = lookups.get_table("lemma_index")
            for key, words in list(index.items()):
                index[key] = frozenset(words)
    return nlp


def _rule_based_people(tokens: Sequence[Token]) -> Iterable[Entity]:
    """Person names by rule: a known first name or an honorific followed by capitalised words."""
    names = first_names()
    index = 0
    while index < len(tokens) - 1:
        tok = tokens[index]
        lowered = tok.text.lower().rstrip(".")
        starts = (tok.text.istitle() and lowered in names) or lowered in HONORIFICS
        follow = index + 1
        while follow < len(tokens) and follow - index <= 3 and _is_name_word(tokens[follow].text):
            follow += 1
        if starts and follow > index + 1:
            first = index + 1 if lowered in HONORIFICS else index
            yield Entity("PER", tokens[first].start, tokens[follow - 1].end, "")
            index = follow
        else:
            index += 1


def _is_name_word(word: str) -> bool:
    return word[:1].isupper() and word.replace("-", "").replace("'", "").isalpha() and not word.isupper()


_pipelines: dict[str, Pipeline] = {}


def pipeline(lang: str) -> Pipeline:
    """The shared pipeline for `lang`, loaded on first use."""
    loaded = _pipelines.get(lang)
    if loaded is None:
        loaded = _pipelines[lang] = Pipeline(lang)
    return loaded


def is_loaded(lang: str) -> bool:
    return lang in _pipelines


def analyse(text: str, *, lang: str | None, languages: Sequence[str], default: str) -> Analysis:
    """Detect the language (unless forced) and analyse `text` with that language's pipeline."""
    return analyse_many([(text, lang)], languages=languages, default=default)[0]


def analyse_many(
    items: Sequence[tuple[str, str | None]], *, languages: Sequence[str], default: str
) -> list[Analysis]:
    """`analyse` for (text, forced language or None) pairs, each language's texts in one batch."""
    langs = [(lang,) if lang else detect_languages(bounded(text), languages, default) for text, lang in items]
    results: list[Analysis | None] = [None] * len(items)
    for name in dict.fromkeys(found[0] for found in langs):
        indexes = [i for i, found in enumerate(langs) if found[0] == name]
        batch = pipeline(name).analyse_many([(items[i][0], langs[i]) for i in indexes])
        for i, analysis in zip(indexes, batch, strict=True):
            results[i] = analysis
    return results  # type: ignore[return-value]
