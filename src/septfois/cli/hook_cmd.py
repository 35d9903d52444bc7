"""`septfois hook`: install or remove the plain git pre-commit hook, and the check it runs on staged posts."""

from __future__ import annotations

import argparse
import sys

from septfois.cli import hookfile, service
from septfois.cli.options import add_check_options
from septfois.errors import EXIT_OK, InputError
from septfois.server import client
from septfois.sources import gitindex as hook

NAME = "hook"


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(NAME, help="a git pre-commit hook that checks staged posts")
    actions = parser.add_subparsers(
        dest="hook_action", metavar="ACTION", required=True, parser_class=type(parser)
    )

    install = actions.add_parser("install", help="write .git/hooks/pre-commit (no framework needed)")
    install.add_argument(
        "--force", action="store_true", help="set aside a pre-commit hook septfois did not write"
    )
    add_path_options(install)
    install.set_defaults(handler=run_install)

    uninstall = actions.add_parser("uninstall", help="remove the hook septfois wrote, and only it")
    uninstall.set_defaults(handler=run_uninstall)

    run = actions.add_parser("run", help="check the staged posts (what the installed hook runs)")
    add_path_options(run)
    add_check_options(run)
    run.set_defaults(handler=run_hook)


def add_path_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--files", default=hook.DEFAULT_FILES, metavar="REGEX",
        help=f"staged paths to check (default: {hook.DEFAULT_FILES})",
    )  # fmt: skip
    parser.add_argument(
        "--exclude", default=hook.DEFAULT_EXCLUDE, metavar="REGEX",
        help="staged paths to leave out (default: README, CHANGELOG, LICENSE, requirements.txt and the like)",
    )  # fmt: skip


def run_install(args: argparse.Namespace) -> int:
    print(hookfile.install(force=args.force, files=args.files, exclude=args.exclude))
    return EXIT_OK


def run_uninstall(args: argparse.Namespace) -> int:
    print(hookfile.uninstall())
    return EXIT_OK


def budget(limit: float) -> float:
    """The seconds the staged posts may take: a little under the time limit, so that through the background
    process (which stops a run at the limit itself) the hook's own message, naming the post, comes first."""
    return limit - min(1.0, limit / 10)


def run_hook(args: argparse.Namespace) -> int:
    """Check what the commit will contain: the staged blobs, never the working tree."""
    from septfois.sources.postfile import located

    top = hook.top_level()
    paths = hook.staged_paths(args.files, args.exclude, cwd=top)
    if not paths:
        # Nothing to check: do not pay for loading the language models.
        return EXIT_OK
    config = service.configured(args)
    checker = service.make_checker(args, config)
    unreadable = 0
    objects = hook.staged_objects(top)
    items = []
    for path in paths:
        try:
            staged = hook.read_staged(path, top, objects=objects)
            items.extend(located(staged.content, path, service.base_post(args, config)))
        except InputError as error:
            print(f"septfois: {error}", file=sys.stderr)
            unreadable += 1
    had_error = unreadable > 0
    limit = client.time_limit()
    reports, overran = service.check_located_within(checker, items, budget(limit))
    if overran is not None:
        left = len(items) - len(reports) - 1
        rest = f", and {left} other staged post(s) not checked" if left else ""
        print(
            f"septfois: {overran.source}: the check took more than {limit:g} s (the time limit, "
            f"{client.TIME_LIMIT_ENV}); stopped{rest}",
            file=sys.stderr,
        )
        had_error = True
    from septfois.cli.formats import render, summary

    # Posts without findings would only bury the ones that stop the commit; the closing line counts them.
    sys.stdout.write(render([r for r in reports if r.report.findings], "text", ui_lang=config.ui_language))
    sys.stdout.write(summary(reports, unreadable=unreadable, ui_lang=config.ui_language))
    sys.stdout.flush()
    code = service.exit_code([r.report for r in reports], config.fail_on, had_error)
    if code != EXIT_OK:
        why = (
            "a staged post could not be read or checked"
            if had_error
            else f"findings at or above {config.fail_on}"
        )
        print(
            f"septfois: commit stopped: {why}. Fix the post, acknowledge the rule in its front matter "
            "(acknowledged = [{rule, reason}]), or commit with --no-verify.",
            file=sys.stderr,
        )
    return code
