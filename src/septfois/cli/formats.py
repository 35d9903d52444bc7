"""Output formats for reports: text for people, JSON, SARIF for code scanning, GitHub annotations."""

from __future__ import annotations

import json
from collections.abc import Sequence

from septfois import __version__
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
_LABELS = {
    "en": {"why": "why", "instead": "instead", "also": "also", "none": "no findings", "analysis": "analysis"},
    "fr": {
        "why": "pourquoi",
        "instead": "plutôt",
        "also": "aussi",
        "none": "rien à signaler",
        "analysis": "analyse",
    },
}


def text(reports: Sequence[Report], *, colour: bool = False, ui_lang: str = "en") -> str:
    """One block per finding, as linters print them: where, level, category, rule, message, why, instead."""
    words = _LABELS.get(ui_lang, _LABELS["en"])
    lines: list[str] = []
    for report in reports:
        for finding in report.findings:
            level = finding.level.label
            if colour:
                level = f"{_COLOURS[finding.level]}{level}\x1b[0m"
            lines.append(
                f"{report.source}:{finding.line}:{finding.column}: {level} {finding.category} "
                f"[{finding.rule}] {finding.message}"
            )
            lines.append(f"    {words['why']}: {finding.why}")
            lines.append(f"    {words['instead']}: {finding.suggestion}")
            if finding.also:
                lines.append(f"    {words['also']}: {', '.join(finding.also)}")
        counts = ", ".join(f"{name} {c.length}/{c.limit}" for name, c in report.platforms.items())
        verdict = (
            f"{report.verdict} ({len(report.findings)} findings;" if report.findings else f"{words['none']} ("
        )
        details = f"lang {report.lang}; {words['analysis']}: {report.analysis}" + (
            f"; {counts}" if counts else ""
        )
        lines.append(f"{report.source}: {verdict} {details})".replace("( ", "("))
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
