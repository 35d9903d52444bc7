"""The check service the commands share (check, hook run, rules eval, edit): configuration from the
command line, the checker, the posts a path holds, and the exit code their reports give."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from septfois.config import Config, load_config
from septfois.errors import EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, InputError
from septfois.model import Level, Post, Report
from septfois.sources.postfile import LocatedPost

if TYPE_CHECKING:  # the engine loads spaCy lazily; the type alone costs nothing
    from multiprocessing.connection import Connection

    from septfois.cli.formats import Placed
    from septfois.cli.progress import Progress
    from septfois.findings.engine import Checker


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
        return EXIT_ERROR
    if fail_on == "never":
        return EXIT_OK
    threshold = Level.parse(fail_on)
    worst = max((r.worst() or 0 for r in reports), default=0)
    return EXIT_FINDINGS if worst >= threshold else EXIT_OK


def check_located(
    checker: Checker, items: Iterable[LocatedPost], progress: Progress | None = None
) -> list[Placed]:
    """Check posts read from files; notes (a pattern skipped for time) go to stderr.

    Findings of an acknowledged rule are kept apart, with the author's reason, for the outputs that
    record them (SARIF's suppressions); the others never show them.
    """
    return [_placed(item, checker.check(_as_checked(item), source=item.source), progress) for item in items]


def check_located_within(
    checker: Checker, items: Sequence[LocatedPost], seconds: float
) -> tuple[list[Placed], LocatedPost | None]:
    """`check_located` within a time budget: the posts are checked in a child process, stopped when the
    budget runs out. Returns the posts checked by then, and the post the budget ran out on (or None).
    The budget counts checking, not loading the language models.

    Where no child process can be forked, the posts are checked here, without a budget.
    """
    from septfois.server.child import Child, can_fork

    if not items or not can_fork():
        return check_located(checker, items), None

    # The models load here, once, outside the budget: the child has them from the start.
    for lang in checker.config.languages:
        checker.check(Post(text="septfois", lang=lang))

    def check_all(parent: Connection) -> None:
        for item in items:
            parent.send(checker.check(_as_checked(item), source=item.source))

    deadline = time.monotonic() + seconds
    child = Child.start(check_all)
    placed: list[Placed] = []
    try:
        for item in items:
            if not child.ready(max(0.0, deadline - time.monotonic())):
                return placed, item
            try:
                report = child.receive()
            except EOFError:
                raise InputError(f"{item.source}: the check process ended before answering") from None
            placed.append(_placed(item, report, None))  # type: ignore[arg-type]
    finally:
        child.stop()
    return placed, None


def _as_checked(item: LocatedPost) -> Post:
    # Acknowledged rules are still run: their findings are set apart by _placed, not lost.
    return replace(item.post, acknowledged=()) if item.post.acknowledged else item.post


def _placed(item: LocatedPost, found: Report, progress: Progress | None) -> Placed:
    from septfois.cli.formats import Placed

    # Findings are located in the post's text; `place` moves them to where the author sees them.
    report = item.place(found)
    for note in report.notes:
        if progress is not None:
            progress.close()
        print(f"septfois: {item.source}: {note}", file=sys.stderr)
    accepted = set(item.post.acknowledged)
    kept = tuple(f for f in report.findings if f.rule not in accepted)
    acknowledged = tuple((f, item.reasons.get(f.rule, "")) for f in report.findings if f.rule in accepted)
    return Placed(replace(report, findings=kept), item.file, item.content, acknowledged)


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
        return [LocatedPost("-", base_post(args, config, text), content=text)]
    suffix = Path(path).suffix.lower()
    if suffix in SCHEDULE_SUFFIXES:
        return located(read_schedule_file(Path(path)), path, base_post(args, config))
    content = read_path(Path(path))
    if suffix in POST_SUFFIXES:
        return located(content, path, base_post(args, config))
    return [LocatedPost(path, base_post(args, config, content), content=content)]
