"""`septfois edit [FILE]`: the terminal editor, and where the sent post goes once it closes."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path

from septfois.cli.options import UsageError, add_check_options
from septfois.errors import EXIT_OK

NAME = "edit"
EXIT_NOT_SENT = 1


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        NAME,
        help="write a post in the terminal editor; findings appear as you type (the default in a terminal)",
        description="Write a post with live findings. Sending prints the post on stdout "
        "(septfois edit | tool), saves it as a post file, or copies it. "
        "Exit code 0 when sent or saved, 1 when you quit without sending.",
    )
    parser.add_argument(
        "file", nargs="?", type=Path, metavar="FILE", help="post file to open (created on save)"
    )
    add_check_options(parser, fail_on=False)
    parser.add_argument(
        "--countdown",
        type=int,
        metavar="SECONDS",
        help="seconds before 'send anyway' (default: send_countdown, 7)",
    )
    parser.set_defaults(handler=run, fail_on=None)


@contextlib.contextmanager
def terminal() -> Iterator[None]:
    """Standard streams that are not the terminal are pointed at /dev/tty while the UI runs, then given back.

    Textual reads stdin, draws on stderr and asks stdout for the terminal size: with `septfois edit | tool`
    the UI would be drawn for 80x24 whatever the window. The pipe gets the sent post once the UI is closed.
    """
    sys.stdout.flush()
    sys.stderr.flush()
    needs = [fd for fd in (0, 1, 2) if not os.isatty(fd)]
    if not needs:
        yield
        return
    try:
        tty = os.open("/dev/tty", os.O_RDWR)
    except OSError:
        raise UsageError(
            "the editor needs a terminal (no /dev/tty); use `septfois check` for piped text"
        ) from None
    saved = {fd: os.dup(fd) for fd in needs}
    try:
        for fd in needs:
            os.dup2(tty, fd)
        yield
    finally:
        for fd, copy in saved.items():
            os.dup2(copy, fd)
            os.close(copy)
        os.close(tty)


def run(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from septfois.cli.service import configured
    from septfois.tui.app import create_app

    config = configured(args)
    if args.countdown is not None:
        config = replace(config, send_countdown=max(0, args.countdown))

    def make_checker():
        from septfois.findings.engine import Checker

        return Checker(config, extra_packs=args.pack, disabled=args.disable)

    app = create_app(
        config,
        path=args.file,
        checker_factory=make_checker,
        lang=args.lang,
        kind="reply" if args.reply else "post",
    )
    with terminal():
        result = app.run()
    messages = app.messages
    if result is None:
        if app.draft_kept():
            print(messages("exit.draft_kept", path=app.drafts.path), file=sys.stderr)
        return EXIT_NOT_SENT
    if result.destination == "stdout":
        text = result.text
        if sys.stdout.isatty() and not text.endswith("\n"):
            text += "\n"  # keep the shell prompt off the post's last line; a pipe gets the exact text
        sys.stdout.write(text)
        sys.stdout.flush()
    elif result.destination == "clipboard":
        print(messages("exit.copied"), file=sys.stderr)
    else:
        print(messages("exit.saved", path=result.path), file=sys.stderr)
    return EXIT_OK
