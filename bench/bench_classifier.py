"""Benchmark: the learned rules on analysed posts (features, every category, explanation) against 1 ms."""

from __future__ import annotations

import statistics
import time
from dataclasses import replace
from pathlib import Path

import batches

from septfois.analysis.value import Memo
from septfois.config import Config
from septfois.findings.engine import Checker, run_rules
from septfois.findings.packs import load_pack
from septfois.findings.ruletypes import Subject
from septfois.model import Post

PACK = Path(__file__).resolve().parents[1] / "rules" / "learned.toml"
TARGET_MS = 1.0


def main() -> int:
    pack = load_pack(PACK)
    checker = Checker(Config(), packs=[pack])
    posts = [
        Post(text=str(item["text"]), lang=str(item["lang"]), account=str(item.get("account", "personal")))
        for item in batches.distinct(1000)
    ]
    analyses = checker.analyse_many(posts)
    per_post = []
    for post, analysis in zip(posts, analyses, strict=True):
        fresh = replace(analysis, memo=Memo())  # nothing cached: features and scores computed anew
        started = time.perf_counter()
        run_rules(pack.rules, Subject(fresh, post), "en")
        per_post.append((time.perf_counter() - started) * 1000)
    ordered = sorted(per_post)
    print(f"learned rules ({len(pack.rules)} rules, one model), {len(posts)} distinct posts, no analysis:")
    print("| case | figure | target |\n|---|---|---|")
    print(f"| median per post | {statistics.median(per_post):.3f} ms | {TARGET_MS} ms |")
    print(f"| mean per post | {statistics.fmean(per_post):.3f} ms | {TARGET_MS} ms |")
    print(f"| 95th percentile | {ordered[int(len(ordered) * 0.95)]:.3f} ms | — |")
    model = Path(PACK.parent / "models" / "learned.zip")
    print(f"| model file | {model.stat().st_size / 1e6:.2f} MB | 10 MB |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
