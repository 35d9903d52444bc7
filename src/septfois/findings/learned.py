"""Learned rules at run time: a post's features, the model file, and scores explained word by word."""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from hashlib import sha256
from pathlib import Path

import numpy as np

from septfois.analysis.textmap import fold_text
from septfois.analysis.value import Analysis, MemoKey
from septfois.model import Post

FORMAT = 1
# The members of a model file, written in this order with a fixed date so that the same model gives
# the same bytes (zipfile would otherwise stamp each member with the current time).
META, VOCABULARY, WEIGHTS = "meta.json", "vocabulary.txt", "weights.npy"
FIXED_DATE = (1980, 1, 1, 0, 0, 0)
WEIGHT_DECIMALS = 4
CHAR_NGRAMS = (3, 4, 5)

_DIGITS = re.compile(r"\d+")
# Punctuation that carries no signal of its own; "!", "?", emoji and symbols such as € or % are kept.
_PLAIN_PUNCTUATION = frozenset(".,;:()[]{}\"'«»‹›“”‘’-–—_/\\|*…·")

# A feature of a post: its name and the positions of the tokens that produced it (none for context).
TokenFeatures = Mapping[str, tuple[int, ...]]


class ModelFileError(Exception):
    """A model file that cannot be used; the message says why."""


def _form(text: str) -> str:
    """The lowercased, accent-folded form of a token, numbers written as 0 and links as one marker."""
    lowered = text.lower()
    if lowered.startswith(("http://", "https://", "www.")):
        return "<url>"
    if len(text) > 1 and text[0] == "@":
        return "<mention>"
    return _DIGITS.sub("0", fold_text(text.replace("\u2019", "'")))


@lru_cache(maxsize=1 << 16)
def _char_grams(surface: str) -> tuple[str, ...]:
    """Character n-grams of a word inside its boundaries (`<ab`, `bru`, `ti>`); words repeat across
    posts, so each is cut once."""
    if not surface or surface[0] == "<" or not any(char.isalpha() for char in surface):
        return ()
    bounded = f"<{surface}>"
    return tuple(
        f"c:{bounded[at : at + size]}" for size in CHAR_NGRAMS for at in range(len(bounded) - size + 1)
    )


_FEATURES: MemoKey[TokenFeatures] = MemoKey("learned features")
_SCORES: MemoKey[Scores] = MemoKey("learned scores")


def token_features(analysis: Analysis) -> TokenFeatures:
    """Lemma unigrams and bigrams and character 3-5-grams of words, computed once per analysis.

    Short posts say little, so spelling matters as much as words: character n-grams inside word
    boundaries reach inflections, compounds and disguised spellings that no lemma list holds."""
    return analysis.memo.once(_FEATURES, lambda: _token_features(analysis))


def _token_features(analysis: Analysis) -> TokenFeatures:
    found: dict[str, list[int]] = {}
    previous: int | None = None
    previous_lemma = ""
    for position, token in enumerate(analysis.tokens):
        text = token.text
        if not text.strip() or all(char in _PLAIN_PUNCTUATION for char in text):
            continue
        lemma = _form(token.lemma or text)
        found.setdefault(f"w:{lemma}", []).append(position)
        if previous is not None:
            found.setdefault(f"b:{previous_lemma} {lemma}", []).extend((previous, position))
        previous, previous_lemma = position, lemma
        for gram in _char_grams(_form(text)):
            found.setdefault(gram, []).append(position)
    features = {
        name: (positions[0],) if len(positions) == 1 else tuple(dict.fromkeys(positions))
        for name, positions in found.items()
    }
    return features


_WORDS: MemoKey[int] = MemoKey("learned word count")


def analysis_word_count(analysis: Analysis) -> int:
    """`word_count` of the analysis' features, counted once however many learned rules ask."""
    return analysis.memo.once(_WORDS, lambda: word_count(token_features(analysis)))


def word_count(features: TokenFeatures) -> int:
    """How many words (tokens other than punctuation) the features came from."""
    return len(
        {position for name, positions in features.items() if name[:2] == "w:" for position in positions}
    )


def context_features(post: Post, lang: str) -> tuple[str, ...]:
    """Who posts, to whom and in which language: the labels depend on it (a brand replying...)."""
    return (f"x:account={post.account}", f"x:kind={post.kind}", f"x:lang={lang}")


@dataclass(frozen=True)
class Vector:
    """A post as a model sees it: columns present, their values, and the tokens behind each."""

    columns: np.ndarray
    values: np.ndarray
    owners: tuple[tuple[int, ...], ...]


def vectorise(features: TokenFeatures, context: Iterable[str], vocabulary: Mapping[str, int]) -> Vector:
    """Binary features known to the vocabulary, scaled to unit length so long posts weigh as short."""
    known: list[int] = []
    owners: list[tuple[int, ...]] = []
    find = vocabulary.get
    for name, positions in features.items():  # in token order: the same post gives the same sums
        column = find(name)
        if column is not None:
            known.append(column)
            owners.append(positions)
    for name in context:
        column = find(name)
        if column is not None:
            known.append(column)
            owners.append(())
    values = np.full(len(known), 1.0 / np.sqrt(len(known)) if known else 0.0, dtype=np.float64)
    return Vector(np.array(known, dtype=np.int64), values, tuple(owners))


@dataclass(frozen=True)
class Model:
    """Linear scores for several categories at once, with a sigmoid calibration per category."""

    categories: tuple[str, ...]
    vocabulary: Mapping[str, int]
    weights: np.ndarray  # (features, categories)
    intercepts: np.ndarray  # (categories,)
    scale: np.ndarray  # calibration: probability = sigmoid(scale * score + shift)
    shift: np.ndarray
    digest: str  # identifies the model's content, for caching scores on an analysis

    def column(self, category: str) -> int:
        return self.categories.index(category)


@dataclass(frozen=True)
class Scores:
    """A post's raw scores and calibrated probabilities for every category of a model."""

    model: Model
    vector: Vector
    raw: np.ndarray
    probabilities: np.ndarray

    def contributions(self, category: str) -> np.ndarray:
        """Each present feature's exact part of the raw score: they add up to it with the intercept."""
        return self.vector.values * self.model.weights[self.vector.columns, self.model.column(category)]

    def word_weights(self, category: str) -> dict[int, float]:
        """Token position -> its share of the score (a feature's part split among its tokens)."""
        weights: dict[int, float] = {}
        for part, owners in zip(self.contributions(category), self.vector.owners, strict=True):
            for position in owners:
                weights[position] = weights.get(position, 0.0) + float(part) / len(owners)
        return weights


def score(model: Model, analysis: Analysis, post: Post) -> Scores:
    """Every category scored in one pass, once per post and model (cached on the analysis)."""

    def compute() -> Scores:
        vector = vectorise(token_features(analysis), context_features(post, analysis.lang), model.vocabulary)
        raw = vector.values @ model.weights[vector.columns] + model.intercepts
        probabilities = 1.0 / (1.0 + np.exp(-(model.scale * raw + model.shift)))
        return Scores(model, vector, raw, probabilities)

    return analysis.memo.once(_SCORES, compute, (model.digest, post.account, post.kind))


def save_model(
    path: Path,
    *,
    categories: Sequence[str],
    features: Sequence[str],
    weights: np.ndarray,
    intercepts: Sequence[float],
    scale: Sequence[float],
    shift: Sequence[float],
    about: Mapping[str, object] | None = None,
) -> None:
    """Write a model file deterministically: sorted features, rounded weights, fixed member dates.

    Features whose weights all round to zero are left out: they would change no score."""
    rounded = np.round(np.asarray(weights, dtype=np.float64), WEIGHT_DECIMALS).astype("<f4")
    keep = sorted(index for index in range(len(features)) if np.any(rounded[index] != 0.0))
    keep.sort(key=lambda index: features[index])
    names = [features[index] for index in keep]
    if any("\n" in name for name in names):
        raise ValueError("a feature name holds a line break")
    matrix = np.ascontiguousarray(rounded[keep] if keep else np.zeros((0, len(categories)), "<f4"))
    meta = {
        "format": FORMAT,
        "categories": list(categories),
        "intercepts": [round(float(value), 6) for value in intercepts],
        "scale": [round(float(value), 6) for value in scale],
        "shift": [round(float(value), 6) for value in shift],
        "features": {"char_ngrams": list(CHAR_NGRAMS)},
        "about": dict(about or {}),
    }
    array = io.BytesIO()
    np.save(array, matrix, allow_pickle=False)
    members = [
        (META, json.dumps(meta, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")),
        (VOCABULARY, "".join(f"{name}\n" for name in names).encode("utf-8")),
        (WEIGHTS, array.getvalue()),
    ]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=FIXED_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data, compresslevel=9)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buffer.getvalue())


def load_model(path: Path) -> Model:
    """Read a model file; anything missing or inconsistent is a ModelFileError saying what."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ModelFileError(f"cannot read it ({error.strerror or error})") from None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            meta = json.loads(archive.read(META).decode("utf-8"))
            names = archive.read(VOCABULARY).decode("utf-8").splitlines()
            weights = np.load(io.BytesIO(archive.read(WEIGHTS)), allow_pickle=False)
    except (zipfile.BadZipFile, KeyError, ValueError, UnicodeDecodeError, EOFError, OSError) as error:
        raise ModelFileError(f"not a septfois model file ({error})") from None
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise ModelFileError(f"unknown model format (expected format {FORMAT})")
    try:
        categories = tuple(str(name) for name in meta["categories"])
        intercepts, scale, shift = (
            np.array(meta[key], dtype=np.float64) for key in ("intercepts", "scale", "shift")
        )
    except (KeyError, TypeError, ValueError) as error:
        raise ModelFileError(f"incomplete model description ({error})") from None
    shape = (len(names), len(categories))
    if weights.shape != shape or any(len(part) != len(categories) for part in (intercepts, scale, shift)):
        raise ModelFileError(
            f"weights of shape {weights.shape} do not fit {shape[0]} features × {shape[1]} categories"
        )
    vocabulary = {name: column for column, name in enumerate(names)}
    return Model(
        categories,
        vocabulary,
        weights.astype(np.float64),
        intercepts,
        scale,
        shift,
        sha256(data).hexdigest()[:16],
    )
