"""Train the shipped learned model and write its thresholds into the pack; same data, same file bytes.

    pip install -e '.[train]'
    PYTHONPATH=src nice -n 10 python scripts/train_models.py [--corpus ../shared/corpus] [--out FILE]

Trains on posts_dev2.jsonl and posts_dev.jsonl (nine writers). Calibration and the per-language
thresholds come from out-of-fold scores grouped by writer. A threshold is chosen for what the model
adds where the rules (run as `septfois check --jsonl`, learned rules off) found nothing in the category:
at least 90 % of it right, at most one safe post in 200 among it (training.choose_threshold);
`--model-only` judges the model alone instead. Then each rule of rules/learned.toml gets its `threshold`
line rewritten, for the languages its `languages` key allows (all when it has none), raised just above
the probability of any of its must_pass examples. A rule with a must_flag example its thresholds do not
flag, or with no threshold left, would fail `septfois rules test`: it is removed from the pack, and said.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from septfois.findings import learned, training  # noqa: E402
from septfois.tomlpos import tomllib  # noqa: E402

PACK = REPO / "rules" / "learned.toml"
_RULE_ID = re.compile(r'^id\s*=\s*"([^"]+)"')


def read_pack(pack: Path) -> list[tuple[training.RuleExamples, range]]:
    """The classifier rules of `pack` with their examples, and the lines of each one's [[rule]] block."""
    text = pack.read_text(encoding="utf-8")
    tables = [rule for rule in tomllib.loads(text).get("rule", []) if rule.get("type") == "classifier"]
    lines = text.splitlines(keepends=True)
    starts = [number for number, line in enumerate(lines) if line.startswith("[[rule]]")]
    blocks: dict[str, range] = {}
    for first, after in zip(starts, [*starts[1:], len(lines)], strict=True):
        for line in lines[first:after]:
            found = _RULE_ID.match(line)
            if found:
                blocks[found.group(1)] = range(first, after)
                break
    found_rules = []
    for table in tables:

        def examples(key: str, table: dict = table) -> tuple[training.Labelled, ...]:
            posts = []
            for number, item in enumerate(table.get(key, [])):
                item = {"text": item} if isinstance(item, str) else item
                if "lang" not in item:
                    where = f"{pack}: {table['id']}: {key}[{number}]"
                    raise SystemExit(f"{where} needs a lang (the thresholds are per language)")
                line = {"id": f"{table['id']}-{key}-{number}", "labels": [], **item}
                posts.append(training.read_line(line, f"{pack}: {table['id']}: {key}[{number}]"))
            return tuple(posts)

        rule = training.RuleExamples(
            str(table["id"]),
            str(table["category"]),
            tuple(table.get("languages", ())),
            examples("must_flag"),
            examples("must_pass"),
        )
        found_rules.append((rule, blocks[rule.id]))
    return found_rules


def threshold_line(limits: dict[str, float | None]) -> str:
    kept = {lang: limit for lang, limit in sorted(limits.items()) if limit is not None}
    if not kept:
        return "(none: the model adds nothing to the rules here)"
    return "threshold = { " + ", ".join(f"{lang} = {limit:.2f}" for lang, limit in kept.items()) + " }"


def write_pack(
    pack: Path, rules: list[tuple[training.RuleExamples, range]], chosen: dict[str, dict[str, float | None]]
) -> None:
    """Each kept rule's `threshold` line rewritten; the rules not in `chosen` removed from the pack."""
    lines = pack.read_text(encoding="utf-8").splitlines(keepends=True)
    dropped: set[int] = set()
    for rule, block in rules:
        if rule.id not in chosen:
            dropped.update(block)
            continue
        for number in block:
            if lines[number].startswith("threshold"):
                lines[number] = threshold_line(chosen[rule.id]) + "\n"
    kept = "".join(line for number, line in enumerate(lines) if number not in dropped)
    pack.write_text(re.sub(r"\n{3,}(?=\[\[rule\]\])", "\n\n", kept), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpus")
    parser.add_argument(
        "--data", type=Path, action="append", help="labelled JSONL files instead of the corpus"
    )
    parser.add_argument("--out", type=Path, default=REPO / "rules" / "models" / "learned.zip")
    parser.add_argument("--pack", type=Path, default=PACK, help="pack whose thresholds to update")
    parser.add_argument("--model-only", action="store_true", help="choose thresholds for the model alone")
    parser.add_argument(
        "--examples",
        type=float,
        default=training.EXAMPLES_WEIGHT,
        metavar="WEIGHT",
        help="weight of the rule examples and written posts in training (default: %(default)s; 0: none)",
    )
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
    # Trained on, never thresholded on: the thresholds are chosen on the corpus posts alone.
    examples, extra, about_examples = training.extra_training(items, categories, args.examples)
    print(about_examples)
    data = training.featurise(items + examples)
    linear, chosen = training.train(data, categories, rules, extra)
    about = {
        "trained_on": [path.name for path in files],
        "posts": len(items),
        "examples_and_written_posts": len(examples),
        "examples_weight": args.examples if examples else 0,
        "writers": sorted(set(data.groups.tolist())),
        "regularisation_C": training.C,
        "min_posts_per_feature": training.MIN_POSTS,
    }
    training.save(args.out, linear, chosen, categories, about)
    print(f"wrote {args.out} ({args.out.stat().st_size:,} bytes, {len(linear.names):,} features)")
    for category in categories:
        print(f"  {category}: {threshold_line(chosen.limits[category])}")
    if not args.pack.exists():
        return 0
    rules = [(rule, block) for rule, block in read_pack(args.pack) if rule.category in categories]
    probability = training.example_probabilities([rule for rule, _ in rules], learned.load_model(args.out))
    kept: dict[str, dict[str, float | None]] = {}
    for rule, _ in rules:
        fitted, failing = training.fit_to_examples(rule, chosen.limits[rule.category], probability)
        if failing:
            # A rule whose own examples fail would fail `septfois rules test`: it does not ship.
            print(f"  DROPPED {rule.id} from {args.pack.name}: " + "; ".join(failing))
            continue
        kept[rule.id] = fitted
        print(f"  {rule.id}: {threshold_line(fitted)}")
    write_pack(args.pack, rules, kept)
    print(f"updated {args.pack}: {len(kept)} learned rules kept, {len(rules) - len(kept)} dropped")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
