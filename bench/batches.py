"""The posts the benchmarks check: the labelled corpus, as 1,000-post batches of two kinds."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
FIELDS = ("text", "lang", "platform", "account", "kind")


def read(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def dev_posts() -> list[dict[str, object]]:
    return read(CORPUS / "posts_dev.jsonl")


def repeated(count: int) -> list[dict[str, object]]:
    """The 240 dev posts (217 characters on average) over and over: every word is seen before long."""
    posts = dev_posts()
    return [posts[n % len(posts)] for n in range(count)]


def distinct(count: int) -> list[dict[str, object]]:
    """No post twice: the dev posts, then the external sets in turn (shorter posts, new words)."""
    external = [read(path) for path in sorted((CORPUS / "external").glob("*.jsonl"))]
    mixed = itertools.chain(dev_posts(), *itertools.zip_longest(*external))
    return list(itertools.islice((post for post in mixed if post is not None), count))


def jsonl(posts: list[dict[str, object]]) -> str:
    """A `septfois check --jsonl` input: one line per post, numbered."""
    lines = [
        json.dumps({"id": n, **{key: post[key] for key in FIELDS if key in post}}, ensure_ascii=False)
        for n, post in enumerate(posts)
    ]
    return "\n".join(lines) + "\n"


def mean_length(posts: list[dict[str, object]]) -> float:
    return sum(len(str(post["text"])) for post in posts) / len(posts)
