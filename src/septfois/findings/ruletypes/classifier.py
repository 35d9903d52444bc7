"""The `classifier` rule type: a learned model's calibrated probability for a category over a threshold."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from septfois import schema
from septfois.findings import learned
from septfois.findings.ruletypes.base import Detect, Hit, Subject
from septfois.model import LANGUAGES

# How many of the words that weighed most a message quotes.
TOP_WORDS = 3
# Below this many words a post gives the model little but its prior ("Pas fini" is not a remark on
# identity): the learned rules leave such posts to the other rules unless the rule says otherwise.
MIN_WORDS = 3

# Loaded models by file (and its modification time and size): the rules of a pack share one model,
# so a post's features are scored for all of them in one pass.
_models: dict[str, tuple[int, int, learned.Model]] = {}
_models_lock = threading.Lock()


def model_at(file: Path) -> learned.Model:
    """The model in `file`, read once while the file is unchanged; ModelFileError when unusable."""
    try:
        stat = file.stat()
    except OSError as error:
        raise learned.ModelFileError(f"cannot read it ({error.strerror or error})") from None
    key = str(file.resolve())
    with _models_lock:
        cached = _models.get(key)
    if cached is not None and cached[:2] == (stat.st_mtime_ns, stat.st_size):
        return cached[2]
    model = learned.load_model(file)
    with _models_lock:
        _models[key] = (stat.st_mtime_ns, stat.st_size, model)
    return model


def thresholds(value: Any, path: schema.Path) -> dict[str, float]:
    """One probability for every language, or a table of them by language (a language left out of
    the table is never flagged by the rule)."""
    if isinstance(value, Mapping):
        schema.only_keys(value, LANGUAGES, path)
        found = {lang: schema.number(item, (*path, lang)) for lang, item in value.items()}
        if not found:
            raise schema.Invalid(path, "expected at least one language")
    else:
        found = dict.fromkeys(LANGUAGES, schema.number(value, path))
    for lang, number in found.items():
        if not 0.0 < number < 1.0:
            raise schema.Invalid(
                path if not isinstance(value, Mapping) else (*path, lang),
                "expected a probability between 0 and 1",
            )
    return found


def strongest_words(scores: learned.Scores, label: str, subject: Subject) -> tuple[int, int, str]:
    """The span of the token that weighed most for `label`, and the top words, most weight first."""
    analysis = subject.analysis
    tokens = analysis.tokens
    ranked = sorted(
        ((weight, position) for position, weight in scores.word_weights(label).items() if weight > 0),
        key=lambda item: (-item[0], item[1]),
    )
    words: list[str] = []
    for _, position in ranked:
        word = tokens[position].text
        if word.lower() not in (seen.lower() for seen in words):
            words.append(word)
        if len(words) == TOP_WORDS:
            break
    if not ranked:  # the post as a whole, not any word of it (its context, say)
        return 0, len(analysis.text), ""
    best = tokens[ranked[0][1]]
    return best.start, best.end, ", ".join(words)


class ClassifierType:
    name = "classifier"
    keys = frozenset({"model", "label", "threshold", "min_words"})
    placeholders = frozenset({"match", "words", "probability"})
    reads_files = True  # the model file is named relative to the pack's folder
    # A model reads the whole post and no word of it for sure: it speaks only where the rules said nothing.
    second_opinion = True

    def compile(self, options: Mapping[str, Any], path: schema.Path, folder: Path | None = None) -> Detect:
        name = schema.string(schema.required(options, "model", path), (*path, "model"))
        file = (folder or Path.cwd()) / name
        try:
            model = model_at(file)
        except learned.ModelFileError as error:
            raise schema.Invalid((*path, "model"), f"model file {file}: {error}") from None
        label = schema.string(options.get("label", options.get("category", "")), (*path, "label"))
        if label not in model.categories:
            raise schema.Invalid(
                (*path, "label" if "label" in options else "category"),
                f"model file {file} has no category {label!r} (it has: {', '.join(model.categories)})",
            )
        limits = thresholds(schema.required(options, "threshold", path), (*path, "threshold"))
        column = model.column(label)
        min_words = schema.integer(options.get("min_words", MIN_WORDS), (*path, "min_words"))

        def detect(subject: Subject) -> Iterable[Hit]:
            limit = limits.get(subject.analysis.lang)
            if limit is None:
                return []
            if learned.analysis_word_count(subject.analysis) < min_words:
                return []
            scores = learned.score(model, subject.analysis, subject.post)
            probability = float(scores.probabilities[column])
            if probability < limit:
                return []
            start, end, words = strongest_words(scores, label, subject)
            return [Hit(start, end, {"words": words, "probability": f"{probability:.2f}"})]

        return detect
