"""`septfois check`: posts from files, stdin or JSON Lines, reported in the chosen format."""

from __future__ import annotations

import argparse
import gc
import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from septfois.cli import main as cli
from septfois.config import Config, load_config
from septfois.errors import InputError
from septfois.model import Level, Post, Report
from septfois.sources.postfile import LocatedPost

if TYPE_CHECKING:  # the engine loads spaCy lazily; the type alone costs nothing
    from septfois.findings.engine import Checker

NAME = "check"
# Posts of a JSON Lines batch checked together (and written out together).
BATCH_LINES = 64
# Worker processes at most for a JSON Lines batch, and batches handed to them ahead of the output.
MAX_WORKERS = 4
IN_FLIGHT = 8
# Set by a process whose other threads never hold a lock a forked worker could need (the background
# server: see `septfois.server.server.Server`); its batches may then use workers like a lone process.
other_threads_fork_safe = False


def register(sub: argparse._SubParsersAction) -> None:
    from septfois.cli.formats import FORMATS

    parser = sub.add_parser(NAME, help="check posts from files, stdin or a JSON Lines batch")
    parser.add_argument(
        "paths", nargs="*", metavar="PATH", help="post files; - for stdin (the default when text is piped)"
    )
    parser.add_argument(
        "--jsonl", metavar="FILE", help="check one JSON post per line (- for stdin); writes JSON Lines"
    )
    parser.add_argument("--format", choices=FORMATS, help="output format (default: text)")
    cli.add_check_options(parser)
    parser.set_defaults(handler=run)


def configured(args: argparse.Namespace) -> Config:
    """The configuration file's settings, overridden by what the command line says."""
    config = load_config(args.config)
    changes: dict[str, object] = {}
    if args.fail_on:
        changes["fail_on"] = args.fail_on
    if args.ui_lang:
        changes["ui_language"] = args.ui_lang
    if args.platform:
        changes["platforms"] = tuple(dict.fromkeys(args.platform))
    if args.account:
        changes["account"] = args.account
    return replace(config, **changes) if changes else config


def make_checker(args: argparse.Namespace, config: Config) -> Checker:
    from septfois.findings.engine import Checker

    return Checker(config, extra_packs=args.pack, disabled=args.disable)


def base_post(args: argparse.Namespace, config: Config, text: str = "") -> Post:
    return Post(text=text, lang=args.lang, account=config.account, kind="reply" if args.reply else "post")


def exit_code(reports: Iterable[Report], fail_on: str, had_error: bool) -> int:
    if had_error:
        return cli.EXIT_ERROR
    if fail_on == "never":
        return cli.EXIT_OK
    threshold = Level.parse(fail_on)
    worst = max((r.worst() or 0 for r in reports), default=0)
    return cli.EXIT_FINDINGS if worst >= threshold else cli.EXIT_OK


def run(args: argparse.Namespace) -> int:
    if args.jsonl is not None:
        if args.paths:
            raise cli.UsageError("give either --jsonl FILE or post paths, not both")
        if args.format not in (None, "json"):
            raise cli.UsageError(
                "--jsonl writes JSON Lines; it cannot be combined with --format " + args.format
            )
        return run_batch(args)
    paths = list(args.paths)
    if not paths:
        if sys.stdin is None or sys.stdin.isatty():
            raise cli.UsageError("nothing to check: give post files, - for stdin, or pipe text in")
        paths = ["-"]
    config = configured(args)
    checker = make_checker(args, config)
    reports: list[Report] = []
    had_error = False
    for path in paths:
        try:
            sources = posts_from(path, args, config)
        except InputError as error:
            print(f"septfois: {error}", file=sys.stderr)
            had_error = True
            continue
        reports.extend(check_located(checker, sources))
    from septfois.cli.formats import render

    fmt = args.format or "text"
    colour = fmt == "text" and sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    sys.stdout.write(render(reports, fmt, colour=colour, ui_lang=config.ui_language))
    sys.stdout.flush()
    return exit_code(reports, config.fail_on, had_error)


def check_located(checker: Checker, items: Iterable[LocatedPost]) -> list[Report]:
    """Check posts read from files; notes (a pattern skipped for time) go to stderr."""
    reports = []
    for item in items:
        # Findings are located in the post's text; `place` moves them to where the author sees them.
        report = item.place(checker.check(item.post, source=item.source))
        for note in report.notes:
            print(f"septfois: {item.source}: {note}", file=sys.stderr)
        reports.append(report)
    return reports


def posts_from(path: str, args: argparse.Namespace, config: Config) -> list[LocatedPost]:
    """The posts one path holds, with the context the command line and configuration give them.

    Post files (.md, .txt) may carry front matter and schedules (.csv, .jsonl) hold one post a row;
    what they say about a post wins over the command line and configuration.
    """
    from septfois.sources.inputs import decode, read_bounded, read_path
    from septfois.sources.postfile import POST_SUFFIXES, located
    from septfois.sources.schedule import SCHEDULE_SUFFIXES, read_schedule_file

    if path == "-":
        if sys.stdin is None:
            raise InputError("<stdin>: standard input is closed; give post files or pipe text in")
        text = decode(read_bounded(sys.stdin.buffer, "<stdin>"), "<stdin>")
        return [LocatedPost("-", base_post(args, config, text))]
    suffix = Path(path).suffix.lower()
    if suffix in SCHEDULE_SUFFIXES:
        return located(read_schedule_file(Path(path)), path, base_post(args, config))
    content = read_path(Path(path))
    if suffix in POST_SUFFIXES:
        return located(content, path, base_post(args, config))
    return [LocatedPost(path, base_post(args, config, content))]


def batch_workers() -> int:
    """Worker processes for a JSON Lines batch: one per usable core, at most MAX_WORKERS; 0 checks in
    this process. SEPTFOIS_BATCH_WORKERS sets the number. Workers are forked once the language models
    are loaded (each then holds them from the start), so by default only where forking is the usual
    way (Linux), and from a process without other threads unless they are known to be safe
    (`other_threads_fork_safe`): a child could be left waiting forever on a lock another thread held
    at that instant."""
    setting = os.environ.get("SEPTFOIS_BATCH_WORKERS", "").strip()
    if setting:
        if not setting.isdigit():
            raise cli.UsageError(f"SEPTFOIS_BATCH_WORKERS must be a whole number (got {setting!r})")
        return int(setting) if int(setting) > 1 else 0
    if not sys.platform.startswith("linux"):
        return 0
    if threading.active_count() > 1 and not other_threads_fork_safe:
        return 0
    cores = len(os.sched_getaffinity(0))
    return min(cores, MAX_WORKERS) if cores > 1 else 0


# Batch items: (the line's id, the post, its source).
Item = tuple[object, Post, str]
Checked = list[tuple[str, Report]]
_worker_checker: Checker | None = None  # a worker's own Checker, forked from the parent's


def _check_items(checker: Checker, items: list[Item]) -> Checked:
    from septfois.cli.formats import jsonl_line

    batch = checker.check_many([post for _, post, _ in items], sources=[src for _, _, src in items])
    return [
        (jsonl_line(item_id, report), report) for (item_id, _, _), report in zip(items, batch, strict=True)
    ]


def _adopt(checker: Checker) -> None:
    """Start a worker: keep the forked Checker; never write to the parent's streams (in the background
    server they are a client's connection), and leave Ctrl-C and termination to the parent."""
    global _worker_checker
    _worker_checker = checker
    from septfois.server import lifeline

    # Killed with whoever forked it (a process killed with SIGKILL cannot stop its workers itself).
    lifeline.die_with_parent(os.getppid())
    quiet = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - for the worker's whole life
    sys.stdin, sys.stdout, sys.stderr = None, quiet, quiet  # type: ignore[assignment]
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _check_in_worker(items: list[Item]) -> Checked:
    assert _worker_checker is not None
    return _check_items(_worker_checker, items)


class _InOrder:
    """Batches checked by workers, written out in input order as soon as each and those before it are done."""

    def __init__(self, write: Callable[[Checked], None]) -> None:
        self.write = write
        self.lock = threading.Lock()
        self.done: dict[int, Checked] = {}
        self.next = 0
        self.failure: BaseException | None = None
        self.room = threading.Semaphore(IN_FLIGHT)

    def collect(self, index: int, future: Future[Checked]) -> None:
        try:
            error = future.exception()
            with self.lock:
                if error is not None:
                    self.failure = self.failure or error
                    return
                self.done[index] = future.result()
                while self.next in self.done:
                    self.write(self.done.pop(self.next))
                    self.next += 1
        except BaseException as failure:  # writing failed (a closed pipe): the main thread raises it
            self.failure = self.failure or failure
        finally:
            self.room.release()


def run_batch(args: argparse.Namespace) -> int:
    """One JSON object per input line, carrying the line's id; a bad line is reported and skipped.

    Lines are checked in batches (the language models run faster over many posts at once); each
    batch's lines are written, in input order, as soon as the batch is done. With several cores and
    more than one batch, batches go to worker processes forked once the models are loaded (in a cold
    process, after the first batch, checked here), and the output is the same, byte for byte.
    """
    from septfois.sources.inputs import InputError, decode_line, parse_batch_line

    config = configured(args)
    checker = make_checker(args, config)
    base = base_post(args, config)  # what a line leaves out: --lang, --reply, the configured account
    workers = batch_workers()
    name = "<stdin>" if args.jsonl == "-" else args.jsonl
    if args.jsonl == "-" and sys.stdin is None:
        raise InputError("<stdin>: standard input is closed; give a JSON Lines file or pipe lines in")
    try:
        stream = sys.stdin.buffer if args.jsonl == "-" else open(args.jsonl, "rb")  # noqa: SIM115
    except OSError as error:
        raise InputError(f"{name}: cannot read: {error.strerror or error}") from None
    had_error = False
    reports: list[Report] = []
    pending: list[Item] = []
    pool: Any = None
    submitted = 0

    def write(checked: Checked) -> None:
        for line, report in checked:
            reports.append(report)
            sys.stdout.write(line)
        sys.stdout.flush()

    in_order = _InOrder(write)

    def flush(*, more_may_follow: bool) -> None:
        nonlocal pool, submitted
        items = list(pending)
        pending.clear()
        # Workers forked once every model is loaded start with them, each loaded once in all: a cold
        # process checks the first batch itself (which loads them) and forks for the next.
        if pool is None and workers and (reports or (more_may_follow and checker.models_loaded())):
            checker.load_models()
            sys.stdout.flush()
            sys.stderr.flush()
            pool = ProcessPoolExecutor(
                workers,
                mp_context=multiprocessing.get_context("fork"),
                initializer=_adopt,
                initargs=(checker,),
            )
        if pool is None:
            write(_check_items(checker, items))
            return
        in_order.room.acquire()
        if in_order.failure is not None:
            raise in_order.failure
        index = submitted
        submitted += 1
        if index == 0:
            # The first submission forks the workers. Frozen, the objects loaded so far are left out of
            # the workers' garbage collections, which would otherwise copy every page they sit on.
            gc.freeze()
            try:
                future = pool.submit(_check_in_worker, items)
            finally:
                gc.unfreeze()
        else:
            future = pool.submit(_check_in_worker, items)
        future.add_done_callback(lambda done: in_order.collect(index, done))

    try:
        with stream:
            for number, raw in enumerate(stream, start=1):
                if not raw.strip():
                    continue
                try:
                    item = parse_batch_line(decode_line(raw, name, number), name, number, base=base)
                except InputError as error:
                    print(f"septfois: {error}", file=sys.stderr)
                    had_error = True
                    continue
                pending.append((item.id, item.post, f"{name}:{number}"))
                if len(pending) >= BATCH_LINES:
                    flush(more_may_follow=True)
        if pending:
            flush(more_may_follow=False)
        if pool is not None:
            pool.shutdown(wait=True)
            if in_order.failure is not None:
                raise in_order.failure
    finally:
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)
    sys.stdout.flush()
    return exit_code(reports, config.fail_on, had_error)
