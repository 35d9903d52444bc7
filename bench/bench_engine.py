"""Benchmark: the engine's check() on short and long posts, batches, and pack loading, against targets."""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import batches

from septfois.config import Config
from septfois.findings.engine import Checker, load_packs
from septfois.model import Post


def french_text(length: int) -> str:
    """French corpus posts joined until `length` characters, cut back to a word boundary."""
    texts = [item["text"] for item in batches.dev_posts() if item["lang"] == "fr" and item["text"].strip()]
    joined = ""
    for text in texts:
        joined = f"{joined}\n\n{text}" if joined else text
        if len(joined) >= length:
            break
    cut = joined[:length]
    return cut[: cut.rfind(" ")] if " " in cut else cut


def median_seconds(action, repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def batch_posts(count: int) -> list[Post]:
    return [
        Post(text=item["text"], lang=item.get("lang"), kind=item.get("kind", "post"))
        for item in batches.repeated(count)
    ]


def cli_batch_seconds(count: int, workers: str | None) -> tuple[float, float]:
    """(total wall time, time to the last line minus time to the first line) of `septfois check --jsonl`,
    run cold (no background server), with SEPTFOIS_BATCH_WORKERS set to `workers` (None: the default)."""
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as handle:
        handle.write(batches.jsonl(batches.repeated(count)))
    exe = Path(sys.executable).with_name("septfois")
    env = {**os.environ, "SEPTFOIS_NO_DAEMON": "1"}
    env.pop("SEPTFOIS_BATCH_WORKERS", None)
    if workers is not None:
        env["SEPTFOIS_BATCH_WORKERS"] = workers
    started = time.perf_counter()
    process = subprocess.Popen([str(exe), "check", "--jsonl", handle.name], stdout=subprocess.PIPE, env=env)
    assert process.stdout is not None
    first = None
    for _ in process.stdout:
        if first is None:
            first = time.perf_counter()
    process.wait()
    total = time.perf_counter() - started
    Path(handle.name).unlink()
    return total, total - ((first or started) - started)


def row(case: str, figure: str, target: str) -> None:
    print(f"{case:<62}{figure:>12}{target:>12}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--posts", type=int, default=1000, help="batch size (default 1000)")
    parser.add_argument("--no-cli", action="store_true", help="skip the `septfois check --jsonl` run")
    args = parser.parse_args()

    started = time.perf_counter()
    packs = load_packs(Config())
    cold = time.perf_counter() - started
    warm = median_seconds(lambda: load_packs(Config()), 5)
    checker = Checker(Config(), packs=packs)
    short, long = french_text(280), french_text(3000)
    checker.check(Post(text=short))  # loads the language models
    checker.check(Post(text="The first English check loads the English pipeline."))

    row("case", "measured", "target")
    row("pack loading, first in the process", f"{cold:.3f}s", "-")
    row("pack loading, again (unchanged files)", f"{warm * 1000:.1f}ms", "-")
    figure = median_seconds(lambda: checker.check(Post(text=short)), 30)
    row(f"check(), {len(short)}-char French post", f"{figure * 1000:.1f}ms", "-")
    figure = median_seconds(lambda: checker.check(Post(text=long)), 10)
    row(f"check(), {len(long)}-char French post", f"{figure * 1000:.1f}ms", "100.0ms")
    posts = batch_posts(args.posts)
    many = getattr(checker, "check_many", None) or (lambda items: [checker.check(p) for p in items])
    started = time.perf_counter()
    many(posts)
    rate = len(posts) / (time.perf_counter() - started)
    row(f"check_many(), {len(posts)} corpus posts", f"{rate:.0f}/s", "300/s")
    if not args.no_cli:
        for label, workers in (("one process", "0"), ("worker processes", None)):
            total, after_first = cli_batch_seconds(args.posts, workers)
            row(f"septfois check --jsonl, {args.posts} posts, {label}, wall", f"{total:.2f}s", "-")
            row(
                "  the same, posts/s after the first line", f"{(args.posts - 1) / after_first:.0f}/s", "300/s"
            )


if __name__ == "__main__":
    main()
