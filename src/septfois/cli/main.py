"""`septfois` and its subcommands: argument parsing, exit codes, and where output goes."""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import sys
from collections.abc import Callable, Sequence
from types import ModuleType
from typing import NoReturn

from septfois import __version__
from septfois.cli.options import UsageError, add_check_options
from septfois.errors import EXIT_ERROR, EXIT_FINDINGS, EXIT_INTERNAL, EXIT_INTERRUPTED, EXIT_OK, SeptfoisError

# Exit codes, the usage error and the check options are importable from here as before.
__all__ = [
    "EXIT_ERROR", "EXIT_FINDINGS", "EXIT_INTERNAL", "EXIT_INTERRUPTED", "EXIT_OK", "UsageError",
    "add_check_options", "build_parser", "command_modules", "entry", "guarded_main", "main",
]  # fmt: skip


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        # argparse's default exit code for usage errors is already 2; keep its message, add a hint.
        self.print_usage(sys.stderr)
        self.exit(EXIT_ERROR, f"{self.prog}: error: {message}\n")


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
    parser.add_argument("-V", "--version", action="version", version=f"septfois {__version__}")
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
    _leave(code)


def _leave(code: int) -> NoReturn:
    """Exit with `code`. A process that loaded the language models leaves without tearing them down:
    freeing spaCy's objects one by one cost about 0.7 s of every cold check, for nothing. Under a profiler
    or a tracer (coverage), whose results are written at exit, it leaves the ordinary way."""
    if "spacy" not in sys.modules or sys.getprofile() is not None or sys.gettrace() is not None:
        sys.exit(code)
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(BrokenPipeError, ValueError):  # the reader went away, or it was closed
            stream.flush()
    os._exit(code)
