"""Measure the rules, the learned model and both together on writers neither was tuned on; prints markdown.

    PYTHONPATH=src python scripts/evaluate_unseen.py [--corpus ../shared/corpus]

- Rules: `septfois check --jsonl` with the learned (classifier) rules off, findings at warning or above.
- Model: cross-validation grouped by writer on posts_dev2 (8 writers: language and writer letter). For
  each held-out writer the model is trained on the seven others; its calibration and thresholds are
  chosen on the out-of-fold scores of those seven alone (nested: the held-out writer is never seen).
- Combined: what the checker reports: the rules' warnings, and the model's in a category where no rule
  found anything (not even a note); thresholds chosen for what the model adds there (at least 90 %
  right, at most one safe post in 200; see training.choose_threshold).
- Verdict: per category and language on writers c and d, whether rules plus model beat the rules alone
  (higher F1) without warning on more than 0.5 % more of the safe posts: the learned rules ship only
  where it holds (rules/learned.toml, its `languages` key).
- `--examples WEIGHT`: the must_flag / must_pass examples of the built-in packs' rules (not the learned
  rules', nor those of length or schedule) and the posts written for training (scripts/
  training_posts.jsonl) join the training rows of every fit, inner folds included, at sample weight
  WEIGHT; they are never scored, calibrated or thresholded on (training.extra_training).
- The headline table is on writers c and d, held out from the rules' tuning as well; posts_dev.jsonl
  is measured as an unseen writer for a model trained on posts_dev2 alone (the rules were written on it).
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from septfois.findings import training  # noqa: E402

HELD_OUT_FOR_RULES = ("fr-c", "fr-d", "en-c", "en-d")


def nested_cv(
    data: training.Dataset,
    rows: list[int],
    rules: np.ndarray,
    categories: tuple[str, ...],
    extra: training.Extra = training.NO_EXTRA,
) -> tuple[np.ndarray, np.ndarray]:
    """Out-of-fold (model flags, raw scores) for `rows`, each writer predicted by a model trained,
    calibrated and thresholded without it."""
    groups = data.groups[rows]
    flagged = np.zeros((len(rows), len(categories)), dtype=bool)
    raw = np.zeros((len(rows), len(categories)))
    for group in sorted(set(groups.tolist())):
        held = [at for at, name in enumerate(groups) if name == group]
        kept = [at for at, name in enumerate(groups) if name != group]
        train_rows = [rows[at] for at in kept]
        inner = training.out_of_fold(data, train_rows, categories, extra)
        chosen = training.select(data, train_rows, inner, categories, rules[kept])
        scores = training.fit(data, train_rows, categories, extra).raw(data, [rows[at] for at in held])
        raw[held] = scores
        probability = training.probabilities(scores, chosen.scale, chosen.shift)
        held_rows = [rows[at] for at in held]
        flagged[held] = training.predict(
            probability, data.langs[held_rows], categories, chosen, data.short[held_rows]
        )
        print(f"  held out {group}", file=sys.stderr)
    return flagged, raw


def f1(predicted: np.ndarray, truth: np.ndarray) -> float:
    precision, recall = training.precision_recall(predicted, truth)
    return 2 * precision * recall / (precision + recall) if precision and recall else 0.0


SAFE_RISE = 0.005  # the most a learned rule may add to the share of safe posts with a warning


def verdicts(
    truth: np.ndarray,
    langs: np.ndarray,
    rules: np.ndarray,
    model: np.ndarray,
    combined: np.ndarray,
    categories: tuple[str, ...],
) -> list[str]:
    """Per category and language: F1 of the rules and of rules plus model, the safe posts the model's
    findings add a warning to (share of all safe posts), and whether the learned rule earns its place."""
    safe = ~truth.any(axis=1)
    warned_by_rules = (rules == 2).any(axis=1)
    lines = [
        "### Does the learned rule earn its place? (writers c and d)",
        "",
        "| category | lang | rules F1 | combined F1 | safe posts it adds a warning to | verdict |",
        "|---|---|---|---|---|---|",
    ]
    for column, category in enumerate(categories):
        for lang in ("fr", "en"):
            mask = langs == lang
            if not truth[mask, column].any():
                continue
            before = f1(rules[mask, column] == 2, truth[mask, column])
            after = f1(combined[mask, column], truth[mask, column])
            added = int((mask & safe & ~warned_by_rules & model[:, column] & (rules[:, column] == 0)).sum())
            rise = added / max(int(safe.sum()), 1)
            earns = after > before and rise <= SAFE_RISE
            verdict = "ship" if earns else ("no gain" if after <= before else "too many safe posts")
            lines.append(
                f"| {category} | {lang} | {before:.2f} | {after:.2f} | {added} ({rise:.1%}) | {verdict} |"
            )
    return [*lines, ""]


def show(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def table(
    title: str,
    truth: np.ndarray,
    langs: np.ndarray,
    systems: dict[str, np.ndarray],
    categories: tuple[str, ...],
) -> list[str]:
    names = list(systems)
    head = "| category | lang | n | " + " | ".join(f"{name} P | {name} R" for name in names) + " |"
    lines = [f"### {title}", "", head, "|" + "---|" * (3 + 2 * len(names))]
    for column, category in enumerate(categories):
        for lang in ("fr", "en"):
            mask = langs == lang
            positives = int(truth[mask, column].sum())
            if not positives:
                continue
            cells = []
            for name in names:
                precision, recall = training.precision_recall(
                    systems[name][mask, column], truth[mask, column]
                )
                cells += [show(precision), show(recall)]
            lines.append(f"| {category} | {lang} | {positives} | " + " | ".join(cells) + " |")
    safe = ~truth.any(axis=1)
    rates = []
    for name in names:
        warned = systems[name][safe].any(axis=1)
        rates.append(f"{name} {warned.sum()}/{safe.sum()} ({warned.mean():.0%})" if safe.any() else name)
    lines += ["", "Safe posts with a warning: " + ", ".join(rates) + ".", ""]
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpus")
    parser.add_argument(
        "--examples",
        type=float,
        default=training.EXAMPLES_WEIGHT,
        metavar="WEIGHT",
        help="weight of the rule examples and written posts in training (default: %(default)s; 0: none)",
    )
    args = parser.parse_args(argv)
    dev2_path, dev_path = args.corpus / "posts_dev2.jsonl", args.corpus / "posts_dev.jsonl"
    categories = training.LEARNED_CATEGORIES
    disabled = training.classifier_rule_ids()
    print("rules: septfois check --jsonl ...", file=sys.stderr)
    items = training.read_corpus(dev2_path) + training.read_corpus(dev_path, group="dev")
    ids = [item.id for item in items]
    results = training.rules_results(dev2_path, REPO, disabled) + training.rules_results(
        dev_path, REPO, disabled
    )
    rules = training.flagged_by_rules(results, ids, categories)
    examples, extra, about = training.extra_training(items, categories, args.examples)
    items = items + examples
    about_examples = [about, ""]
    print("features ...", file=sys.stderr)
    data = training.featurise(items)
    truth, langs, groups = data.truth(categories), data.langs, data.groups
    dev2 = [row for row, item in enumerate(items) if item.group not in ("dev", training.EXAMPLES_GROUP)]
    dev = [row for row, item in enumerate(items) if item.group == "dev"]

    print("grouped cross-validation on posts_dev2 ...", file=sys.stderr)
    model_cv, raw_cv = nested_cv(data, dev2, rules[dev2], categories, extra)
    combined_cv = training.combine(rules[dev2], model_cv)

    print("posts_dev as an unseen writer ...", file=sys.stderr)
    chosen = training.select(data, dev2, raw_cv, categories, rules[dev2])
    probability = training.probabilities(
        training.fit(data, dev2, categories, extra).raw(data, dev), chosen.scale, chosen.shift
    )
    model_dev = training.predict(probability, langs[dev], categories, chosen, data.short[dev])

    held = np.isin(groups[dev2], HELD_OUT_FOR_RULES)
    out = [
        f"## Held-out figures ({date.today().isoformat()})",
        "",
        "Made by `PYTHONPATH=src python scripts/evaluate_unseen.py`.",
        "",
        "Findings at warning or above. Rules: the packs with the learned rules off. Model: out-of-fold,",
        "grouped by writer, thresholds chosen without the held-out writer. Combined: rules, plus the",
        "model where no rule found anything in the category (as the checker runs them).",
        "",
        *about_examples,
    ]
    out += table(
        "posts_dev2 writers c and d (held out from rules and model)",
        truth[dev2][held],
        langs[dev2][held],
        {"rules": rules[dev2][held] == 2, "model": model_cv[held], "combined": combined_cv[held]},
        categories,
    )
    out += table(
        "posts_dev2, all 8 writers (rules were tuned on writers a and b)",
        truth[dev2],
        langs[dev2],
        {"rules": rules[dev2] == 2, "model": model_cv, "combined": combined_cv},
        categories,
    )
    out += table(
        "posts_dev.jsonl as an unseen writer, model trained on posts_dev2 alone (rules were written on it)",
        truth[dev],
        langs[dev],
        {"rules": rules[dev] == 2, "model": model_dev, "combined": training.combine(rules[dev], model_dev)},
        categories,
    )
    out += verdicts(
        truth[dev2][held], langs[dev2][held], rules[dev2][held], model_cv[held], combined_cv[held], categories
    )
    print("\n".join(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
