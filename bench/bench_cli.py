"""Benchmark: the command line as people run it (quick check, first run, hook, batch, memory) vs targets."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import batches

# A French post of exactly 280 characters, the length a quick check is judged on.
POST = (
    "Les prix vont exploser en 2027, je vous le garantis mdr. Notre directeur Jean Dupont a dit que "
    "c'était une blague, mais franchement on ne rigole plus avec ça. Contactez-moi au 06 12 34 56 78 "
    "pour en parler, ou passez à l'agence de Lyon mardi prochain avant midi, on vous attend !!"
)
POST = (POST + " " * 280)[:280]
QUICK_RUNS = 25
HOOK_RUNS = 10
BATCH_POSTS = 1000
BATCH_RUNS = 3


def septfois(args: list[str], env: dict[str, str], cwd: Path, stdin: bytes = b"") -> tuple[float, int]:
    """Wall time and peak resident memory (KB, from wait4) of one `septfois ARGS` process."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "septfois", *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=cwd,
        env=env,
    )
    assert process.stdin is not None
    process.stdin.write(stdin)
    process.stdin.close()
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode not in (0, 1):
        raise SystemExit(f"septfois {' '.join(args)} exited {process.returncode}")
    return elapsed, usage.ru_maxrss


def daemon_status(env: dict[str, str], cwd: Path) -> dict[str, object]:
    code = (
        "import json, septfois.server.client as d; p = d.paths(); "
        "print(json.dumps(d.ask(p, 'status') if p else None))"
    )
    done = subprocess.run([sys.executable, "-c", code], env=env, cwd=cwd, capture_output=True, check=True)
    return json.loads(done.stdout) or {}


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=True)


def row(case: str, figure: str, target: str) -> None:
    print(f"{case:<80}{figure:>14}{target:>12}", flush=True)


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        runtime = work / "run"
        runtime.mkdir(mode=0o700)
        # A private server, user folders and no configuration: the user's own are left alone.
        env = {key: value for key, value in os.environ.items() if not key.startswith("SEPTFOIS_")}
        env.update(
            HOME=str(work / "home"),
            XDG_RUNTIME_DIR=str(runtime),
            XDG_CONFIG_HOME=str(work / "home" / ".config"),
            XDG_DATA_HOME=str(work / "home" / ".local" / "share"),
            SEPTFOIS_DAEMON_IDLE="300",
            GIT_AUTHOR_NAME="bench",
            GIT_AUTHOR_EMAIL="bench@example.com",
            GIT_COMMITTER_NAME="bench",
            GIT_COMMITTER_EMAIL="bench@example.com",
        )
        alone = {**env, "SEPTFOIS_NO_DAEMON": "1"}
        post = POST.encode()
        print(f"{'case':<80}{'figure':>14}{'target':>12}")
        try:
            first, _ = septfois(["check", "-"], env, work, post)
            row("first quick check, no server running (starts it)", f"{first:.2f} s", "6.00 s")
            inproc, inproc_rss = septfois(["check", "--no-daemon", "-"], alone, work, post)
            row("the same, in-process (--no-daemon)", f"{inproc:.2f} s", "-")

            samples = [septfois(["check", "-"], env, work, post)[0] for _ in range(QUICK_RUNS)]
            quick = statistics.median(samples)
            row(
                f"quick check, 280-char French post, median of {QUICK_RUNS}",
                f"{quick * 1000:.0f} ms",
                "150 ms",  # issue 12, item 5: the quick check stays at or under 0.15 s
            )
            row("  slowest of those runs", f"{max(samples) * 1000:.0f} ms", "-")

            repo = work / "repo"
            repo.mkdir()
            git(repo, "init", "-q")
            posts = batches.dev_posts()
            for number, item in enumerate(posts[:20]):
                (repo / f"post{number:02d}.md").write_text(item["text"] + "\n", encoding="utf-8")
            git(repo, "add", ".")
            hooks = [septfois(["hook", "run"], env, repo)[0] for _ in range(HOOK_RUNS)]
            row(
                f"hook run, 20 staged posts, median of {HOOK_RUNS}",
                f"{statistics.median(hooks):.2f} s",
                "1.00 s",
            )

            for kind, posts_of in (("distinct", batches.distinct), ("repeated dev", batches.repeated)):
                chosen = posts_of(BATCH_POSTS)
                batch = work / "batch.jsonl"
                batch.write_text(batches.jsonl(chosen), encoding="utf-8")
                label = f"{BATCH_POSTS} {kind} posts ({batches.mean_length(chosen):.0f} chars)"
                runs = [septfois(["check", "--jsonl", str(batch)], env, work)[0] for _ in range(BATCH_RUNS)]
                warm = statistics.median(runs)
                row(
                    f"--jsonl, {label}, warm server, median of {BATCH_RUNS}",
                    f"{BATCH_POSTS / warm:.0f} posts/s",
                    "300 posts/s",  # issue 12, item 5: a --jsonl batch at 300 posts/s or more
                )
            cold, _ = septfois(["check", "--no-daemon", "--jsonl", str(batch)], alone, work)
            row(
                f"--jsonl, {BATCH_POSTS} repeated dev posts, in-process (models loaded too)",
                f"{BATCH_POSTS / cold:.0f} posts/s",
                "-",
            )

            status = daemon_status(env, work)
            row(
                "server peak RSS (French and English loaded)",
                f"{status.get('peak_rss_mb', 0):.0f} MB",
                "600 MB",
            )
            row("in-process quick check peak RSS (French only)", f"{inproc_rss / 1024:.0f} MB", "600 MB")
        finally:
            subprocess.run(
                [sys.executable, "-m", "septfois", "daemon", "stop"], env=env, cwd=work, capture_output=True
            )


if __name__ == "__main__":
    main()
