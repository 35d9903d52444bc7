"""Benchmark: a quick check answered while stuck and slow checks hold the same background process."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_cli import daemon_status

POST = "Les prix vont exploser en 2027, je vous le garantis. Appelez-moi au 06 12 34 56 78."
RUNS = 10
# An ordinary quick check on a busy server may cost what one on an idle server costs, and a bit more
# for sharing the cores: at most this many times as long.
TARGET_RATIO = 2.0
TARGET_FREED_SECONDS = 1.0


def quick(env: dict[str, str], cwd: Path) -> float:
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "septfois", "check", "-"],
        input=POST.encode(),
        capture_output=True,
        env=env,
        cwd=cwd,
    )
    if done.returncode != 1:
        raise SystemExit(f"the quick check exited {done.returncode}: {done.stderr.decode()}")
    return time.perf_counter() - started


def median_quick(env: dict[str, str], cwd: Path) -> float:
    return statistics.median(quick(env, cwd) for _ in range(RUNS))


def busy_clients(env: dict[str, str], cwd: Path) -> list[subprocess.Popen[bytes]]:
    """Two checks waiting for ever on a silent stdin, and one pathological post (`l'` × 8,000)."""
    pathological = cwd / "l_apostrophe_run.txt"
    pathological.write_text("l'" * 8000, encoding="utf-8")
    clients = []
    for _ in range(2):
        stuck = subprocess.Popen(
            [sys.executable, "-m", "septfois", "check", "-"],
            stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=cwd,
        )  # fmt: skip
        assert stuck.stdin is not None
        stuck.stdin.write(b"Un message qui ne finit ")
        stuck.stdin.flush()
        clients.append(stuck)
    clients.append(
        subprocess.Popen(
            [sys.executable, "-m", "septfois", "check", str(pathological)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=env,
            cwd=cwd,
        )
    )
    return clients


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        runtime = root / "run"
        runtime.mkdir(mode=0o700)
        env = {key: value for key, value in os.environ.items() if key != "SEPTFOIS_NO_DAEMON"}
        env.update(XDG_RUNTIME_DIR=str(runtime), HOME=str(root), SEPTFOIS_NO_CONFIG="1")
        try:
            quick(env, root)  # starts and warms the server
            idle = median_quick(env, root)
            clients = busy_clients(env, root)
            deadline = time.monotonic() + 60
            while len(daemon_status(env, root).get("running", [])) < 3 and time.monotonic() < deadline:
                time.sleep(0.1)
            busy = median_quick(env, root)
            running = daemon_status(env, root).get("running", [])
            started = time.perf_counter()
            for client in clients:
                client.kill()
                client.wait()
            while daemon_status(env, root).get("running") and time.perf_counter() - started < 30:
                time.sleep(0.02)
            freed = time.perf_counter() - started
        finally:
            subprocess.run(
                [sys.executable, "-m", "septfois", "daemon", "stop"], env=env, cwd=root, capture_output=True
            )
    print(f"{'case':58} {'figure':>10} {'target':>10}")
    print(f"{f'quick check, idle server (median of {RUNS})':58} {idle * 1000:8.0f} ms {'—':>10}")
    print(
        f"{'quick check beside 2 stuck + 1 pathological (median)':58} {busy * 1000:8.0f} ms"
        f" {idle * TARGET_RATIO * 1000:7.0f} ms"
    )
    print(f"{'runs held by the busy clients while it answered':58} {len(running):10d} {3:>10}")
    print(
        f"{'their workers gone after their clients were killed':58} {freed:8.2f} s"
        f" {TARGET_FREED_SECONDS:8.2f} s"
    )


if __name__ == "__main__":
    main()
