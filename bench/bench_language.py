"""Language detection on the labelled corpora: share of posts given the wrong language, by length."""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

import regex

from septfois.analysis.nlp import detect_languages, word_evidence

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
WORD = regex.compile(r"(?<![@#\w])\p{L}[\p{L}'’-]*")
TARGET = 0.01  # posts of three words or more given the wrong language


def main() -> int:
    if not CORPUS.is_dir():
        print(f"no corpus at {CORPUS}: nothing to measure", file=sys.stderr)
        return 2
    files = sorted([*CORPUS.glob("posts_*.jsonl"), *(CORPUS / "external").glob("*.jsonl")])
    totals: Counter[str] = Counter()
    wrong: Counter[str] = Counter()
    worst: list[str] = []
    for path in files:
        for line in path.read_text(encoding="utf-8").splitlines():
            item = json.loads(line)
            words = len(WORD.findall(item["text"]))
            group = "three words or more" if words >= 3 else "under three words"
            found = detect_languages(item["text"], ("fr", "en"), "fr")[0]
            totals[group] += 1
            if group.startswith("under") and any(word_evidence(item["text"], ("fr", "en")).values()):
                totals["short, decided by their words"] += 1
                wrong["short, decided by their words"] += found != item["lang"]
            if found != item["lang"]:
                wrong[group] += 1
                if group.startswith("three") and len(worst) < 15:
                    worst.append(f"  {item['id']} ({item['lang']} read as {found}): {item['text'][:90]!r}")
    for group in ("three words or more", "under three words", "short, decided by their words"):
        share = wrong[group] / max(totals[group], 1)
        target = (
            f"target ≤ {TARGET:.0%}" if group.startswith("three") else "the rest get the default language"
        )
        print(f"{group}: {wrong[group]}/{totals[group]} wrong ({share:.2%}), {target}")
    print("examples of wrong ones:", *worst, sep="\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
