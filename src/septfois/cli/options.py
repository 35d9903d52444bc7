"""What the checking commands share on their command line: the check options, and the usage error."""

from __future__ import annotations

import argparse
from pathlib import Path

from septfois.errors import SeptfoisError


class UsageError(SeptfoisError):
    """Arguments that do not make sense together."""


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
