"""`septfois` and its subcommands: argument parsing, exit codes, and where output goes."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from types import ModuleType

from septfois import __version__
from septfois.errors import SeptfoisError

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR, EXIT_INTERNAL, EXIT_INTERRUPTED = 0, 1, 2, 3, 130


class UsageError(SeptfoisError):
    """Arguments that do not make sense together."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        # argparse's default exit code for usage errors is already 2; keep its message, add a hint.
        self.print_usage(sys.stderr)
        self.exit(EXIT_ERROR, f"{self.prog}: error: {message}\n")


def add_check_options(parser: argparse.ArgumentParser, *, fail_on: bool = True) -> None:
    """Options shared by every command that checks posts."""
    from septfois.findings.platforms import PLATFORMS
    from septfois.model import ACCOUNTS, LANGUAGES, LEVEL_NAMES, UI_LANGS

    parser.add_argument("--lang", choices=LANGUAGES, help="language of the post (default: detected)")
    parser.add_argument(
        "--platform",
        action="append",
        choices=sorted(PLATFORMS),
        metavar="NAME",
        help=f"platform to count length for; repeatable ({', '.join(sorted(PLATFORMS))})",
    )
    parser.add_argument("--account", choices=ACCOUNTS, help="who posts: a personal or a brand account")
    parser.add_argument("--reply", action="store_true", help="the post is a reply")
    if fail_on:
        parser.add_argument(
            "--fail-on",
            choices=(*LEVEL_NAMES, "never"),
            help="lowest level that makes the exit code 1 (default: error)",
        )
    parser.add_argument(
        "--config", type=Path, metavar="PATH", help="configuration file (default: discovered)"
    )
    parser.add_argument(
        "--pack",
        action="append",
        type=Path,
        default=[],
        metavar="PATH",
        help="extra rule pack file or folder; repeatable",
    )
    parser.add_argument(
        "--disable", action="append", default=[], metavar="RULE_ID", help="turn a rule off; repeatable"
    )
    parser.add_argument(
        "--ui-lang", choices=UI_LANGS, help="language of the messages (default: configuration, else en)"
    )
    # Read by daemon_client before parsing (entry()'s fast path); declared here for --help and so that
    # the server, which never receives it, and an in-process run accept the same command lines.
    parser.add_argument(
        "--no-daemon",
        action="store_true",
        help="run in this process, without the background process that keeps the models loaded "
        "(also SEPTFOIS_NO_DAEMON=1)",
    )


# Optional subcommand modules: the terminal UI and git hooks. Each module has NAME and
# `register(subparsers)`, which sets `handler` in the parser's defaults.
OPTIONAL_COMMANDS = ("edit_cmd", "hook_cmd", "daemon_cmd")


def command_modules() -> list[ModuleType]:
    from septfois.cli import check_cmd, rules_cmd

    modules: list[ModuleType] = [check_cmd, rules_cmd]
    for name in OPTIONAL_COMMANDS:
        try:
            modules.append(importlib.import_module(f"septfois.cli.{name}"))
        except ModuleNotFoundError as error:
            if error.name != f"septfois.cli.{name}":
                raise
    return modules


def build_parser(modules: Sequence[ModuleType]) -> argparse.ArgumentParser:
    parser = _Parser(
        prog="septfois",
        description="Turn your finger seven times before you click: check a draft post before publishing it.",
    )
    parser.add_argument("--version", action="version", version=f"septfois {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for module in modules:
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run septfois with `argv`; returns the exit code (0 ok, 1 findings, 2 error, 3 internal)."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    modules = command_modules()
    parser = build_parser(modules)
    if not args_list:
        default = _default_command(modules)
        if default is None:
            parser.print_help(sys.stderr)
            return EXIT_ERROR
        args_list = [default]
    try:
        args = parser.parse_args(args_list)
    except SystemExit as exit_:  # --help, --version, usage errors: argparse exits; main() returns
        return exit_.code if isinstance(exit_.code, int) else EXIT_ERROR
    handler: Callable[[argparse.Namespace], int] | None = getattr(args, "handler", None)
    if handler is None:
        parser.print_help(sys.stderr)
        return EXIT_ERROR
    try:
        return handler(args)
    except SeptfoisError as error:
        print(f"septfois: {error}", file=sys.stderr)
        return error.exit_code


def _default_command(modules: Sequence[ModuleType]) -> str | None:
    """With no arguments: the editor in a terminal, a check of stdin when text is piped in."""
    if sys.stdin is None:  # closed (`<&-`): nothing to check, and no terminal for the editor
        return None
    if not sys.stdin.isatty():
        return "check"
    if any(getattr(module, "NAME", None) == "edit" for module in modules):
        return "edit"
    return None


def guarded_main(argv: Sequence[str] | None = None) -> int:
    """main() with the exit codes promised for Ctrl-C (130) and internal errors (3).

    Shared by entry() and the background process (septfois.server.server), so both say the same things.
    A BrokenPipeError is left to the caller: what it means depends on where stdout goes.
    """
    try:
        return main(argv)
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        raise
    except Exception as error:
        print(f"septfois: internal error: {type(error).__name__}: {error}", file=sys.stderr)
        print(
            "septfois: please report this with the command you ran (set SEPTFOIS_DEBUG=1 for details)",
            file=sys.stderr,
        )
        if os.environ.get("SEPTFOIS_DEBUG"):
            raise
        return EXIT_INTERNAL


def entry() -> None:
    """Console-script entry point: never a traceback for Ctrl-C, an exit code for everything.

    Quick checks (`check`, `hook run`) first go to the warm background process, which answers in a
    fraction of the time it takes to load spaCy here; whenever it cannot, the command runs in-process.
    """
    argv = sys.argv[1:]
    from septfois.server import client as daemon_client

    if daemon_client.eligible(argv):
        code = daemon_client.run(argv)
        if code is not None:
            sys.exit(code)
    try:
        code = guarded_main(argv)
    except KeyboardInterrupt:  # pressed during the fallback's own imports
        code = EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader went away (`septfois check | head`): nothing left to say, and nowhere to say it.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        code = EXIT_OK
    sys.exit(code)
