"""Output formats for reports: text for people, JSON, SARIF for code scanning, GitHub annotations."""

from __future__ import annotations

import json
from collections.abc import Sequence

from septfois import __version__
from septfois.i18n import Messages, french_typography
from septfois.model import Finding, Level, Report

JSON_VERSION = 1
FORMATS = ("text", "json", "sarif", "github")
_SARIF_LEVEL = {Level.INFO: "note", Level.WARNING: "warning", Level.ERROR: "error"}
_GITHUB_LEVEL = {Level.INFO: "notice", Level.WARNING: "warning", Level.ERROR: "error"}


def render(reports: Sequence[Report], fmt: str, *, colour: bool = False, ui_lang: str = "en") -> str:
    if fmt == "json":
        return (
            json.dumps(
                {"version": JSON_VERSION, "results": [r.to_dict() for r in reports]},
                ensure_ascii=False,
                indent=2,
            )
            + "\n"
        )
    if fmt == "sarif":
        return json.dumps(sarif(reports), ensure_ascii=False, indent=2) + "\n"
    if fmt == "github":
        return "".join(github(report) for report in reports)
    return text(reports, colour=colour, ui_lang=ui_lang)


def jsonl_line(ident: object, report: Report) -> str:
    data = {"id": ident, **report.to_dict()}
    return json.dumps(data, ensure_ascii=False) + "\n"


_COLOURS = {Level.INFO: "\x1b[36m", Level.WARNING: "\x1b[33m", Level.ERROR: "\x1b[31;1m"}


def text(reports: Sequence[Report], *, colour: bool = False, ui_lang: str = "en") -> str:
    """One block per finding, as linters print them: where, level, category, rule, message, why, instead.

    The interface's words (levels, categories, labels, the closing line) are in `ui_lang`; the location
    `file:line:column:` stays as editors and CI problem matchers read it.
    """
    words = Messages(ui_lang)
    # The packs' own French is typeset as the interface's is, in this output for people only.
    typeset = french_typography if words.lang == "fr" else str
    label = "{}\u00a0: {}" if words.lang == "fr" else "{}: {}"
    lines: list[str] = []
    for report in reports:
        for finding in report.findings:
            level = words(f"level.{finding.level.label}")
            if colour:
                level = f"{_COLOURS[finding.level]}{level}\x1b[0m"
            category = words.category(finding.category)
            lines.append(
                f"{report.source}:{finding.line}:{finding.column}: {level} {category} "
                f"[{finding.rule}] {typeset(finding.message)}"
            )
            lines.append("    " + label.format(words("cli.why"), typeset(finding.why)))
            lines.append("    " + label.format(words("cli.instead"), typeset(finding.suggestion)))
        details = [words("cli.lang", lang=report.lang), words("cli.analysis", analysis=report.analysis)]
        counts = ", ".join(f"{name} {c.length}/{c.limit}" for name, c in report.platforms.items())
        if counts:
            details.append(counts)
        if report.findings:
            verdict = words(f"level.{report.verdict}")
            details.insert(0, words("cli.findings", count=len(report.findings)))
        else:
            verdict = words("cli.none")
        # `source:` as the finding lines start, so that tools reading locations read this line too.
        lines.append(f"{report.source}: {verdict} ({words('cli.separator').join(details)})")
    return "\n".join(lines) + ("\n" if lines else "")


def _region(finding: Finding) -> dict[str, int]:
    region = {
        "startLine": finding.line,
        "startColumn": finding.column,
        "charOffset": finding.start,
        "charLength": finding.end - finding.start,
    }
    return region


def sarif(reports: Sequence[Report]) -> dict[str, object]:
    """SARIF 2.1.0, one run, with the rules that fired described in the driver."""
    rules: dict[str, dict[str, object]] = {}
    results = []
    for report in reports:
        for finding in report.findings:
            rules.setdefault(
                finding.rule,
                {
                    "id": finding.rule,
                    "shortDescription": {"text": finding.message},
                    "help": {"text": f"{finding.why} {finding.suggestion}"},
                    "properties": {"category": finding.category},
                    **({"helpUri": finding.source} if finding.source else {}),
                },
            )
            results.append(
                {
                    "ruleId": finding.rule,
                    "level": _SARIF_LEVEL[finding.level],
                    "message": {"text": f"{finding.message} {finding.suggestion}"},
                    "properties": {"category": finding.category},
                    "locations": [
                        {
                            "physicalLocation": {
                                "artifactLocation": {"uri": report.source},
                                "region": _region(finding),
                            }
                        }
                    ],
                }
            )
    return {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "septfois",
                        "version": __version__,
                        "informationUri": "https://pypi.org/project/septfois/",
                        "rules": list(rules.values()),
                    }
                },
                "results": results,
            }
        ],
    }


def _escape(value: str, *, property_value: bool = False) -> str:
    """GitHub workflow-command escaping (%, CR, LF; plus : and , inside properties)."""
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if property_value:
        value = value.replace(":", "%3A").replace(",", "%2C")
    return value


def github(report: Report) -> str:
    lines = []
    for finding in report.findings:
        props = f"file={_escape(report.source, property_value=True)},line={finding.line},col={finding.column}"
        title = _escape(f"{finding.rule} ({finding.category})", property_value=True)
        body = _escape(f"{finding.message} {finding.suggestion}")
        lines.append(f"::{_GITHUB_LEVEL[finding.level]} {props},title={title}::{body}\n")
    return "".join(lines)
