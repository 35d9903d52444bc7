"""Token patterns on spaCy's Matcher: a small pattern language, disguised spellings folded, one Doc a post."""

from __future__ import annotations

import bisect
import itertools
import re
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from septfois.analysis.textmap import fold_text
from septfois.analysis.value import Analysis, MemoKey, Span, Token, positions_of

# Digits and symbols written for letters ("c0nnard", "a$$hole", "1d10t"): what each stands for.
LEET = str.maketrans(
    {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "9": "g", "@": "a", "$": "s"}
)
LEET_OTHER = str.maketrans({"1": "l", "!": "i", "|": "l"})  # the second reading of the ambiguous ones
# Characters that hide one letter each ("f*ck", "m**de"): any letter may stand there.
MASKS = "*#%"
# What letters spelt out one by one are joined with ("i.d.i.o.t", "c-o-n", "h a t e").
_SEPARATOR = re.compile(r"[.\-_*·]")
_SPELT_SEPARATED = re.compile(r"[^\W\d_](?:[.\-_*·][^\W\d_])+")
_RUN3 = re.compile(r"(\w)\1{2,}")
# Tokens a gap never runs across: the end of a sentence.
STOPS = (".", "!", "?", "…", "...", "!!", "!!!", "?!", "!?", "??")
# A typo is read as the word it garbles only for words this long (shorter ones garble into real words).
TRANSPOSED_FROM = 5
DROPPED_FROM = 7
VOWEL_DROPPED_FROM = 5
VOWELS = frozenset("aeiouy")
# Letters spelt out one token each ("h a t e") are joined when there are at least this many.
SPELT_MIN = 3
MAX_VARIANTS = 256

_lock = threading.Lock()
_vocab: Any = None


def skeleton(word: str) -> str:
    """The folded form patterns and tokens are compared in: lower case, no accents, typographic apostrophes
    straightened."""
    return fold_text(word.replace("\u2019", "'"))


class Known:
    """The words some pattern names, which a disguised spelling may be read as, with the typos of each
    worked out once: every neighbouring-letter swap and, for long words, every single letter dropped."""

    def __init__(self, words: Iterable[str]) -> None:
        self.words = frozenset(words)
        by_length: dict[int, list[str]] = {}
        typos: dict[str, str] = {}
        for word in sorted(self.words):
            by_length.setdefault(len(word), []).append(word)
            if not word.isalpha():
                continue
            if len(word) >= TRANSPOSED_FROM - 1:
                # In a four-letter word only the last two letters swapped ("haet"): other swaps of short
                # words are too often words of their own ("part", "form").
                first = 0 if len(word) >= TRANSPOSED_FROM else len(word) - 2
                for at in range(first, len(word) - 1):
                    if word[at] != word[at + 1]:
                        typos.setdefault(word[:at] + word[at + 1] + word[at] + word[at + 2 :], word)
            for at in range(1, len(word)):  # the first letter stays: people keep it
                doubled = word[at - 1] == word[at] or (at + 1 < len(word) and word[at + 1] == word[at])
                # The vowel of a last syllable that ends in consonants ("cancr", "womn", "blck") goes
                # unnoticed in any word of five letters or more; other letters only in long words.
                last_vowel = (
                    word[at] in VOWELS
                    and len(word) >= VOWEL_DROPPED_FROM
                    and 0 < len(word) - at - 1 <= 2
                    and not any(ch in VOWELS for ch in word[at + 1 :])
                )
                if not doubled and (len(word) >= DROPPED_FROM or last_vowel):
                    typos.setdefault(word[:at] + word[at + 1 :], word)
        self.by_length = {size: tuple(items) for size, items in by_length.items()}
        # A typo that is itself a word some pattern names stays that word.
        self.typos = {typo: word for typo, word in typos.items() if typo not in self.words}

    def __contains__(self, word: object) -> bool:
        return word in self.words

    def read(self, form: str) -> str | None:
        """The known word a disguised spelling stands for, or None: digits and symbols for letters, letters
        spelt out with separators, a letter stretched ("iiiidiot", "connnnard"), letters masked ("f*ck"),
        two neighbouring letters swapped ("haet") or, in a long word, one letter dropped ("stupd")."""
        if form in self.words:
            return form
        if form.isalpha() and not _RUN3.search(form):
            return self.typos.get(form)  # most words of a post: one look-up
        candidates: list[str] = []
        if _SPELT_SEPARATED.fullmatch(form):
            candidates.append(_SEPARATOR.sub("", form))
        if any(ch.isalpha() for ch in form) and not form.isalpha():
            leet = form.translate(LEET)
            candidates.extend(dict.fromkeys([leet, form.translate(LEET_OTHER), leet.translate(LEET_OTHER)]))
        candidates.append(form)
        for candidate in list(candidates):
            if _RUN3.search(candidate):
                candidates.append(_RUN3.sub(r"\1\1", candidate))  # "connnnard": a double letter stretched
                candidates.append(_RUN3.sub(r"\1", candidate))
        for candidate in candidates:
            if candidate in self.words:
                return candidate
        for candidate in candidates:
            if any(mask in candidate for mask in MASKS) and any(ch.isalpha() for ch in candidate):
                body = re.compile("".join("[a-z]" if ch in MASKS else re.escape(ch) for ch in candidate))
                matching = [word for word in self.by_length.get(len(candidate), ()) if body.fullmatch(word)]
                if len(matching) == 1:
                    return matching[0]
        for candidate in candidates:
            if candidate in self.typos:
                return self.typos[candidate]
        return None


@dataclass(frozen=True)
class Words:
    """A post as the Matcher sees it: one entry a word (letters spelt out one by one joined into one), with
    its original offsets, its folded written form and its lemma (the known word a disguise stands for).

    A word in lemma position matches a word of that lemma or a word written so, as in lexicons: « tenu »
    in a list matches « tenu » even where a rule names « tenir », its lemma. A Doc token has one lemma,
    so a word whose lemma and written form are both named words has its written form as `also`, its
    second lemma (`also` is `lemmas` elsewhere), for the patterns that name it (`_readings`)."""

    spans: tuple[Span, ...]
    norms: tuple[str, ...]
    lemmas: tuple[str, ...]
    also: tuple[str, ...]
    doubled: tuple[int, ...]  # the positions of the words with a second lemma


def words_of(tokens: Sequence[Token], known: Known) -> Words:
    spans: list[Span] = []
    norms: list[str] = []
    lemmas: list[str] = []
    also: list[str] = []
    index = 0
    while index < len(tokens):
        tok = tokens[index]
        run = index
        # "h a t e": single letters in a row, each its own token.
        while run < len(tokens) and len(tokens[run].text) == 1 and tokens[run].text.isalpha():
            run += 1
        if run - index >= SPELT_MIN:
            joined = skeleton("".join(t.text for t in tokens[index:run]))
            if joined in known:
                spans.append((tok.start, tokens[run - 1].end))
                norms.append(joined)
                lemmas.append(joined)
                also.append(joined)
                index = run
                continue
        norm = skeleton(tok.text)
        lemma = skeleton(tok.lemma) if tok.lemma else norm
        if lemma not in known:
            lemma = norm if norm in known else (known.read(norm) or lemma)
        spans.append((tok.start, tok.end))
        norms.append(norm)
        lemmas.append(lemma)
        also.append(norm if norm in known else lemma)
        index += 1
    doubled = tuple(at for at, (lemma, other) in enumerate(zip(lemmas, also, strict=True)) if lemma != other)
    return Words(tuple(spans), tuple(norms), tuple(lemmas), tuple(also), doubled)


def vocab() -> Any:
    """The one spaCy vocabulary every pattern and post Doc shares (strings only, no model)."""
    global _vocab
    if _vocab is None:
        from spacy.vocab import Vocab

        _vocab = Vocab()
    return _vocab


class PatternError(ValueError):
    """A pattern that cannot be compiled: the message says why."""


@dataclass(frozen=True)
class Atom:
    """One word position of a pattern: the words it accepts (or any word), and how many times it repeats."""

    exact: frozenset[str]
    prefixes: tuple[str, ...]
    surface: bool  # compare the written form, not the lemma
    any: bool
    op: str | None

    def spacy(self) -> dict[str, Any]:
        attr = "NORM" if self.surface else "LEMMA"
        if self.any:
            spec: dict[str, Any] = {"NORM": {"NOT_IN": list(STOPS)}}
        elif self.prefixes:
            alternatives = [f"{re.escape(w)}$" for w in sorted(self.exact)] + [
                re.escape(p) for p in self.prefixes
            ]
            spec = {attr: {"REGEX": "^(?:" + "|".join(alternatives) + ")"}}
        elif len(self.exact) == 1:
            spec = {attr: next(iter(self.exact))}
        else:
            spec = {attr: {"IN": sorted(self.exact)}}
        if self.op:
            spec["OP"] = self.op
        return spec


_QUANTIFIER = re.compile(r"(\?|\*|\+|\{\d*,?\d*\})$")
_LIST_REF = re.compile(r"\{([a-z][a-z0-9_-]*)\}")
_COUNTED = re.compile(r"\{(\d*)(,?)(\d*)\}")


def _split_words(entry: str) -> list[str]:
    """The words of a list entry or pattern word, split as the tokenizer splits them ("l'", "c'")."""
    return re.sub(r"(?<=\w')", " ", skeleton(entry)).split()


def compile_pattern(source: str, lists: Mapping[str, Sequence[str]]) -> list[list[dict[str, Any]]]:
    """spaCy Matcher patterns for one pattern string (several when a list holds multi-word entries)."""
    parts = source.split()
    if not parts:
        raise PatternError("empty pattern")
    slots: list[list[list[Atom]]] = []  # per part: alternatives, each a sequence of atoms
    for part in parts:
        slots.append(_part(part, lists))
    if all(
        all(atom.op in ("?", "*") or (atom.op or "").startswith("{0") for atom in alt) for alt in slots[0]
    ):
        raise PatternError(f"the pattern may start with nothing: make its first word required ({parts[0]!r})")
    variants = list(itertools.islice(itertools.product(*slots), MAX_VARIANTS + 1))
    if len(variants) > MAX_VARIANTS:
        raise PatternError(f"too many multi-word list entries combined (more than {MAX_VARIANTS} patterns)")
    return [[atom.spacy() for alt in variant for atom in alt] for variant in variants]


def _part(part: str, lists: Mapping[str, Sequence[str]]) -> list[list[Atom]]:
    op = None
    found = _QUANTIFIER.search(part)
    body = part
    if found:
        op = found.group(1)
        body = part[: found.start()]
        counted = _COUNTED.fullmatch(op) if op.startswith("{") else None
        if op.startswith("{") and (counted is None or not (counted.group(1) or counted.group(3))):
            raise PatternError(f"bad repeat {op!r} in {part!r} (write {{0,3}}, {{2}} or {{1,}})")
    if not body:
        raise PatternError(f"a repeat with nothing to repeat: {part!r}")
    if body == "_":
        return [[Atom(frozenset(), (), False, True, op)]]
    surface = body.startswith("=")
    body = body.removeprefix("=")
    entries: list[str] = []
    for alternative in body.split("|"):
        alternative = alternative.removeprefix("=")  # `=a|=b` and `=a|b` say the same
        reference = _LIST_REF.fullmatch(alternative)
        if reference is None:
            if "{" in alternative or "}" in alternative:
                raise PatternError(f"{part!r}: write a list as {{name}} and a repeat as {{0,3}} after a word")
            entries.append(alternative)
            continue
        name = reference.group(1)
        if name not in lists:
            known = ", ".join(sorted(lists)) or "none"
            raise PatternError(f"unknown list {{{name}}} (this rule's lists: {known})")
        entries.extend(lists[name])
    single: set[str] = set()
    prefixes: list[str] = []
    longer: list[list[str]] = []
    for entry in entries:
        words = _split_words(entry)
        if not words or any(not w.rstrip("*") for w in words):
            raise PatternError(f"empty word in {part!r}")
        if len(words) == 1:
            word = words[0]
            if word.endswith("*"):
                prefixes.append(word[:-1])
            else:
                single.add(word)
        else:
            longer.append(words)
    if longer and op:
        raise PatternError(f"{part!r}: a list with multi-word entries cannot repeat")
    alternatives: list[list[Atom]] = []
    if single or prefixes:
        alternatives.append([Atom(frozenset(single), tuple(prefixes), surface, False, op)])
    for words in longer:
        alternatives.append(
            [
                Atom(
                    frozenset({w}) if not w.endswith("*") else frozenset(),
                    (w[:-1],) if w.endswith("*") else (),
                    surface,
                    False,
                    None,
                )
                for w in words
            ]
        )
    return alternatives


def pattern_words(patterns: Iterable[list[dict[str, Any]]]) -> set[str]:
    """The exact words compiled patterns name: what a disguise may be read as."""
    found: set[str] = set()
    for pattern in patterns:
        for spec in pattern:
            value = spec.get("LEMMA")
            if isinstance(value, str):
                found.add(value)
            elif isinstance(value, dict) and "IN" in value:
                found.update(value["IN"])
            elif isinstance(value, dict) and "REGEX" in value:
                found.update(_exact_in_regex(value["REGEX"]))
    return found


def _exact_in_regex(pattern: str) -> list[str]:
    """The whole words of a position that also takes prefixes, as `Atom.spacy` writes them (`^(?:w$|…)`)."""
    alternatives = pattern.removeprefix("^(?:").removesuffix(")").split("|")
    return [re.sub(r"\\(.)", r"\1", word[:-1]) for word in alternatives if word.endswith("$")]


# Every word some compiled pattern names, in every pack: one reading of a post's disguises serves all rules.
_words: set[str] = set()
_known: Known | None = None


def _register(words: Iterable[str]) -> None:
    global _known
    with _lock:
        new = set(words) - _words
        if new:
            _words.update(new)
            _known = None  # worked out again on next use


def known_words() -> Known:
    global _known
    with _lock:
        if _known is None:
            _known = Known(_words)
        return _known


_POST_WORDS: MemoKey[Words] = MemoKey("matcher words")
_POST_DOC: MemoKey[Any] = MemoKey("matcher doc")


def post_words(analysis: Analysis) -> Words:
    """The post's words as the Matcher sees them (disguises read), once per post for every rule (and again
    only if rules compiled since name new words)."""
    known = known_words()
    # Keyed by the known words themselves: rules compiled later name new words, and a new set.
    return analysis.memo.once(_POST_WORDS, lambda: words_of(analysis.tokens, known), known)


_POST_WORD_SETS: MemoKey[tuple[frozenset[tuple[str, str]], dict[str, frozenset[str]]]] = MemoKey(
    "matcher word sets"
)


def post_word_sets(analysis: Analysis) -> tuple[frozenset[tuple[str, str]], dict[str, frozenset[str]]]:
    """The post's words as patterns name them: (attribute, word) pairs, and the words of each attribute;
    once per post for every rule."""

    def compute() -> tuple[frozenset[tuple[str, str]], dict[str, frozenset[str]]]:
        words = post_words(analysis)
        present = {"LEMMA": frozenset(words.lemmas) | frozenset(words.also), "NORM": frozenset(words.norms)}
        return frozenset((attr, word) for attr, found in present.items() for word in found), present

    return analysis.memo.once(_POST_WORD_SETS, compute, known_words())


def post_doc(analysis: Analysis) -> tuple[Any, Words]:
    """The post as a spaCy Doc of its words (folded forms and lemmas), with their offsets; built once per
    post, only for a post some pattern may match."""
    from spacy.tokens import Doc

    words = post_words(analysis)

    def build() -> Any:
        with _lock:  # the shared vocabulary's string store is not documented as thread-safe
            # spaCy refuses an empty word; a word that folds to nothing (combining marks alone) becomes a
            # space, which no pattern names.
            norms = [norm or " " for norm in words.norms] or [" "]
            lemmas = [lemma or " " for lemma in words.lemmas] or [" "]
            doc = Doc(vocab(), words=norms, lemmas=lemmas)
            for token, norm in zip(doc, words.norms, strict=False):
                token.norm_ = norm
        return doc

    return analysis.memo.once(_POST_DOC, build, known_words()), words


def disguised_spans(analysis: Analysis, words: frozenset[str]) -> list[Span]:
    """Where the post writes one of `words` in disguise ("haet", "k1ll", "h a t e"): the words read as one
    of them that are not written as one."""
    if not analysis.tokens:
        return []
    read = post_words(analysis)
    return [
        span
        for span, norm, lemma in zip(read.spans, read.norms, read.lemmas, strict=True)
        if lemma in words and norm != lemma
    ]


def register(words: Iterable[str]) -> None:
    """Add words a disguise may be read as (single folded words; others are ignored)."""
    _register(skeleton(word) for word in words if skeleton(word).replace("'", "").isalpha())


# What a pattern needs among a post's words: per needed position, its attribute and the words it accepts.
Need = tuple[tuple[str, frozenset[str]], ...]


@dataclass(frozen=True)
class _Group:
    """Patterns filed under one anchor, a word position each of them needs: a match holds a token of the
    anchor's words, and reaches at most `reach` tokens (None: no bound) either side of it."""

    matcher: Any
    attr: str
    words: frozenset[str]
    reach: int | None
    needs: tuple[Need, ...]  # what each of its patterns needs
    lemmas: frozenset[str] | None  # the words its patterns name in lemma position (None: some by prefix)


class TokenPatterns:
    """Compiled patterns: spaCy Matchers, run on a Doc built from the post's tokens (never spaCy's own
    Doc: rule types see the plain Analysis), with disguised spellings of the words patterns name read.

    spaCy's Matcher tries every pattern at every token, so a post costs its length times the number of
    patterns. Patterns are therefore filed under an anchor (the needed word position accepting the fewest
    words), one Matcher per anchor: a post runs only the groups whose anchor words and other needed words
    it holds, and only on the tokens around each anchor word a match can reach. The matches are those one
    Matcher of every pattern would give the whole post (overlaps within a key resolved longest first, as
    its greedy="LONGEST" does)."""

    def __init__(self, patterns: Mapping[str, Sequence[list[dict[str, Any]]]]) -> None:
        from spacy.matcher import Matcher

        filed: dict[tuple[str, frozenset[str]], list[tuple[str, list[dict[str, Any]], Need]]] = {}
        unanchored: list[tuple[str, list[dict[str, Any]]]] = []
        named: set[str] = set()
        for key, compiled in patterns.items():
            named |= pattern_words(compiled)
            for pattern in compiled:
                need = _needs(pattern)
                if not need:
                    unanchored.append((key, pattern))
                    continue
                anchor = min(need, key=lambda position: len(position[1]))
                filed.setdefault(anchor, []).append((key, pattern, need))
        # Patterns that need no listed word run on every post that has words, over all of them.
        self._everywhere: Any = None
        self._everywhere_lemmas = _lemma_words(pattern for _, pattern in unanchored)
        # compile_pattern writes every pattern from the pack's own syntax, which the pack loader checks:
        # the Matcher's schema validation of each one would only add load time (a tenth of the packs').
        if unanchored:
            self._everywhere = Matcher(vocab(), validate=False)
            for key, pattern in unanchored:
                self._everywhere.add(key, [pattern])
        self._groups: list[_Group] = []
        for (attr, words), members in filed.items():
            matcher = Matcher(vocab(), validate=False)
            for key, pattern, _ in members:
                matcher.add(key, [pattern])
            reaches = [_reach(pattern) for _, pattern, _ in members]
            reach = None if None in reaches else max(r for r in reaches if r is not None)
            needs = tuple(dict.fromkeys(need for _, _, need in members))
            lemmas = _lemma_words(pattern for _, pattern, _ in members)
            self._groups.append(_Group(matcher, attr, words, reach, needs, lemmas))
        # Each group filed under its anchor words: a post's words pick out the groups worth a look.
        self._by_word: dict[tuple[str, str], list[int]] = {}
        for index, group in enumerate(self._groups):
            for word in group.words:
                self._by_word.setdefault((group.attr, word), []).append(index)
        self._keys = frozenset(self._by_word)
        _register(named)

    def matches(self, analysis: Analysis) -> dict[str, list[Span]]:
        """Original-offset spans each pattern key matched (overlaps within a key resolved longest first)."""
        if not analysis.tokens:
            return {}
        pairs, present = post_word_sets(analysis)
        candidates = sorted({index for key in self._keys & pairs for index in self._by_word[key]})
        groups = [
            group
            for group in (self._groups[index] for index in candidates)
            if any(all(not present[attr].isdisjoint(ok) for attr, ok in need) for need in group.needs)
        ]
        if not groups and self._everywhere is None:
            return {}
        doc, words = post_doc(analysis)
        size = len(doc)
        positions = post_word_positions(analysis) if groups else {}
        # Each Matcher on the token ranges it may match in, with the words its patterns name as second
        # lemmas given those (set on the post's Doc for its run, then set back).
        tasks: list[tuple[Any, int, int, Changes]] = []
        if self._everywhere is not None:
            for changes in _readings(words, 0, size, self._everywhere_lemmas):
                tasks.append((self._everywhere, 0, size, changes))
        for group in groups:
            for first, last in _windows(group, positions, size):
                for changes in _readings(words, first, last, group.lemmas):
                    tasks.append((group.matcher, first, last, changes))
        found: dict[int, set[tuple[int, int]]] = {}
        with _lock:
            for matcher, first, last, changes in tasks:
                for at, lemma in changes:
                    doc[at].lemma_ = lemma
                for match_id, start, end in matcher(doc[first:last]):
                    found.setdefault(match_id, set()).add((first + start, first + end))
                for at, _ in changes:
                    doc[at].lemma_ = words.lemmas[at] or " "
        strings = vocab().strings
        spans: dict[str, list[Span]] = {}
        for match_id, pairs in found.items():
            kept = _longest_first(pairs, size)
            spans[strings[match_id]] = [(words.spans[s][0], words.spans[e - 1][1]) for s, e in kept]
        return spans


# Words given their second lemma for one run of a Matcher: (position, lemma).
Changes = tuple[tuple[int, str], ...]


def _readings(words: Words, first: int, last: int, named: frozenset[str] | None) -> list[Changes]:
    """How to read words `first` to `last` for patterns naming `named` in lemma position: a word with a
    second lemma (`Words.also`) takes the one these patterns name; where they name both (or take lemmas by
    prefix), a second run gives every such word its second lemma."""
    doubled = words.doubled[
        bisect.bisect_left(words.doubled, first) : bisect.bisect_left(words.doubled, last)
    ]
    if not doubled:
        return [()]
    if named is None:
        return [(), tuple((at, words.also[at]) for at in doubled)]
    chosen = tuple(
        (at, words.also[at]) for at in doubled if words.also[at] in named and words.lemmas[at] not in named
    )
    both = tuple(
        (at, words.also[at]) for at in doubled if words.also[at] in named and words.lemmas[at] in named
    )
    return [chosen, chosen + both] if both else [chosen]


def _lemma_words(patterns: Iterable[list[dict[str, Any]]]) -> frozenset[str] | None:
    """The words `patterns` name in lemma position, or None when one position takes lemmas by prefix."""
    patterns = list(patterns)
    if any(isinstance(spec.get("LEMMA"), dict) and "REGEX" in spec["LEMMA"] for p in patterns for spec in p):
        return None
    return frozenset(pattern_words(patterns))


def _windows(group: _Group, positions: Mapping[str, Mapping[str, list[int]]], size: int) -> list[Span]:
    """The token ranges a match of `group` can lie in: around each of its anchor words, merged."""
    if group.reach is None:
        return [(0, size)]
    by_word = positions[group.attr]
    anchors = sorted(at for word in group.words for at in by_word.get(word, ()))
    merged: list[Span] = []
    for at in anchors:
        first, last = max(0, at - group.reach + 1), min(size, at + group.reach)
        if merged and first <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], last))
        else:
            merged.append((first, last))
    return merged


def _longest_first(pairs: set[tuple[int, int]], size: int) -> list[tuple[int, int]]:
    """The matches spaCy's greedy="LONGEST" keeps: longest first (earliest first among equals), each
    kept unless it overlaps one kept already."""
    taken = bytearray(size)
    kept: list[tuple[int, int]] = []
    for start, end in sorted(pairs, key=lambda pair: (pair[1] - pair[0], -pair[0]), reverse=True):
        if not any(taken[start:end]):
            kept.append((start, end))
            taken[start:end] = b"\x01" * (end - start)
    return kept


def _reach(pattern: list[dict[str, Any]]) -> int | None:
    """The most tokens a match of `pattern` can hold, or None when a repeat has no bound."""
    total = 0
    for spec in pattern:
        op = spec.get("OP")
        if op in (None, "!", "?"):
            total += 1
        elif op in ("*", "+"):
            return None
        else:
            counted = _COUNTED.fullmatch(op)
            if counted is None:
                return None
            most = counted.group(3) if counted.group(2) else counted.group(1)
            if not most:
                return None
            total += int(most)
    return total


_POST_POSITIONS: MemoKey[dict[str, dict[str, list[int]]]] = MemoKey("matcher word positions")


def post_word_positions(analysis: Analysis) -> dict[str, dict[str, list[int]]]:
    """Per attribute (LEMMA, NORM), the positions of each of the post's words in its Matcher Doc."""

    def compute() -> dict[str, dict[str, list[int]]]:
        words = post_words(analysis)
        by_lemma = positions_of(words.lemmas)
        for position, (lemma, other) in enumerate(zip(words.lemmas, words.also, strict=True)):
            if other != lemma:
                by_lemma.setdefault(other, []).append(position)
        return {"LEMMA": by_lemma, "NORM": positions_of(words.norms)}

    return analysis.memo.once(_POST_POSITIONS, compute, known_words())


def _needs(pattern: list[dict[str, Any]]) -> Need:
    """The word positions every match of `pattern` needs (not optional, not any word), with the words each
    accepts; a position matched by prefix is left out (the Matcher decides)."""
    found: list[tuple[str, frozenset[str]]] = []
    for spec in pattern:
        op = spec.get("OP")
        if op in ("?", "*") or (isinstance(op, str) and op.startswith(("{0", "{,"))):
            continue
        for attr in ("LEMMA", "NORM"):
            value = spec.get(attr)
            if isinstance(value, str):
                found.append((attr, frozenset([value])))
            elif isinstance(value, dict) and "IN" in value:
                found.append((attr, frozenset(value["IN"])))
    return tuple(found)
