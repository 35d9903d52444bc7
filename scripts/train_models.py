"""Train the shipped learned model and write its thresholds into the pack; same data, same file bytes.

    pip install -e '.[train]'
    PYTHONPATH=src python scripts/train_models.py [--corpus ../shared/corpus] [--out rules/models/learned.zip]

Trains on posts_dev2.jsonl and posts_dev.jsonl (nine writers). Calibration and the per-language
thresholds come from out-of-fold scores grouped by writer, chosen for the rules OR the model at
precision >= 0.85 with the best recall (the rules run as `septfois check --jsonl`, learned rules off);
`--model-only` chooses them for the model alone. The thresholds are written into the `threshold = ...`
line of each rule of rules/learned.toml, found by its `category`.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from septfois.findings import training  # noqa: E402

PACK = REPO / "rules" / "learned.toml"
_CATEGORY = re.compile(r'^category\s*=\s*"([^"]+)"')


def threshold_line(limits: dict[str, float | None]) -> str:
    kept = {lang: limit for lang, limit in sorted(limits.items()) if limit is not None}
    if not kept:
        return "(none: the model adds nothing to the rules here)"
    return "threshold = { " + ", ".join(f"{lang} = {limit:.2f}" for lang, limit in kept.items()) + " }"


def write_thresholds(pack: Path, chosen: training.Thresholds) -> list[str]:
    """Rewrite each rule's `threshold` line from its category; returns the categories updated."""
    lines = pack.read_text(encoding="utf-8").splitlines(keepends=True)
    category: str | None = None
    done = []
    for number, line in enumerate(lines):
        if line.startswith("[[rule]]"):
            category = None
        found = _CATEGORY.match(line)
        if found:
            category = found.group(1)
        if line.startswith("threshold") and category in chosen.limits:
            if all(limit is None for limit in chosen.limits[category].values()):
                print(f"  {category}: the model adds nothing to the rules; consider removing its rule")
                continue
            lines[number] = threshold_line(chosen.limits[category]) + "\n"
            done.append(category)
    pack.write_text("".join(lines), encoding="utf-8")
    return done


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpus")
    parser.add_argument(
        "--data", type=Path, action="append", help="labelled JSONL files instead of the corpus"
    )
    parser.add_argument("--out", type=Path, default=REPO / "rules" / "models" / "learned.zip")
    parser.add_argument("--pack", type=Path, default=PACK, help="pack whose thresholds to update")
    parser.add_argument("--model-only", action="store_true", help="choose thresholds for the model alone")
    args = parser.parse_args(argv)
    files = args.data or [args.corpus / "posts_dev2.jsonl", args.corpus / "posts_dev.jsonl"]
    items = [
        item
        for path in files
        for item in training.read_corpus(path, None if "dev2" in path.name else path.stem)
    ]
    categories = tuple(
        name for name in training.LEARNED_CATEGORIES if any(name in item.labels for item in items)
    )
    rules = None
    if not args.model_only:
        disabled = training.classifier_rule_ids()
        results = [line for path in files for line in training.rules_results(path, REPO, disabled)]
        rules = training.flagged_by_rules(results, [item.id for item in items], categories)
    data = training.featurise(items)
    linear, chosen = training.train(data, categories, rules)
    about = {
        "trained_on": [path.name for path in files],
        "posts": len(items),
        "writers": sorted(set(data.groups.tolist())),
        "regularisation_C": training.C,
        "min_posts_per_feature": training.MIN_POSTS,
    }
    training.save(args.out, linear, chosen, categories, about)
    print(f"wrote {args.out} ({args.out.stat().st_size:,} bytes, {len(linear.names):,} features)")
    for category in categories:
        print(f"  {category}: {threshold_line(chosen.limits[category])}")
    if args.pack.exists():
        updated = write_thresholds(args.pack, chosen)
        print(f"updated the thresholds of {args.pack}: {', '.join(updated) or 'none'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
