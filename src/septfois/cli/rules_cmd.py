"""`septfois rules list|show|test|eval`: look at the rules, run their examples, measure them on a corpus."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from septfois.cli.options import UsageError, add_check_options
from septfois.errors import EXIT_FINDINGS, EXIT_OK, InputError
from septfois.model import UI_LANGS

NAME = "rules"


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(NAME, help="list, show, test and evaluate rules")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True, parser_class=type(parser))

    listing = actions.add_parser("list", help="every rule: id, level, category, type")
    _pack_options(listing)
    listing.set_defaults(handler=run_list)

    show = actions.add_parser("show", help="one rule in full")
    show.add_argument("rule_id", metavar="RULE_ID")
    _pack_options(show)
    show.set_defaults(handler=run_show)

    test = actions.add_parser("test", help="run every rule's must_flag and must_pass examples")
    test.add_argument(
        "pack_paths", nargs="*", type=Path, metavar="PACK_PATH", help="packs to test (default: all in use)"
    )
    test.add_argument("--config", type=Path, metavar="PATH")
    test.set_defaults(handler=run_test)

    evaluate = actions.add_parser("eval", help="precision and recall per category on labelled posts")
    evaluate.add_argument("corpus", type=Path, metavar="CORPUS.jsonl")
    evaluate.add_argument(
        "--show", choices=("misses", "false-alarms", "all"), help="also list the posts that disagree"
    )
    evaluate.add_argument("--format", choices=("text", "json"), default="text")
    add_check_options(evaluate)
    evaluate.set_defaults(handler=run_eval)


def _pack_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", type=Path, metavar="PATH")
    parser.add_argument("--pack", action="append", type=Path, default=[], metavar="PATH")
    parser.add_argument("--ui-lang", choices=UI_LANGS)


def _packs(args: argparse.Namespace):
    from septfois.config import load_config
    from septfois.findings.engine import load_packs

    config = load_config(args.config)
    return config, load_packs(config, getattr(args, "pack", []))


def run_list(args: argparse.Namespace) -> int:
    config, packs = _packs(args)
    for pack in packs:
        for rule in pack.rules:
            setting = config.rules.get(rule.id)
            state = (
                "off"
                if setting == "off" or not config.packs.get(pack.id, True)
                else (setting or rule.level.label)
            )
            print(f"{rule.id:<40} {state:<8} {rule.category:<20} {rule.type}")
    return EXIT_OK


def run_show(args: argparse.Namespace) -> int:
    config, packs = _packs(args)
    from septfois.i18n import Messages

    lang = args.ui_lang or config.ui_language
    words = Messages(lang)
    colon = "\u00a0:" if words.lang == "fr" else ":"

    def field(key: str, value: str) -> str:
        return f"{words(key)}{colon} {value}"

    for pack in packs:
        for rule in pack.rules:
            if rule.id == args.rule_id:
                print(f"{rule.id}  ({rule.file}:{rule.line})")
                level = words(f"level.{rule.level.label}")
                print(
                    f"  {field('rules.category', words.category(rule.category))}   "
                    f"{field('rules.level', level)}   {field('rules.type', rule.type)}"
                )
                if rule.languages:
                    print(f"  {field('rules.languages', ', '.join(rule.languages))}")
                print(f"  {field('rules.message', rule.message[lang])}")
                print(f"  {field('rules.why', rule.why[lang])}")
                print(f"  {field('rules.instead', rule.suggestion[lang])}")
                if rule.source:
                    print(f"  {field('rules.source', rule.source)}")
                for label, examples in (("rules.flags", rule.must_flag), ("rules.passes", rule.must_pass)):
                    for example in examples:
                        print(f"  {field(label, repr(example.post.text))}")
                return EXIT_OK
    raise UsageError(f"unknown rule {args.rule_id!r} (see `septfois rules list`)")


def run_test(args: argparse.Namespace) -> int:
    from septfois.config import Config, load_config
    from septfois.findings.engine import load_packs, pack_files
    from septfois.findings.packs import load_pack
    from septfois.findings.selftest import ExampleFailure, run_examples

    if args.pack_paths:
        packs = [load_pack(path) for entry in args.pack_paths for path in pack_files(entry)]
    else:
        packs = load_packs(load_config(args.config))
    total = failed = 0
    for rule, example, expected, passed in run_examples(packs, Config()):
        total += 1
        if not passed:
            failed += 1
            print(ExampleFailure(rule, example, expected).describe())
    rules = sum(len(pack.rules) for pack in packs)
    print(f"{rules} rules, {total} examples: {total - failed} passed, {failed} failed")
    return EXIT_FINDINGS if failed else EXIT_OK


def run_eval(args: argparse.Namespace) -> int:
    from septfois.cli.service import base_post, configured, make_checker
    from septfois.findings.evaluate import Labelled, evaluate
    from septfois.sources.inputs import decode_line, parse_batch_line

    config = configured(args)
    checker = make_checker(args, config)
    base = base_post(args, config)
    extra = frozenset({"labels", "scope", "note", "source", "orig_label"})
    pairs = []
    name = str(args.corpus)
    try:
        stream = args.corpus.open("rb")
    except OSError as error:
        raise InputError(f"{name}: cannot read: {error.strerror or error}") from None
    with stream:
        for number, raw in enumerate(stream, start=1):
            if not raw.strip():
                continue
            item = parse_batch_line(decode_line(raw, name, number), name, number, base=base, extra_keys=extra)
            labels = item.extra.get("labels", [])
            scope = item.extra.get("scope")
            if not isinstance(labels, list) or (scope is not None and not isinstance(scope, list)):
                raise InputError(f"{name}:{number}: `labels` and `scope` must be lists of categories")
            report = checker.check(item.post, source=str(item.id))
            labelled = Labelled(
                str(item.id), report.lang if item.post.lang is None else item.post.lang,
                frozenset(labels), frozenset(scope) if scope is not None else None,
            )  # fmt: skip
            pairs.append((labelled, report))
    result = evaluate(pairs)
    if args.format == "json":
        print(json.dumps(_as_json(result), indent=2))
    else:
        sys.stdout.write(_as_text(result, args.show))
    return EXIT_OK


def _figure(value: float | None) -> str:
    return "  -  " if value is None else f"{value:.2f}"


def _as_text(result, show: str | None) -> str:
    lines = [f"{result.posts} posts; findings counted at level warning or above", ""]
    langs = ["all", *result.languages()]
    header = f"{'category':<20}" + "".join(f"{lang + ' P':>9}{lang + ' R':>8}{'n':>5}" for lang in langs)
    lines.append(header)
    for category in result.categories():
        row = f"{category:<20}"
        for lang in langs:
            tally = result.tally(category, lang)
            row += f"{_figure(tally.precision):>9}{_figure(tally.recall):>8}{tally.support:>5}"
        lines.append(row)
    for lang in langs:
        rate = result.safe_rate(lang)
        if rate is not None:
            flagged, total = result.safe_flagged.get(lang, 0), result.safe_posts[lang]
            lines.append(f"safe posts with any warning ({lang}): {flagged}/{total} = {rate:.1%}")
    if show in ("misses", "all"):
        lines.append("")
        lines.append("misses:")
        lines.extend(f"  {item.id} [{category}]" for item, category in result.misses)
    if show in ("false-alarms", "all"):
        lines.append("")
        lines.append("false alarms:")
        for item, category, report in result.false_alarms:
            rules = sorted({f.rule for f in report.findings if f.category == category})
            matches = sorted({f.match for f in report.findings if f.category == category})
            lines.append(f"  {item.id} [{category}] {', '.join(rules)}: {matches}")
    return "\n".join(lines) + "\n"


def _as_json(result) -> dict[str, object]:
    return {
        "posts": result.posts,
        "categories": {
            category: {
                lang: {
                    "precision": result.tally(category, lang).precision,
                    "recall": result.tally(category, lang).recall,
                    "tp": result.tally(category, lang).tp,
                    "fp": result.tally(category, lang).fp,
                    "fn": result.tally(category, lang).fn,
                }
                for lang in ["all", *result.languages()]
            }
            for category in result.categories()
        },
        "safe_flagged_rate": {lang: result.safe_rate(lang) for lang in result.safe_posts},
        "misses": [{"id": item.id, "category": category} for item, category in result.misses],
        "false_alarms": [{"id": item.id, "category": category} for item, category, _ in result.false_alarms],
    }
