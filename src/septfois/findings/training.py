"""Training learned rules: labelled posts, writer-grouped cross-validation, calibration and thresholds.

Needs the optional `train` extra (scikit-learn); the checker itself reads models with numpy alone."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.linear_model import LogisticRegression
from threadpoolctl import threadpool_limits

from septfois.analysis import nlp
from septfois.config import Config
from septfois.findings import learned
from septfois.model import CATEGORIES, Post

# Length is counted exactly by the length rules and schedule is the engine's: no model for them.
LEARNED_CATEGORIES = tuple(name for name in CATEGORIES if name not in ("length", "schedule"))
C = 10.0  # inverse regularisation: a usual value for unit-length text features, fixed before measuring
MIN_POSTS = 2  # a feature seen in fewer training posts says nothing beyond that post
# What the model adds where the rules found nothing must be right this often (judged on out-of-fold
# scores), ...
TARGET_PRECISION = 0.90
# ... may warn on at most this share of the safe posts (about one in 200: the issue allows 5 % in all,
# and the rules take most of it), ...
SAFE_SHARE = 0.005
# ... and must find at least this many posts the rules miss (fewer is chance, not a second opinion).
MIN_ADDED = 2
GRID = tuple(round(0.05 + step * 0.01, 2) for step in range(91))  # candidate thresholds 0.05 to 0.95
_WRITER = re.compile(r"^[a-z0-9]+-(fr|en)-([a-z])-\d+$")


@dataclass(frozen=True)
class Labelled:
    """A labelled post, its writer group (cross-validation never splits a writer) and its labels."""

    id: str
    group: str
    lang: str
    labels: frozenset[str]
    post: Post


def writer_of(ident: str, fallback: str) -> str:
    """`d2-fr-a-001` -> `fr-a`: such ids (posts_dev2) name their writer; other files are one writer each."""
    found = _WRITER.match(ident)
    return f"{found.group(1)}-{found.group(2)}" if found else fallback


def read_line(data: object, where: str, group: str | None = None, fallback: str = "") -> Labelled:
    """A labelled post from one JSON object (id, text, lang, labels, optional platform, kind, account);
    its writer is `group`, else the one its id names, else `fallback`."""
    try:
        assert isinstance(data, dict)
        ident, text, lang, labels = str(data["id"]), data["text"], data["lang"], data["labels"]
    except (AssertionError, KeyError, TypeError) as error:
        raise ValueError(f"{where}: not a labelled post ({error!r})") from None
    platforms = (data["platform"],) if "platform" in data else ()
    post = Post(
        text=text,
        lang=lang,
        platforms=platforms,
        account=data.get("account", "personal"),
        kind=data.get("kind", "post"),
    )
    return Labelled(ident, group or writer_of(ident, fallback), lang, frozenset(labels), post)


def read_corpus(path: Path, group: str | None = None) -> list[Labelled]:
    """Labelled posts of a JSON Lines file (id, text, lang, labels, optional platform, kind, account)."""
    items = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as error:
            raise ValueError(f"{path}:{number}: not a labelled post ({error})") from None
        items.append(read_line(data, f"{path}:{number}", group, path.stem))
    return items


@dataclass(frozen=True)
class Dataset:
    """Labelled posts with their features, computed by the same code the checker runs."""

    items: tuple[Labelled, ...]
    features: tuple[learned.TokenFeatures, ...]
    contexts: tuple[tuple[str, ...], ...]

    @property
    def groups(self) -> np.ndarray:
        return np.array([item.group for item in self.items])

    @property
    def langs(self) -> np.ndarray:
        return np.array([item.lang for item in self.items])

    @property
    def short(self) -> np.ndarray:
        """Posts the learned rules leave alone: fewer words than the rule type's minimum."""
        from septfois.findings.ruletypes.classifier import MIN_WORDS

        return np.array([learned.word_count(features) < MIN_WORDS for features in self.features])

    def truth(self, categories: Sequence[str]) -> np.ndarray:
        return np.array([[name in item.labels for name in categories] for item in self.items], dtype=bool)


def featurise(items: Sequence[Labelled]) -> Dataset:
    config = Config()
    analyses = nlp.analyse_many(
        [(item.post.text, item.lang) for item in items],
        languages=config.languages,
        default=config.default_language,
    )
    return Dataset(
        tuple(items),
        tuple(learned.token_features(analysis) for analysis in analyses),
        tuple(
            learned.context_features(item.post, analysis.lang)
            for item, analysis in zip(items, analyses, strict=True)
        ),
    )


def vocabulary(data: Dataset, rows: Sequence[int]) -> list[str]:
    """Features present in at least MIN_POSTS of these posts, sorted (a column is its rank)."""
    counts: dict[str, int] = {}
    for row in rows:
        for name in (*data.features[row], *data.contexts[row]):
            counts[name] = counts.get(name, 0) + 1
    return sorted(name for name, count in counts.items() if count >= MIN_POSTS)


def design(data: Dataset, rows: Sequence[int], names: Sequence[str]) -> sparse.csr_matrix:
    """The rows as the checker will see them (learned.vectorise), one post a row."""
    columns = {name: column for column, name in enumerate(names)}
    indptr, indices, values = [0], [], []
    for row in rows:
        vector = learned.vectorise(data.features[row], data.contexts[row], columns)
        indices.extend(vector.columns.tolist())
        values.extend(vector.values.tolist())
        indptr.append(len(indices))
    return sparse.csr_matrix((values, indices, indptr), shape=(len(rows), len(names)), dtype=np.float64)


@dataclass(frozen=True)
class Linear:
    names: list[str]
    weights: np.ndarray  # (features, categories)
    intercepts: np.ndarray

    def raw(self, data: Dataset, rows: Sequence[int]) -> np.ndarray:
        return design(data, rows, self.names) @ self.weights + self.intercepts


@dataclass(frozen=True)
class Extra:
    """Rows added to the training rows of every fit (never scored, never calibrated or thresholded on),
    each with this sample weight (the corpus rows weigh 1)."""

    rows: tuple[int, ...] = ()
    weight: float = 1.0


NO_EXTRA = Extra()


def fit(data: Dataset, rows: Sequence[int], categories: Sequence[str], extra: Extra = NO_EXTRA) -> Linear:
    """One L2 logistic regression per category (classes balanced: positives are few), fixed seed;
    `extra` rows are trained on as well, at their own weight."""
    rows = [*rows, *extra.rows]
    names = vocabulary(data, rows)
    matrix = design(data, rows, names)
    weights = None
    if extra.rows:
        weights = np.ones(len(rows))
        weights[len(rows) - len(extra.rows) :] = extra.weight
    with threadpool_limits(1):  # threads only spin on problems this small (ten times slower)
        return _fit(matrix, names, data.truth(categories)[rows], categories, weights)


def _fit(
    matrix: sparse.csr_matrix,
    names: list[str],
    truth: np.ndarray,
    categories: Sequence[str],
    sample_weight: np.ndarray | None = None,
) -> Linear:
    weights = np.zeros((len(names), len(categories)))
    intercepts = np.zeros(len(categories))
    for column in range(len(categories)):
        target = truth[:, column]
        if target.all() or not target.any():
            intercepts[column] = 20.0 if target.all() else -20.0  # nothing to learn from one class
            continue
        model = LogisticRegression(
            C=C, class_weight="balanced", solver="lbfgs", max_iter=5000, tol=1e-6, random_state=0
        )
        model.fit(matrix, target, sample_weight=sample_weight)
        weights[:, column] = model.coef_[0]
        intercepts[column] = model.intercept_[0]
    return Linear(names, weights, intercepts)


def out_of_fold(
    data: Dataset, rows: Sequence[int], categories: Sequence[str], extra: Extra = NO_EXTRA
) -> np.ndarray:
    """Raw scores of each post from a model trained without its writer (rows in the given order;
    `extra` rows join every fold's training rows and are never scored)."""
    rows = list(rows)
    groups = data.groups[rows]
    raw = np.zeros((len(rows), len(categories)))
    for group in sorted(set(groups.tolist())):
        held = [at for at, name in enumerate(groups) if name == group]
        train = [row for row, name in zip(rows, groups, strict=True) if name != group]
        raw[held] = fit(data, train, categories, extra).raw(data, [rows[at] for at in held])
    return raw


def calibrate(raw: np.ndarray, truth: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Platt scaling per category on out-of-fold scores: probability = sigmoid(scale * raw + shift)."""
    scale, shift = np.ones(raw.shape[1]), np.zeros(raw.shape[1])
    for column in range(raw.shape[1]):
        target = truth[:, column]
        if target.all() or not target.any():
            continue
        platt = LogisticRegression(C=1e4, solver="lbfgs", max_iter=1000, random_state=0)
        platt.fit(raw[:, [column]], target)
        scale[column], shift[column] = platt.coef_[0][0], platt.intercept_[0]
    return scale, shift


def probabilities(raw: np.ndarray, scale: np.ndarray, shift: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-(scale * raw + shift)))


def precision_recall(predicted: np.ndarray, truth: np.ndarray) -> tuple[float | None, float | None]:
    tp = int((predicted & truth).sum())
    flagged, positives = int(predicted.sum()), int(truth.sum())
    return (tp / flagged if flagged else None), (tp / positives if positives else None)


def combine(rules: np.ndarray, model: np.ndarray) -> np.ndarray:
    """What the checker reports: the rules' warnings, and the model's where no rule spoke (rules holds
    levels: 0 no finding in the category, 1 notes only, 2 a warning or an error; see run_rules)."""
    return (rules == 2) | ((rules == 0) & model)


def choose_threshold(
    probability: np.ndarray,
    truth: np.ndarray,
    rules: np.ndarray | None,
    safe: np.ndarray | None = None,
    target: float = TARGET_PRECISION,
) -> float | None:
    """The threshold from which, at it and every higher one, what the model adds is precise: of
    the posts the rules say nothing about in the category (rules 0; all posts when `rules` is None),
    those it flags are at least `target` right and hold at most SAFE_SHARE of the `safe` posts (no label
    at all), with at least MIN_ADDED right at the threshold. None when no threshold does: the model then
    adds nothing worth a rule.

    Judged on what the model adds, not on rules and model together, the threshold moves little when the
    rules change: a better rule takes posts away from the model, it does not make the model noisier."""
    eligible = np.ones(truth.shape, dtype=bool) if rules is None else rules == 0
    safe = np.zeros(truth.shape, dtype=bool) if safe is None else safe
    allowed_safe = int(SAFE_SHARE * int(safe.sum()))
    chosen, most = None, 0
    # From the highest threshold down, while every threshold so far holds: the stretch that holds ends
    # where recall is highest, and one lucky threshold below a noisy stretch is never taken. Of the
    # thresholds that find the same posts, the highest: it leaves the widest margin to unseen posts.
    for limit in reversed(GRID):
        added = eligible & (probability >= limit)
        right = int((added & truth).sum())
        if right < MIN_ADDED:
            continue  # too few to judge yet: a higher threshold neither holds nor fails
        if right / int(added.sum()) < target or int((added & safe).sum()) > allowed_safe:
            break
        if right > most:
            chosen, most = limit, right
    return chosen


@dataclass(frozen=True)
class Thresholds:
    """Calibration and per-language thresholds for each category, chosen on out-of-fold scores."""

    scale: np.ndarray
    shift: np.ndarray
    limits: dict[str, dict[str, float | None]]


def select(
    data: Dataset,
    rows: Sequence[int],
    raw: np.ndarray,
    categories: Sequence[str],
    rules: np.ndarray | None,
) -> Thresholds:
    """Calibrate on out-of-fold scores `raw` of `rows`, then choose a threshold per category and
    language (`rules`: what the rules flag on those rows, or None to judge the model alone)."""
    rows = list(rows)
    truth = data.truth(categories)[rows]
    scale, shift = calibrate(raw, truth)
    probability = probabilities(raw, scale, shift)
    probability[data.short[rows]] = 0.0  # the rules see these posts alone
    langs = data.langs[rows]
    safe = np.array([not data.items[row].labels for row in rows])
    limits: dict[str, dict[str, float | None]] = {}
    for column, category in enumerate(categories):
        limits[category] = {}
        for lang in sorted(set(langs.tolist())):
            mask = langs == lang
            limits[category][lang] = choose_threshold(
                probability[mask, column],
                truth[mask, column],
                None if rules is None else rules[mask, column],
                safe[mask],
            )
    return Thresholds(scale, shift, limits)


def predict(
    probability: np.ndarray,
    langs: np.ndarray,
    categories: Sequence[str],
    chosen: Thresholds,
    short: np.ndarray | None = None,
) -> np.ndarray:
    """What the learned rules flag: probability at or over the threshold of the post's language
    (never on `short` posts)."""
    flagged = np.zeros(probability.shape, dtype=bool)
    for column, category in enumerate(categories):
        for lang, limit in chosen.limits[category].items():
            if limit is not None:
                mask = langs == lang
                flagged[mask, column] = probability[mask, column] >= limit
    if short is not None:
        flagged[short] = False
    return flagged


def train(
    data: Dataset,
    categories: Sequence[str] = LEARNED_CATEGORIES,
    rules: np.ndarray | None = None,
    extra: Extra = NO_EXTRA,
) -> tuple[Linear, Thresholds]:
    """The model to ship: fitted on every post; calibrated and thresholded on writer-grouped
    out-of-fold scores of the same posts (`extra` rows: trained on only; `rules` then covers the
    other rows alone)."""
    skipped = set(extra.rows)
    rows = [row for row in range(len(data.items)) if row not in skipped]
    chosen = select(data, rows, out_of_fold(data, rows, categories, extra), categories, rules)
    return fit(data, rows, categories, extra), chosen


EXAMPLES_GROUP = "examples"
# Posts written for training (not from the corpus), labelled by LABELS.md: trained on like the examples.
WRITTEN_POSTS = Path(__file__).resolve().parents[3] / "scripts" / "training_posts.jsonl"
# The weight of a pack example against a corpus post in training. Measured on writers c and d held out
# (docs/learned.md): 1.0 and 0.3 add the same posts there, and 1.0 warns fewer safe posts on all eight.
EXAMPLES_WEIGHT = 1.0


def extra_training(
    items: Sequence[Labelled], categories: Sequence[str], weight: float, written: Path | None = WRITTEN_POSTS
) -> tuple[list[Labelled], Extra, str]:
    """The posts trained on besides the corpus `items` (the packs' rule examples and the written posts), to
    be appended after them, with the Extra that names their rows, and one line saying what they are."""
    if not weight:
        return [], NO_EXTRA, "no examples or written posts in training"
    examples, counts = pack_examples(categories, (item.post.text for item in items))
    if written is not None and written.exists():
        examples += read_corpus(written, EXAMPLES_GROUP)
    extra = Extra(tuple(range(len(items), len(items) + len(examples))), weight)
    about = (
        f"Training rows of every fit also hold {counts['kept']} rule examples of the packs"
        f" ({counts['kept positive']} with a label) and {len(examples) - counts['kept']} written posts,"
        f" at sample weight {weight:g}; left out: {counts['language unknown']} examples of unknown"
        f" language, {counts['in corpus']} whose text is a corpus post,"
        f" {counts['other category'] + counts['learned rule']} of length, schedule or learned rules."
    )
    return examples, extra, about


def pack_examples(
    categories: Sequence[str] = LEARNED_CATEGORIES,
    exclude_texts: Iterable[str] = (),
    packs: Sequence[Path] | None = None,
) -> tuple[list[Labelled], dict[str, int]]:
    """The must_flag and must_pass examples of the rules of `packs` (default: the built-in packs) as
    labelled posts (group EXAMPLES_GROUP): a must_flag example is a positive for its rule's category
    alone, a must_pass example a negative for every category. Left out: rules of a category not in
    `categories`, the learned (second-opinion) rules, examples whose text is in `exclude_texts` (the
    corpus) and those whose language is not known (no `lang` key, not exactly one rule language, and
    detection unsure). The same text in the same context from several rules is one post with the union
    of its positives. Also returns counts of what was read and left out."""
    from septfois.findings.packs import builtin_pack_paths, load_pack

    config = Config()
    excluded = {text.strip() for text in exclude_texts}
    counts = dict.fromkeys(
        (
            "read", "other category", "learned rule", "in corpus", "language unknown", "language mixed",
            "lang key", "rule language", "detected", "duplicates merged", "flag and pass conflicts",
        ),
        0,
    )  # fmt: skip
    merged: dict[tuple[str, str, str, str], tuple[set[str], bool]] = {}  # -> positives, seen as pass
    for path in builtin_pack_paths() if packs is None else packs:
        for rule in load_pack(path).rules:
            for flag, examples in ((True, rule.must_flag), (False, rule.must_pass)):
                for example in examples:
                    counts["read"] += 1
                    post = example.post
                    if rule.second_opinion:
                        counts["learned rule"] += 1
                        continue
                    if rule.category not in categories:
                        counts["other category"] += 1
                        continue
                    if post.text.strip() in excluded:
                        counts["in corpus"] += 1
                        continue
                    if post.lang:
                        lang, how = post.lang, "lang key"
                    elif len(rule.languages) == 1:
                        lang, how = rule.languages[0], "rule language"
                    else:
                        found = nlp.detect_languages(post.text, config.languages, "?")
                        if found == ("?",):
                            counts["language unknown"] += 1
                            continue
                        lang, how = found[0], "detected"
                        counts["language mixed"] += len(found) > 1
                    counts[how] += 1
                    key = (post.text, lang, post.account, post.kind)
                    positives, passed = merged.get(key, (set(), False))
                    if key in merged:
                        counts["duplicates merged"] += 1
                    if flag:
                        positives.add(rule.category)
                    merged[key] = (positives, passed or not flag)
    items = []
    for number, ((text, lang, account, kind), (positives, passed)) in enumerate(merged.items()):
        counts["flag and pass conflicts"] += bool(positives) and passed
        post = Post(text=text, lang=lang, account=account, kind=kind)
        items.append(Labelled(f"example-{number}", EXAMPLES_GROUP, lang, frozenset(positives), post))
    counts["kept"] = len(items)
    counts["kept positive"] = sum(bool(item.labels) for item in items)
    return items, counts


@dataclass(frozen=True)
class RuleExamples:
    """A learned rule of a pack as training sees it: its category, languages and own examples."""

    id: str
    category: str
    languages: tuple[str, ...]  # empty: every language
    must_flag: tuple[Labelled, ...]
    must_pass: tuple[Labelled, ...]


def example_probabilities(rules: Sequence[RuleExamples], model: learned.Model) -> dict[str, float]:
    """Every example's probability for its rule's category as the checker computes it from the saved
    model file (weights rounded as stored), 0 for a post too short for the learned rules."""
    from septfois.findings.ruletypes.classifier import MIN_WORDS

    examples = [(rule, example) for rule in rules for example in (*rule.must_flag, *rule.must_pass)]
    config = Config()
    analyses = nlp.analyse_many(
        [(example.post.text, example.lang) for _, example in examples],
        languages=config.languages,
        default=config.default_language,
    )
    found = {}
    for (rule, example), analysis in zip(examples, analyses, strict=True):
        short = learned.word_count(learned.token_features(analysis)) < MIN_WORDS
        scores = learned.score(model, analysis, example.post)
        found[example.id] = 0.0 if short else float(scores.probabilities[model.column(rule.category)])
    return found


def fit_to_examples(
    rule: RuleExamples, limits: dict[str, float | None], probability: dict[str, float]
) -> tuple[dict[str, float | None], list[str]]:
    """The rule's thresholds raised just above its must_pass examples, and what still fails: a must_flag
    example under its language's threshold (or in a language the rule has none for)."""
    fitted = {lang: limit for lang, limit in limits.items() if not rule.languages or lang in rule.languages}
    for example in rule.must_pass:
        limit = fitted.get(example.lang)
        if limit is not None and probability[example.id] >= limit:
            raised = math.floor(probability[example.id] * 100 + 1) / 100
            fitted[example.lang] = raised if raised < 1.0 else None  # a probability, never 1
    failing = []
    for example in rule.must_flag:
        limit = fitted.get(example.lang)
        if limit is None or probability[example.id] < limit:
            failing.append(
                f"must_flag {example.post.text!r} ({example.lang}) scores {probability[example.id]:.2f},"
                f" threshold {'none' if limit is None else f'{limit:.2f}'}"
            )
    return fitted, failing


def save(
    path: Path, linear: Linear, chosen: Thresholds, categories: Sequence[str], about: Mapping[str, object]
) -> None:
    learned.save_model(
        path,
        categories=categories,
        features=linear.names,
        weights=linear.weights,
        intercepts=linear.intercepts,
        scale=chosen.scale,
        shift=chosen.shift,
        about=about,
    )


def flagged_by_rules(
    results: Iterable[Mapping[str, object]], ids: Sequence[str], categories: Sequence[str]
) -> np.ndarray:
    """Per post and category, from `septfois check --jsonl` result lines: 2 when a finding is at
    warning or above, 1 when there are only notes (info), 0 when nothing was found."""
    found: dict[str, dict[str, int]] = {}
    for result in results:
        findings = result.get("findings", [])
        assert isinstance(findings, list)
        levels = found.setdefault(str(result["id"]), {})
        for finding in findings:
            level = 2 if finding["level"] in ("warning", "error") else 1
            levels[finding["category"]] = max(level, levels.get(finding["category"], 0))
    return np.array(
        [[found.get(ident, {}).get(name, 0) for name in categories] for ident in ids], dtype=np.int8
    )


def classifier_rule_ids() -> list[str]:
    """The second-opinion (learned) rules of the built-in packs, to switch off when measuring the rules
    alone (read from the TOML, so that a model file being retrained need not load)."""
    from septfois.findings.packs import builtin_pack_paths, tomllib
    from septfois.findings.ruletypes import is_second_opinion

    found = []
    for path in builtin_pack_paths():
        rules = tomllib.loads(path.read_text(encoding="utf-8")).get("rule", [])
        found.extend(str(rule["id"]) for rule in rules if is_second_opinion(str(rule.get("type"))))
    return found


def rules_results(corpus: Path, source: Path, disabled: Sequence[str]) -> list[dict[str, object]]:
    """`septfois check --jsonl corpus` with the rules in `disabled` off, run from the checkout `source`
    (its src/ first on the path), as result objects."""
    import os
    import subprocess
    import sys

    command = [
        sys.executable,
        "-m",
        "septfois",
        "check",
        "--jsonl",
        str(corpus),
        "--no-daemon",
        "--fail-on",
        "never",
    ]
    for rule_id in disabled:
        command += ["--disable", rule_id]
    env = {**os.environ, "PYTHONPATH": str(source / "src"), "SEPTFOIS_NO_DAEMON": "1"}
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False, cwd=source)
    if done.returncode not in (0, 1):
        raise RuntimeError(
            f"septfois check --jsonl {corpus} failed ({done.returncode}): {done.stderr.strip()}"
        )
    return [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
