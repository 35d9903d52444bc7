"""`septfois daemon`: start, inspect or stop the background process that keeps quick checks warm."""

from __future__ import annotations

import argparse
import time

from septfois.cli.options import UsageError
from septfois.errors import EXIT_ERROR, EXIT_FINDINGS, EXIT_OK
from septfois.server import client as daemon_client

NAME = "daemon"


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        NAME,
        help="the background process that keeps models loaded for quick checks",
        description="`septfois check` and `septfois hook run` start a background process on demand; it "
        "keeps the language models and packs loaded and exits after an idle period "
        f"({daemon_client.IDLE_ENV}, default {daemon_client.DEFAULT_IDLE_SECONDS} s). "
        "Use --no-daemon or SEPTFOIS_NO_DAEMON=1 to do without it.",
    )
    actions = parser.add_subparsers(
        dest="daemon_action", metavar="ACTION", required=True, parser_class=type(parser)
    )
    actions.add_parser("status", help="say whether it runs, since when, and how much memory it holds")
    actions.add_parser("start", help="start it now and wait until it answers (checks start it anyway)")
    actions.add_parser("stop", help="stop it and wait until it has exited")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    where = daemon_client.paths()
    if where is None:
        raise UsageError("no private runtime folder for the background process (see XDG_RUNTIME_DIR)")
    if args.daemon_action == "start":
        sock = daemon_client.connect_or_start(where)
        if sock is None:
            print(f"septfois: the background process did not start; see {where.log}")
            return EXIT_ERROR
        sock.close()
        args.daemon_action = "status"
        # Answering comes first, loading second: wait for the models so that the next check is quick.
        deadline = time.monotonic() + daemon_client.START_TIMEOUT_SECONDS * 2
        while time.monotonic() < deadline:
            status = daemon_client.ask(where, "status")
            if status is None or status["ready"]:
                break
            time.sleep(0.1)
    status = daemon_client.ask(where, "status" if args.daemon_action == "status" else "stop")
    if status is None:
        print("not running")
        return EXIT_OK if args.daemon_action == "stop" else EXIT_FINDINGS
    if args.daemon_action == "stop":
        gone = daemon_client.wait_until_gone(where)
        print(
            f"stopped (pid {status['pid']})" if gone else f"asked pid {status['pid']} to stop; still running"
        )
        return EXIT_OK if gone else EXIT_ERROR
    state = "ready" if status["ready"] else "loading models"
    print(
        f"running, {state}: pid {status['pid']}, up {status['uptime']} s, {status['served']} runs served, "
        f"{len(status.get('running', ()))} in progress, "
        f"exits after {status['idle_timeout']:g} s idle; memory {status['rss_mb']} MB "
        f"(peak {status['peak_rss_mb']} MB); socket {status['socket']}; log {where.log}"
    )
    return EXIT_OK
