"""Terminal UI benchmark: time to the first screen, and findings latency after a keystroke on a long post.

Targets (issue 5): first screen within 1 s of launch; once models are loaded, findings updated within
100 ms of the last keystroke for a 3,000-character post. Issue 14: a paste of 20,000 "#" in the editor
within 1 s and the next key answered within 1 s more. This prints figures; it asserts nothing.

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


async def paste_seconds(length: int, *, real: bool, budget: float) -> tuple[float, float, bool]:
    """(seconds until a paste of `length` "#" is in the editor, seconds until the next key is, settled).

    With `real` the built-in checker runs in its thread as in the editor (its cost on such text is the
    engine's); `settled` says whether its findings arrived within `budget` seconds.
    """
    from textual import events

    from septfois.config import Config
    from septfois.findings.engine import Checker
    from septfois.model import Post
    from septfois.tui.app import create_app

    checker = Checker(Config()) if real else SilentChecker()
    if real:
        checker.check(Post(text="bonjour", lang="fr"))  # type: ignore[attr-defined]
    with tempfile.TemporaryDirectory() as drafts:
        app = create_app(Config(platforms=("x", "linkedin")), checker=checker,  # type: ignore[arg-type]
                         drafts_dir=Path(drafts), cursor_blink=False, warm_up=False)  # fmt: skip
        async with app.run_test(size=(80, 24)) as pilot:
            while not app.is_settled():
                await pilot.pause(0.01)
            start = time.perf_counter()
            app.post_message(events.Paste("#" * length))
            while len(app.editor.text) < length:
                await asyncio.sleep(0.005)
            pasted = time.perf_counter() - start
            await pilot.press("x")
            answered = time.perf_counter() - start - pasted
            while not app.is_settled() and time.perf_counter() - start < budget:
                await asyncio.sleep(0.05)
            settled = app.is_settled()
            print(
                f"paste of {length} '#' ({'built-in checker' if real else 'UI alone'}): in the editor after "
                f"{pasted:.2f} s, next key after {answered:.2f} s more (target: 1 s each); findings "
                f"{'shown' if settled else f'not shown after {budget:.0f} s'}",
                flush=True,
            )
            if not settled:
                os._exit(0)  # the checker thread cannot be interrupted, and would hold the exit
    return pasted, answered, settled


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
    asyncio.run(paste_seconds(args.paste, real=False, budget=60))
    # Last: when the engine cannot check the paste within the budget, this ends the process.
    asyncio.run(paste_seconds(args.paste, real=True, budget=120))


if __name__ == "__main__":
    main()
