"""Terminal UI benchmark: time to the first screen, and findings latency after a keystroke on a long post.

Targets (issue 5): first screen within 1 s of launch; once models are loaded, findings updated within
100 ms of the last keystroke for a 3,000-character post. Issue 14: a paste of 20,000 "#", 64 KB or 1 MB
of ordinary text in the editor within 1 s, keys answered and the draft saved within 1 s while the check
runs (in its own process), the UI never stalled for 1 s. This prints figures; it asserts nothing.

    /work/venv/bin/python bench/bench_tui.py [--rounds 20]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PARAGRAPH = (
    "Chers collègues, nous lançons aujourd'hui la nouvelle version de notre service. "
    "Merci à toutes les équipes qui ont travaillé sur ce projet depuis le printemps. "
    "Les retours de nos clients pilotes ont été précieux et nous continuerons à les écouter. "
)


def post_of(length: int) -> str:
    """A French post of `length` characters in paragraphs of three sentences, with a risky last line."""
    text = ("\n\n".join([PARAGRAPH.strip()] * (length // len(PARAGRAPH) + 1)))[:length]
    return text[:-30] + " Les prix vont exploser mdr !"


def first_screen_seconds(rounds: int) -> list[float]:
    """Launch the installed entry point in tmux and time until the editor's footer is drawn."""
    tmux = shutil.which("tmux")
    entry = Path(sys.executable).with_name("septfois")
    if tmux is None or not entry.exists():
        return []
    times = []
    for index in range(rounds):
        socket = f"septfois-bench-{os.getpid()}-{index}"
        with tempfile.TemporaryDirectory() as home:
            command = f"env HOME={home} XDG_DATA_HOME={home}/data SEPTFOIS_NO_CONFIG=1 {entry} edit"
            start = time.perf_counter()
            subprocess.run(
                [tmux, "-L", socket, "new-session", "-d", "-x", "120", "-y", "40", command], check=True
            )
            try:
                while True:
                    screen = subprocess.run(
                        [tmux, "-L", socket, "capture-pane", "-p"], capture_output=True, text=True
                    ).stdout
                    if "^t Send" in screen:
                        times.append(time.perf_counter() - start)
                        break
                    if time.perf_counter() - start > 30:
                        break
                    time.sleep(0.01)
            finally:
                subprocess.run([tmux, "-L", socket, "kill-server"], capture_output=True)
    return times


async def keystroke_latencies(rounds: int, length: int) -> tuple[list[float], list[float], float]:
    """(UI latencies, bare check() times, model load time) for edits at the end of a `length` post."""
    from septfois.config import Config
    from septfois.findings.engine import Checker
    from septfois.model import Post
    from septfois.tui.app import create_app

    loading = time.perf_counter()
    checker = Checker(Config())
    text = post_of(length)
    checker.check(Post(text=text))
    load_seconds = time.perf_counter() - loading
    bare = []
    for _ in range(rounds):
        start = time.perf_counter()
        checker.check(Post(text=text))
        bare.append(time.perf_counter() - start)
    with tempfile.TemporaryDirectory() as drafts:
        app = create_app(Config(platforms=("x", "linkedin")), text=text, checker=checker,
                         drafts_dir=Path(drafts), cursor_blink=False, warm_up=False)  # fmt: skip
        latencies = []
        async with app.run_test(size=(120, 40)) as pilot:
            while not app.is_settled():
                await pilot.pause(0.01)
            app.editor.move_cursor(app.editor.document.end)
            for index in range(rounds):
                start = time.perf_counter()
                await pilot.press("x" if index % 2 == 0 else "backspace")
                while not app.is_settled():
                    await asyncio.sleep(0.002)
                latencies.append(time.perf_counter() - start)
    return latencies, bare, load_seconds


class SilentChecker:
    """A checker that finds nothing at once: what is left of a paste's cost is the UI's own."""

    def check(self, post: object, *, ui_lang: str | None = None) -> object:
        from septfois.model import Report

        return Report(source="-", lang="fr", analysis="none", findings=())


async def paste_probe(label: str, text: str, *, real: bool, budget: float) -> None:
    """Paste `text` into the editor, then type three keys while its check runs, and print: seconds until
    the paste is in the editor, until each key is (posted as the terminal would, not through Pilot, whose
    waits last as long as the process is busy), until the draft holds it all, until findings are shown,
    and the longest stall of the UI's event loop meanwhile. Targets: 1 s for each, never a frozen screen.
    """
    from textual import events

    from septfois.config import Config
    from septfois.findings.engine import Checker
    from septfois.model import Post
    from septfois.tui.app import create_app
    from septfois.tui.drafts import DraftStore

    checker = Checker(Config()) if real else SilentChecker()
    if real:
        checker.check(Post(text="bonjour", lang="fr"))  # type: ignore[attr-defined]
    with tempfile.TemporaryDirectory() as drafts:
        app = create_app(Config(platforms=("x", "linkedin")), checker=checker,  # type: ignore[arg-type]
                         drafts_dir=Path(drafts), cursor_blink=False, warm_up=False)  # fmt: skip
        async with app.run_test(size=(80, 24)) as pilot:
            while not app.is_settled():
                await pilot.pause(0.01)
            stall = 0.0
            watching = True

            async def watch() -> None:
                nonlocal stall
                while watching:
                    before = time.perf_counter()
                    await asyncio.sleep(0.01)
                    stall = max(stall, time.perf_counter() - before - 0.01)

            watcher = asyncio.ensure_future(watch())
            start = time.perf_counter()
            app.post_message(events.Paste(text))
            while len(app.editor.text) < len(text):
                await asyncio.sleep(0.005)
            pasted = time.perf_counter() - start
            keys = []
            for char in "xyz":
                before, typed = app.editor.text, time.perf_counter()
                app.post_message(events.Key(char, char))
                while app.editor.text == before:
                    await asyncio.sleep(0.002)
                keys.append(time.perf_counter() - typed)
                await asyncio.sleep(0.3)
            waited, saved = time.perf_counter(), None
            while saved is None and time.perf_counter() - waited < 5:
                draft = DraftStore(Path(drafts)).load()
                if draft is not None and draft.text == app.editor.text:
                    saved = time.perf_counter() - waited
                await asyncio.sleep(0.02)
            while not app.is_settled() and time.perf_counter() - start < budget:
                await asyncio.sleep(0.05)
            settled = time.perf_counter() - start if app.is_settled() else None
            watching = False
            await watcher
            print(
                f"paste of {label} ({'built-in checker' if real else 'UI alone'}): in the editor after "
                f"{pasted:.2f} s; keys after {', '.join(f'{key:.2f}' for key in keys)} s; draft saved "
                + (f"{saved:.2f} s after" if saved is not None else "NOT within 5 s")
                + "; findings "
                + (f"after {settled:.1f} s" if settled is not None else f"not shown after {budget:.0f} s")
                + f"; longest UI stall {stall:.2f} s (target: 1 s each); load {os.getloadavg()[0]:.1f}",
                flush=True,
            )


def show(name: str, values: list[float], target: float | None = None) -> None:
    if not values:
        print(f"{name}: not measured")
        return
    ordered = sorted(values)
    p90 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.9))]
    verdict = (
        ""
        if target is None
        else ("  (target met)" if p90 <= target else f"  (target {target * 1000:.0f} ms missed)")
    )
    median = statistics.median(values) * 1000
    print(f"{name}: median {median:.0f} ms, p90 {p90 * 1000:.0f} ms, n={len(values)}{verdict}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--launches", type=int, default=5)
    parser.add_argument("--length", type=int, default=3000)
    parser.add_argument("--paste", type=int, default=20000, help="length of the pasted run of #")
    args = parser.parse_args()
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cpus, load average {os.getloadavg()[0]:.1f}")
    show("first screen after launch (tmux, installed entry point)", first_screen_seconds(args.launches), 1.0)
    latencies, bare, load_seconds = asyncio.run(keystroke_latencies(args.rounds, args.length))
    print(f"checker and models loaded in {load_seconds:.1f} s (in the background in the UI)")
    show(f"check() alone on a {args.length}-character post", bare)
    show(f"keystroke to findings shown, {args.length}-character post", latencies, 0.1)
    pastes = [(f"{args.paste:,} '#'", "#" * args.paste), ("64 KB of ordinary text", post_of(64_000)),
              ("1 MB of ordinary text", post_of(1_000_000))]  # fmt: skip
    for label, text in pastes:
        asyncio.run(paste_probe(label, text, real=False, budget=60))
        asyncio.run(paste_probe(label, text, real=True, budget=150))


if __name__ == "__main__":
    main()
