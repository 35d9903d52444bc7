"""Benchmark: CPU time of one check on each pathological family, doubling its length up to 1,000,000 bytes.

Prints, for each family and length, the CPU time of `Checker.check` (models warm, every platform asked,
the best of `--repeat` runs so that a pause of the machine is not read as a cost) beside the 10 s
target, the ratio to the previous length beside the 2.2× target of a linear cost, and for each family
the ratio per doubling fitted to all the lengths read whole (on a shared machine one cell's ratio can
be off by half; the fit is what says whether the cost grows faster than the text).
Checks run one after another in one process, as they do in the background process, and with its
allocator settings (server.client.ALLOCATOR_ENV: the bench starts itself again with them); `--allocator
default` measures glibc's defaults, which a one-shot `septfois check` in its own process has.
Run: PYTHONPATH=src python bench/bench_pathological.py [--families NAME,NAME] [--smallest BYTES]
     [--largest BYTES] [--repeat N] [--allocator server|default]
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from septfois.engine import Checker
from septfois.findings.platforms import PLATFORMS
from septfois.model import Post
from septfois.server.client import ALLOCATOR_ENV

LIMIT_BYTES = 1_000_000
TARGET_SECONDS = 10.0
TARGET_RATIO = 2.2
CORPUS = Path(__file__).resolve().parents[1] / "tests" / "data" / "posts"


def ordinary(size: int) -> str:
    """Ordinary posts (the repository's sample posts) joined until `size` bytes."""
    posts = [path.read_text(encoding="utf-8") for path in sorted(CORPUS.glob("*")) if path.is_file()]
    block = "\n\n".join(posts) or "Nous ouvrons une boutique à Lyon la semaine prochaine. "
    return repeat_to(block + "\n\n", size)


def repeat_to(unit: str, size: int) -> str:
    """`unit` repeated and cut to `size` bytes of UTF-8 (less only by a character cut in two), so
    that each length is twice the last and the ratio measures the cost, not a rounding of the size."""
    count = -(-size // len(unit.encode("utf-8")))
    return (unit * count).encode("utf-8")[:size].decode("utf-8", errors="ignore")


FAMILIES: dict[str, Callable[[int], str]] = {
    "l' run": lambda size: repeat_to("l'", size),
    "( run": lambda size: repeat_to("(", size),
    "a. run": lambda size: repeat_to("a.", size),
    "@ run": lambda size: repeat_to("@", size),
    "# run": lambda size: repeat_to("#", size),
    "emoji flood": lambda size: repeat_to("\U0001f600", size),
    "ZWJ flood": lambda size: repeat_to("\U0001f469\u200d\U0001f4bb", size),
    "combining marks": lambda size: "e" + repeat_to("\u0301", size - 1),
    "long URL": lambda size: "https://example.com/" + repeat_to("a/", size - 20),
    "hashtags": lambda size: repeat_to("#tag ", size),
    "mentions": lambda size: repeat_to("@alice ", size),
    "ordinary text": ordinary,
}


def cpu_seconds(checker: Checker, texts: list[str], repeat: int) -> list[float]:
    """The least CPU time of `repeat` checks of each of `texts`. The lengths take turns, one check
    each per round, so that a slow spell of the shared machine lands on one round of several lengths
    rather than on every run of one length, where the least of its runs could not undo it."""
    posts = [Post(text=text, platforms=tuple(PLATFORMS)) for text in texts]
    figures = [float("inf")] * len(posts)
    for _ in range(repeat):
        for index, post in enumerate(posts):
            # A collection owed by earlier checks would otherwise be charged to this one.
            gc.collect()
            started = time.process_time()
            checker.check(post)
            figures[index] = min(figures[index], time.process_time() - started)
    return figures


def fitted_ratio(sizes: list[int], figures: list[float]) -> float | None:
    """The time ratio per doubling of the length that fits all the figures at once (least squares on
    log time against log length): one slow cell moves it far less than it moves its own ratio."""
    if len(sizes) < 3:
        return None
    fit = statistics.linear_regression(
        [math.log2(size) for size in sizes],
        [math.log2(cpu) for cpu in figures],
    )
    return 2.0**fit.slope


def read_whole(checker: Checker, text: str) -> bool:
    """Whether the pipeline reads all of `text` (past ANALYSED_CHARS or ANALYSED_TOKENS it reads the
    opening only, so the cost stops growing: a fit over such lengths would flatter the growth)."""
    return len(checker.analyse(Post(text=text)).text) == len(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--families", default=",".join(FAMILIES), help="comma-separated family names")
    parser.add_argument("--smallest", type=int, default=125_000, help="first length, in bytes")
    parser.add_argument("--largest", type=int, default=LIMIT_BYTES, help="last length, in bytes")
    parser.add_argument("--repeat", type=int, default=3, help="runs per length; the best is shown")
    parser.add_argument("--json", action="store_true", help="also print one JSON line per figure")
    parser.add_argument(
        "--allocator", choices=("server", "default"), default="server", help="the C allocator's settings"
    )
    options = parser.parse_args()
    wanted = ALLOCATOR_ENV if options.allocator == "server" else {}
    if any(os.environ.get(key) != wanted.get(key) for key in ALLOCATOR_ENV):
        # The allocator reads its settings once, when the process starts: start again with them.
        environment = {key: value for key, value in os.environ.items() if key not in ALLOCATOR_ENV}
        os.execve(sys.executable, [sys.executable, *sys.argv], {**environment, **wanted})
    print(f"allocator: {' '.join(f'{k}={v}' for k, v in wanted.items()) or 'glibc defaults'}")
    checker = Checker()
    checker.load_models()
    checker.check(Post(text="Bonjour à tous, une première vérification pour chauffer le modèle."))
    sizes = []
    size = options.smallest
    while size <= min(options.largest, LIMIT_BYTES):
        sizes.append(size)
        size *= 2
    print(f"{'family':<18}{'bytes':>10}{'cpu':>9}{'target':>9}{'ratio':>8}{'target':>8}")
    worst_cpu = worst_ratio = worst_fit = 0.0
    for name in options.families.split(","):
        previous = None
        texts = [FAMILIES[name](size) for size in sizes]
        figures = cpu_seconds(checker, texts, options.repeat)
        for size, figure in zip(sizes, figures, strict=True):
            ratio = figure / previous if previous else None
            shown = f"{ratio:>7.2f}x" if ratio is not None else f"{'':>8}"
            print(f"{name:<18}{size:>10}{figure:>8.2f}s{TARGET_SECONDS:>8.1f}s{shown}{TARGET_RATIO:>7.1f}x")
            if options.json:
                print(json.dumps({"family": name, "bytes": size, "cpu": figure, "ratio": ratio}))
            worst_cpu = max(worst_cpu, figure)
            # Below a tenth of a second the clock's grain and the machine's load decide the ratio.
            if ratio is not None and previous is not None and previous >= 0.1:
                worst_ratio = max(worst_ratio, ratio)
            previous = figure
        # The fit leaves out lengths read in part and figures under a tenth of a second (clock grain).
        fitted = [
            (size, figure)
            for size, figure, text in zip(sizes, figures, texts, strict=True)
            if figure >= 0.1 and read_whole(checker, text)
        ]
        fit = fitted_ratio([size for size, _ in fitted], [figure for _, figure in fitted])
        if fit is not None:
            span = f"{fitted[0][0]}-{fitted[-1][0]} bytes"
            print(f"{name:<18}{'fitted per doubling, ' + span:>36}{fit:>7.2f}x{TARGET_RATIO:>7.1f}x")
            if options.json:
                span_bytes = {"from": fitted[0][0], "to": fitted[-1][0]}
                print(json.dumps({"family": name, "fitted_ratio": fit, **span_bytes}))
            worst_fit = max(worst_fit, fit)
    print(
        f"worst cpu {worst_cpu:.2f}s (target {TARGET_SECONDS:.1f}s); "
        f"worst ratio {worst_ratio:.2f}x, worst fitted ratio {worst_fit:.2f}x (target {TARGET_RATIO:.1f}x)"
    )


if __name__ == "__main__":
    main()
