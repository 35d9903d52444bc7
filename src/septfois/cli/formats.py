"""Output formats for reports: text for people, JSON, SARIF for code scanning, GitHub annotations."""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from septfois import __version__
from septfois.i18n import Messages, french_typography
from septfois.model import Finding, Level, Report
from septfois.sources.places import Lines

JSON_VERSION = 1
FORMATS = ("text", "json", "sarif", "github")
_SARIF_LEVEL = {Level.INFO: "note", Level.WARNING: "warning", Level.ERROR: "error"}
_GITHUB_LEVEL = {Level.INFO: "notice", Level.WARNING: "warning", Level.ERROR: "error"}
INFORMATION_URI = "https://pypi.org/project/septfois/"


@dataclass(frozen=True)
class Placed:
    """A report as the outputs need it: the file its findings are located in, that file's text (to count
    columns in other units), and the findings the author acknowledged, each with the reason given."""

    report: Report
    path: str  # the file alone, as named on the command line; "-" for stdin
    content: str = ""  # the file's text; empty when unknown (columns are then the findings' own)
    acknowledged: tuple[tuple[Finding, str], ...] = ()


@dataclass(frozen=True)
class RuleDoc:
    """What SARIF says about a rule: its name, a description of what it flags, and where it is documented."""

    id: str
    description: str
    help: str
    uri: str | None = None
    category: str = ""


def placed(item: Report | Placed) -> Placed:
    return item if isinstance(item, Placed) else Placed(item, item.source)


def render(
    items: Sequence[Report | Placed],
    fmt: str,
    *,
    colour: bool = False,
    ui_lang: str = "en",
    rules: Mapping[str, RuleDoc] | None = None,
) -> str:
    reports = [placed(item) for item in items]
    if fmt == "json":
        return (
            json.dumps(
                {"version": JSON_VERSION, "results": [r.report.to_dict() for r in reports]},
                ensure_ascii=False,
                indent=2,
            )
            + "\n"
        )
    if fmt == "sarif":
        return json.dumps(sarif(reports, rules or {}), ensure_ascii=False, indent=2) + "\n"
    if fmt == "github":
        return "".join(github(item) for item in reports)
    return text(reports, colour=colour, ui_lang=ui_lang)


def jsonl_line(ident: object, report: Report) -> str:
    data = {"id": ident, **report.to_dict()}
    return json.dumps(data, ensure_ascii=False) + "\n"


_COLOURS = {Level.INFO: "\x1b[36m", Level.WARNING: "\x1b[33m", Level.ERROR: "\x1b[31;1m"}


def text(
    items: Sequence[Report | Placed], *, colour: bool = False, ui_lang: str = "en", quiet: bool = False
) -> str:
    """One block per finding, as linters print them: where (the file's own line and column), level,
    category, rule, message, why, instead; then a line per post. `quiet` leaves out posts without findings.

    The interface's words (levels, categories, labels, the closing line) are in `ui_lang`; the location
    `file:line:column:` stays as editors and CI problem matchers read it.
    """
    words = Messages(ui_lang)
    # The packs' own French is typeset as the interface's is, in this output for people only.
    typeset = french_typography if words.lang == "fr" else str
    label = "{}\u00a0: {}" if words.lang == "fr" else "{}: {}"
    lines: list[str] = []
    for item in map(placed, items):
        report = item.report
        if quiet and not report.findings:
            continue
        for finding in report.findings:
            level = words(f"level.{finding.level.label}")
            if colour:
                level = f"{_COLOURS[finding.level]}{level}\x1b[0m"
            category = words.category(finding.category)
            lines.append(
                f"{item.path}:{finding.line}:{finding.column}: {level} {category} "
                f"[{finding.rule}] {typeset(finding.message)}"
            )
            lines.append("    " + label.format(words("cli.why"), typeset(finding.why)))
            lines.append("    " + label.format(words("cli.instead"), typeset(finding.suggestion)))
            if finding.also:
                lines.append("    " + label.format(words("cli.also"), ", ".join(finding.also)))
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


def summary(items: Sequence[Report | Placed], *, unreadable: int = 0, ui_lang: str = "en") -> str:
    """The closing line across everything checked, as ruff and Vale end theirs: posts and files, findings
    by level and by category, and the inputs that could not be read."""
    say = Messages(ui_lang)
    reports = [placed(item) for item in items]
    findings = [finding for item in reports for finding in item.report.findings]
    files = len({item.path for item in reports})
    parts = [say("summary.posts", posts=_count(say, "post", len(reports)), files=_count(say, "file", files))]
    if findings:
        levels = Counter(finding.level for finding in findings)
        by_level = ", ".join(
            _count(say, level.label, levels[level]) for level in sorted(levels, reverse=True)
        )
        categories = Counter(finding.category for finding in findings)
        by_category = ", ".join(f"{name} {n}" for name, n in sorted(categories.items()))
        parts.append(say("summary.findings", levels=by_level, categories=by_category))
    else:
        parts.append(say("summary.none"))
    acknowledged = sum(len(item.acknowledged) for item in reports)
    if acknowledged:
        parts.append(say("summary.acknowledged", count=acknowledged))
    if unreadable:
        parts.append(_count(say, "unreadable", unreadable))
    return say("summary.line", parts=say("summary.join").join(parts)) + "\n"


def _count(say: Messages, noun: str, count: int) -> str:
    return say(f"summary.{noun}.{'one' if count == 1 else 'many'}", count=count)


def artifact_uri(path: str) -> str:
    """The file as a URI reference: relative paths stay relative (to the working directory, SRCROOT),
    percent-encoded as RFC 3986 requires (spaces, accents as UTF-8, `%`, `#`, `?`, a `:` that would
    read as a scheme); absolute ones become file: URIs."""
    if os.path.isabs(path):
        return Path(path).as_uri()
    return quote(Path(path).as_posix(), safe="/")


def _region(finding: Finding, lines: Lines | None) -> dict[str, int]:
    """The finding's place in the file, in UTF-16 code units (SARIF's default `columnKind`)."""
    if lines is None:  # the file's text is unknown: the finding's own line and column (code points)
        return {"startLine": finding.line, "startColumn": finding.column}
    end_line, _ = lines.line_start(finding.end)
    start = lines.utf16_offset(finding.start)
    return {
        "startLine": finding.line,
        "startColumn": lines.utf16_column(finding.start),
        "endLine": end_line,
        "endColumn": lines.utf16_column(finding.end),
        "charOffset": start,
        "charLength": lines.utf16_offset(finding.end) - start,
    }


def rule_name(rule_id: str) -> str:
    """A rule's SARIF `name`, its id as one identifier: humour.laughter-marker is HumourLaughterMarker."""
    return "".join(part.capitalize() for part in rule_id.replace("-", ".").replace(":", ".").split("."))


def _descriptor(finding: Finding, doc: RuleDoc | None) -> dict[str, object]:
    if doc is None:  # a rule the caller did not describe: say what the finding knows of it
        doc = RuleDoc(finding.rule, finding.why, finding.suggestion, finding.source, finding.category)
    descriptor: dict[str, object] = {
        "id": doc.id,
        "name": rule_name(doc.id),
        "shortDescription": {"text": doc.description},
        "help": {"text": doc.help},
        "defaultConfiguration": {"level": _SARIF_LEVEL[finding.level]},
        "properties": {"category": doc.category or finding.category},
    }
    if doc.uri:
        descriptor["helpUri"] = doc.uri
    return descriptor


def sarif(items: Sequence[Report | Placed], rules: Mapping[str, RuleDoc] | None = None) -> dict[str, object]:
    """SARIF 2.1.0, one run: the rules that fired described in the driver, each result located in its
    file (line and column in UTF-16 code units), acknowledged findings kept as external suppressions."""
    rules = rules or {}
    descriptors: dict[str, dict[str, object]] = {}
    indexes: dict[str, int] = {}
    results = []
    for item in map(placed, items):
        lines = Lines(item.content) if item.content else None
        entries = [(finding, None) for finding in item.report.findings] + list(item.acknowledged)
        for finding, reason in sorted(entries, key=lambda entry: (entry[0].start, entry[0].end)):
            if finding.rule not in descriptors:
                indexes[finding.rule] = len(descriptors)
                descriptors[finding.rule] = _descriptor(finding, rules.get(finding.rule))
            result: dict[str, object] = {
                "ruleId": finding.rule,
                "ruleIndex": indexes[finding.rule],
                "level": _SARIF_LEVEL[finding.level],
                "message": {"text": f"{finding.message} {finding.suggestion}"},
                "locations": [
                    {
                        "physicalLocation": {
                            "artifactLocation": {"uri": artifact_uri(item.path), "uriBaseId": "SRCROOT"},
                            "region": _region(finding, lines),
                        }
                    }
                ],
                "properties": {"category": finding.category, "post": item.report.source},
            }
            if reason is not None:
                result["suppressions"] = [{"kind": "external", "status": "accepted", "justification": reason}]
            results.append(result)
    return {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "septfois",
                        "version": __version__,
                        "informationUri": INFORMATION_URI,
                        "rules": list(descriptors.values()),
                    }
                },
                "originalUriBaseIds": {"SRCROOT": {"uri": Path.cwd().as_uri() + "/"}},
                "columnKind": "utf16CodeUnits",
                "results": results,
            }
        ],
    }


def _escape(value: str, *, property_value: bool = False) -> str:
    """GitHub workflow-command escaping: %, CR and LF in a message; also : and , in a property value."""
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if property_value:
        value = value.replace(":", "%3A").replace(",", "%2C")
    return value


def github(item: Report | Placed) -> str:
    """One workflow command per finding: the file alone, and the line and column inside it."""
    item = placed(item)
    lines = []
    for finding in item.report.findings:
        props = f"file={_escape(item.path, property_value=True)},line={finding.line},col={finding.column}"
        title = _escape(f"{finding.rule} ({finding.category})", property_value=True)
        body = _escape(f"{finding.message} {finding.suggestion}")
        lines.append(f"::{_GITHUB_LEVEL[finding.level]} {props},title={title}::{body}\n")
    return "".join(lines)
