"""`septfois check`: posts from files, stdin or JSON Lines, reported in the chosen format."""

from __future__ import annotations

import argparse
import gc
import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

from septfois.cli.options import UsageError, add_check_options
from septfois.cli.progress import Progress
from septfois.cli.service import base_post, check_located, configured, exit_code, make_checker, posts_from
from septfois.errors import InputError
from septfois.model import Post, Report

if TYPE_CHECKING:  # the engine loads spaCy lazily; the type alone costs nothing
    from septfois.cli.formats import Placed, RuleDoc
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
        "paths",
        nargs="*",
        metavar="PATH",
        help="post files, schedules, or folders (their post and schedule files, less what git ignores); "
        "- for stdin (the default when text is piped)",
    )
    parser.add_argument(
        "--jsonl", metavar="FILE", help="check one JSON post per line (- for stdin); writes JSON Lines"
    )
    parser.add_argument("--format", choices=FORMATS, help="output format (default: text)")
    parser.add_argument(
        "-q", "--quiet", action="store_true", help="text output: print only the posts that have findings"
    )
    parser.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default="auto",
        help="colour the levels: auto (when stdout is a terminal and NO_COLOR is unset), always, never",
    )
    add_check_options(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    if args.jsonl is not None:
        if args.paths:
            raise UsageError("give either --jsonl FILE or post paths, not both")
        if args.format not in (None, "json"):
            raise UsageError("--jsonl writes JSON Lines; it cannot be combined with --format " + args.format)
        return run_batch(args)
    paths = list(args.paths)
    if not paths:
        if sys.stdin is None or sys.stdin.isatty():
            raise UsageError("nothing to check: give post files, - for stdin, or pipe text in")
        paths = ["-"]
    config = configured(args)
    checker = make_checker(args, config)
    results: list[Placed] = []
    unreadable = 0
    files = expand(paths)
    progress = Progress(sys.stderr, len(files), "files", config.ui_language) if len(files) > 1 else None
    for path in files:
        try:
            if isinstance(path, InputError):
                raise path
            sources = posts_from(path, args, config)
            results.extend(check_located(checker, sources, progress))
        except InputError as error:
            if progress is not None:
                progress.close()
            print(f"septfois: {error}", file=sys.stderr)
            unreadable += 1
        if progress is not None:
            progress.advance()
    if progress is not None:
        progress.close()
    from septfois.cli.formats import render, summary, text

    fmt = args.format or "text"
    if fmt == "text":
        out = text(results, colour=colour_wanted(args.color), ui_lang=config.ui_language, quiet=args.quiet)
        out += summary(results, unreadable=unreadable, ui_lang=config.ui_language)
    else:
        out = render(results, fmt, ui_lang=config.ui_language, rules=rule_docs(checker, config.ui_language))
    sys.stdout.write(out)
    sys.stdout.flush()
    return exit_code([item.report for item in results], config.fail_on, unreadable > 0)


def colour_wanted(choice: str) -> bool:
    """--color: always, never, or (auto) when stdout is a terminal and NO_COLOR is unset or empty."""
    if choice != "auto":
        return choice == "always"
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


def expand(paths: Iterable[str]) -> list[str | InputError]:
    """The paths to check: a folder becomes its post and schedule files (an error in its place when
    it cannot be listed); a file, or -, is itself."""
    from septfois.sources.folders import files_under

    found: list[str | InputError] = []
    for path in paths:
        if path != "-" and os.path.isdir(path):
            try:
                listed = files_under(path)
            except InputError as error:
                found.append(error)
                continue
            if not listed:
                print(f"septfois: {path}: no post or schedule files in this folder", file=sys.stderr)
            found.extend(listed)
        else:
            found.append(path)
    return found


def rule_docs(checker: Checker, ui_lang: str) -> dict[str, RuleDoc]:
    """What SARIF says of each active rule."""
    from septfois.cli.formats import RuleDoc

    return {
        rule.id: RuleDoc(
            rule.id,
            _in(rule.why, ui_lang),
            f"{_in(rule.why, ui_lang)} {_in(rule.suggestion, ui_lang)}",
            rule_uri(rule.file, rule.line),
            rule.category,
        )
        for rule in checker.rules
    }


def _in(texts: Mapping[str, str], ui_lang: str) -> str:
    return texts.get(ui_lang) or texts.get("en") or next(iter(texts.values()), "")


def rule_uri(file: str, line: int | None) -> str | None:
    """Where a rule is written down, as a URI: its pack file (a built-in pack is named rules/NAME.toml,
    and lives in the installed package), at the rule's line."""
    from importlib import resources

    path = Path(file)
    if not path.is_absolute():
        shipped = Path(str(resources.files("septfois").joinpath(file)))
        path = shipped if shipped.is_file() else path.resolve()
    if not path.is_file():
        return None
    return path.as_uri() + (f"#L{line}" if line else "")


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
            raise UsageError(f"SEPTFOIS_BATCH_WORKERS must be a whole number (got {setting!r})")
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
    progress = Progress(sys.stderr, None, "posts", config.ui_language)
    if progress.on:  # counting reads the whole file: only worth it for a bar someone sees
        progress.total = _line_count(args.jsonl)

    def write(checked: Checked) -> None:
        for line, report in checked:
            reports.append(report)
            sys.stdout.write(line)
        sys.stdout.flush()
        progress.advance(len(checked))

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
                    progress.close()
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
        progress.close()
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)
    sys.stdout.flush()
    return exit_code(reports, config.fail_on, had_error)


def _line_count(name: str) -> int | None:
    """Posts a JSON Lines file holds at most (its non-blank lines), for the progress bar; None for stdin
    or a file that cannot be read (reading it reports that)."""
    if name == "-":
        return None
    try:
        with open(name, "rb") as stream:
            return sum(1 for line in stream if line.strip())
    except OSError:
        return None
