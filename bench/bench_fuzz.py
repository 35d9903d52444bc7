"""Benchmark: generated hostile inputs through check() in-process and a sample through the command line.

Prints tried / tracebacks / wrong exit / over 2 s / hangs, then the worst inputs. The checks run in
worker processes the bench watches (`--jobs N` of them, one input each at a time): one that does not
answer within the hang bound is counted as a hang, killed and replaced. Each input is written to
`<found>/current-N.json` before worker N sees it, so a hang, a crash or a killed bench never loses it;
every hung, crashed, failing or slow input is kept there as its own file (`hang-check-1670.json`),
which `--replay` runs again. Progress lines carry the running tallies, so a run stopped early still
gives its figures, and `--start N` goes on from input N with the same inputs a whole run would have.
Run: PYTHONPATH=src python bench/bench_fuzz.py [--count 100000] [--cli 2000] [--jobs 2] [--found DIR]
     [--seed N] [--start N]
     PYTHONPATH=src python bench/bench_fuzz.py --replay DIR/hang-check-1670.json [...]
"""

from __future__ import annotations

import argparse
import base64
import io
import itertools
import json
import multiprocessing
import multiprocessing.connection
import os
import random
import sys
import time
import traceback
from collections.abc import Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

SLOW_SECONDS = 2.0  # CPU time of one input past which it is counted "over 2 s"
HANG_SECONDS = 60.0  # wall time without an answer after which the worker is killed
FLOOD_UNITS = [
    "l'", "(", "a.", "@", "#", "\U0001f600", "\U0001f469\u200d\U0001f4bb", "\u0301", "https://x.fr/",
    "\u200b", "\ufeff", "\r", "\x00", "Ⅻ", "ß", "İ", "\u202e", "#tag ", "@a ", "$AAPL ", "ﷺ", "e\u0301",
    "\u00a0", "’",
]  # fmt: skip
WORDS = [
    "Bonjour", "mdr", "les prix vont exploser", "Marie Dupont", "licencié", "😂", "\n", " ", "!!!",
    "https://a.fr/x", "jean.dupont@gmail.com", "06 12 34 56 78", "FR76 3000 6000 0112 3456 7890 189", "lol",
]  # fmt: skip


def any_character(rng: random.Random) -> str:
    """A code point from any plane, surrogates excepted (no text can hold one)."""
    plane = rng.choice((0, 0, 0, 1, 2, 3, 14, 15, 16))
    while True:
        code = plane * 0x10000 + rng.randrange(0x10000)
        if not 0xD800 <= code <= 0xDFFF:
            return chr(code)


def hostile_text(rng: random.Random) -> str:
    """One generated input: random Unicode, floods, BOMs, CR-only lines, long lines and real words."""
    parts = []
    for _ in range(rng.randrange(1, 7)):
        kind = rng.randrange(6)
        if kind == 0:
            parts.append("".join(any_character(rng) for _ in range(rng.randrange(1, 200))))
        elif kind == 1:
            # Mostly short floods; now and then one up to the 1,000,000-byte input limit.
            count = rng.randrange(1, 3000) if rng.random() < 0.995 else rng.randrange(10_000, 250_000)
            parts.append(rng.choice(FLOOD_UNITS) * count)
        elif kind == 2:
            parts.append(" ".join(rng.choice(WORDS) for _ in range(rng.randrange(1, 30))))
        elif kind == 3:
            parts.append("\r".join(rng.choice(WORDS) for _ in range(rng.randrange(1, 20))))
        elif kind == 4:
            parts.append("\ufeff")
        else:
            parts.append("x" * rng.randrange(1, 5000))
    return "".join(parts)


def hostile_bytes(rng: random.Random) -> bytes:
    """Input for the command line: UTF-8 of a generated text, or raw bytes (invalid UTF-8, NUL)."""
    if rng.random() < 0.5:
        return bytes(rng.randrange(256) for _ in range(rng.randrange(0, 400)))
    data = hostile_text(rng).encode("utf-8")
    return data[:1_000_000]


@dataclass
class Outcome:
    kind: str  # "ok", "traceback" or "wrong exit"
    cpu: float
    detail: str = ""


def _cli(data: bytes) -> tuple[int, str]:
    from septfois.cli.main import main

    saved = sys.stdin, sys.stdout, sys.stderr
    sys.stdin = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8")
    sys.stdout, sys.stderr = io.StringIO(), io.StringIO()
    try:
        code = main(["check", "-"])
        return code, sys.stderr.getvalue()
    finally:
        sys.stdin, sys.stdout, sys.stderr = saved


def worker(connection: Connection) -> None:
    """Check what the parent sends, answer with an Outcome, until it sends None."""
    os.environ["SEPTFOIS_NO_DAEMON"] = "1"
    from septfois.engine import Checker
    from septfois.findings.platforms import PLATFORMS
    from septfois.model import Post

    checker = Checker()
    checker.load_models()
    connection.send("ready")
    while (item := connection.recv()) is not None:
        mode, payload = item
        started = time.process_time()
        try:
            if mode == "check":
                checker.check(Post(text=payload, platforms=tuple(PLATFORMS)))
                outcome = Outcome("ok", 0.0)
            else:
                code, err = _cli(payload)
                bad = code not in (0, 1, 2)
                outcome = Outcome(
                    "traceback" if "Traceback" in err else "wrong exit" if bad else "ok", 0.0, err
                )
        except BaseException:  # any escape is what this bench counts
            outcome = Outcome("traceback", 0.0, traceback.format_exc(limit=3))
        outcome.cpu = time.process_time() - started
        connection.send(outcome)


class Watched:
    """A worker process and the pipe to it, replaced when it hangs or dies."""

    def __init__(self, slot: int, hang_seconds: float = HANG_SECONDS) -> None:
        self.slot = slot
        self.hang_seconds = hang_seconds
        self.item: tuple[str, object, int] | None = None  # the input it is checking, if any
        self.sent_at = 0.0
        self.start()

    def start(self) -> None:
        self.connection, child = multiprocessing.Pipe()
        self.process = multiprocessing.Process(target=worker, args=(child,), daemon=True)
        self.process.start()
        if not self.connection.poll(300) or self.connection.recv() != "ready":
            raise SystemExit("the worker did not start")

    def send(self, item: tuple[str, object, int]) -> None:
        self.item = item
        self.sent_at = time.monotonic()
        self.connection.send(item[:2])

    def receive(self) -> Outcome:
        """The answer to the input sent (a worker that died is counted as a traceback, and replaced)."""
        self.item = None
        try:
            return self.connection.recv()
        except EOFError:
            self.process.join()
            self.start()
            return Outcome("traceback", 0.0, "the worker died")

    def overdue(self) -> bool:
        return self.item is not None and time.monotonic() - self.sent_at > self.hang_seconds

    def replace(self) -> None:
        """Kill the hung worker and start another."""
        self.item = None
        self.process.kill()
        self.process.join()
        self.start()

    def stop(self) -> None:
        self.connection.send(None)
        self.process.join(10)


def show(payload: object) -> str:
    text = payload if isinstance(payload, str) else repr(payload)
    summary = repr(text[:60]) + (f"… ({len(text):,} chars)" if len(text) > 60 else "")
    return summary


def record(mode: str, index: int, seed: int, payload: object) -> dict[str, object]:
    """One input as JSON: text as is, bytes in base64 (they need not be UTF-8)."""
    kept: dict[str, object] = {"mode": mode, "index": index, "seed": seed}
    if isinstance(payload, bytes):
        kept["bytes"] = base64.b64encode(payload).decode("ascii")
    else:
        kept["text"] = payload
    return kept


def recorded(path: Path) -> tuple[str, object]:
    """The mode and input of one saved file (see `record`)."""
    kept = json.loads(path.read_text(encoding="utf-8"))
    payload = base64.b64decode(kept["bytes"]) if "bytes" in kept else kept["text"]
    return str(kept["mode"]), payload


class Found:
    """The folder where inputs are kept: each worker's current one (`current-0.json`), rewritten before
    it runs, and every input that hung, crashed, failed or was slow, each in its own file."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self.texts: dict[int, str] = {}

    def before(self, slot: int, mode: str, index: int, seed: int, payload: object) -> None:
        self.texts[slot] = json.dumps(record(mode, index, seed, payload))
        # Written whole, then renamed: a bench killed mid-write leaves the previous input intact.
        current = self.folder / f"current-{slot}.json"
        partial = current.with_suffix(".partial")
        partial.write_text(self.texts[slot], encoding="utf-8")
        partial.replace(current)

    def keep(self, slot: int, what: str, mode: str, index: int) -> Path:
        path = self.folder / f"{what}-{mode}-{index}.json"
        path.write_text(self.texts[slot], encoding="utf-8")
        return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000, help="inputs through check()")
    parser.add_argument("--cli", type=int, default=2_000, help="inputs through `septfois check -`")
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--jobs", type=int, default=1, help="workers checking inputs side by side")
    parser.add_argument("--found", default="fuzz-found", help="folder for the current and the bad inputs")
    parser.add_argument(
        "--start", type=int, default=0, help="skip the seed's first N inputs (resume a run stopped after N)"
    )
    parser.add_argument("--replay", nargs="+", type=Path, help="run these saved inputs instead")
    parser.add_argument("--every", type=int, default=1000, help="a progress line every N inputs")
    parser.add_argument("--hang", type=float, default=HANG_SECONDS, help="seconds without an answer")
    options = parser.parse_args()
    found = Found(Path(options.found))
    print(f"inputs kept in {found.folder}/ (current-N.json: the one worker N is checking)", flush=True)
    rng = random.Random(options.seed)
    workers = [Watched(slot, options.hang) for slot in range(max(1, options.jobs))]
    tallies = {"tried": 0, "tracebacks": 0, "wrong exit": 0, "over 2 s": 0, "hangs": 0}
    worst: list[tuple[float, str, str]] = []
    failures: list[str] = []
    started = time.monotonic()
    if options.replay:
        inputs = ((*recorded(path), index) for index, path in enumerate(options.replay))
    else:
        # The inputs skipped are still generated: input N of a seed is the same whatever the start.
        inputs = itertools.islice(generated(rng, options.count, options.cli), options.start, None)
        if options.start:
            print(f"from input {options.start:,} of seed {options.seed}", flush=True)

    def tally(slot: int, item: tuple[str, object, int], outcome: Outcome | None) -> None:
        nonlocal worst
        mode, payload, index = item
        tallies["tried"] += 1
        if outcome is None:
            tallies["hangs"] += 1
            kept = found.keep(slot, "hang", mode, index)
            failures.append(f"hang ({mode} #{index}): {show(payload)} -> {kept}")
        else:
            if outcome.kind != "ok":
                tallies["tracebacks" if outcome.kind == "traceback" else "wrong exit"] += 1
                kept = found.keep(slot, outcome.kind.replace(" ", "-"), mode, index)
                failures.append(f"{outcome.kind} ({mode} #{index}): {show(payload)} -> {kept}")
                failures.append(outcome.detail)
            if outcome.cpu > SLOW_SECONDS:
                tallies["over 2 s"] += 1
                found.keep(slot, "slow", mode, index)
            worst.append((outcome.cpu, f"{mode} #{index}", show(payload)))
            worst = sorted(worst, key=lambda w: -w[0])[:5]
        if tallies["tried"] % options.every == 0:
            figures = ", ".join(f"{name} {value:,}" for name, value in tallies.items())
            print(f"  {mode} #{index:,}: {figures} in {time.monotonic() - started:,.0f}s", flush=True)

    exhausted = False
    while True:
        for watched in workers:
            if watched.item is None and not exhausted:
                item = next(inputs, None)
                if item is None:
                    exhausted = True
                    break
                found.before(watched.slot, item[0], item[2], options.seed, item[1])
                watched.send(item)
        busy = [watched for watched in workers if watched.item is not None]
        if not busy:
            break
        ready = multiprocessing.connection.wait([watched.connection for watched in busy], timeout=1.0)
        for watched in busy:
            item = watched.item
            assert item is not None
            if watched.connection in ready:
                tally(watched.slot, item, watched.receive())
            elif watched.overdue():
                watched.replace()
                tally(watched.slot, item, None)
    for watched in workers:
        watched.stop()
    print(" / ".join(tallies))
    print(" / ".join(f"{value:,}" for value in tallies.values()))
    print("target: 0 tracebacks, 0 wrong exit codes, 0 hangs")
    print(f"wall time: {time.monotonic() - started:,.0f}s with {len(workers)} worker(s)")
    print("worst inputs (CPU seconds):")
    for cpu, where, summary in worst:
        print(f"  {cpu:6.2f}s {where:<12} {summary}")
    for failure in failures[:40]:
        print(failure)


def generated(rng: random.Random, count: int, cli: int) -> Iterator[tuple[str, object, int]]:
    """The inputs of one seed, in order: `count` texts for check(), then `cli` inputs for the command
    line (the same seed always gives the same inputs, so input N of a long run is input N of a short)."""
    for index in range(count):
        yield "check", hostile_text(rng), index
    for index in range(cli):
        yield "cli", hostile_bytes(rng), index


if __name__ == "__main__":
    main()
