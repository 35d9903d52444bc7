"""Benchmark: per-platform counting on ordinary posts and on inputs that once made link search quadratic."""

from __future__ import annotations

import statistics
import time

from septfois.findings.platforms import PLATFORMS, count

ORDINARY = "Nous ouvrons à Lyon 🎉 https://example.com/ouverture #lyon @alice@example.social " * 3
PATHOLOGICAL = "a." * 20_000 + " a_b.com " + "1.2." * 10_000


def timed(text: str, platform: str, repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        count(platform, text)
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def main() -> None:
    print(f"{'case':<34}{'median':>12}{'target':>12}")
    for platform in PLATFORMS:
        figure = timed(ORDINARY, platform, 200) * 1000
        print(f"{'ordinary post, ' + platform:<34}{figure:>10.3f}ms{'1.000ms':>12}")
    for platform in ("x", "mastodon", "threads"):
        figure = timed(PATHOLOGICAL, platform, 3)
        print(f"{'80,000-char dotted run, ' + platform:<34}{figure:>11.2f}s{'1.00s':>12}")


if __name__ == "__main__":
    main()
