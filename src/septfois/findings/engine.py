"""The one `check()` every interface calls: rules applied to an analysed post, giving a Report."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from septfois import schema
from septfois.analysis import nlp
from septfois.analysis.textmap import line_column
from septfois.analysis.value import Analysis
from septfois.config import Config, user_packs_dir
from septfois.errors import PackError, SeptfoisError
from septfois.findings.packs import Pack, Rule, builtin_pack_paths, load_pack
from septfois.findings.ruletypes import Hit, PatternTimeout, Subject, TimingCheck
from septfois.findings.timing import quiet_windows
from septfois.model import Finding, Level, PlatformCount, Post, Report


def pack_files(folder_or_file: Path) -> list[Path]:
    """A pack path given by a user: one .toml file, or every .toml file in a folder."""
    if folder_or_file.is_dir():
        return sorted(folder_or_file.glob("*.toml"))
    return [folder_or_file]


def load_packs(config: Config, extra: Sequence[Path] = ()) -> list[Pack]:
    """Built-in packs, then the user's, then the project's, then those named on the command line."""
    paths: list[tuple[Path, str]] = [(path, f"rules/{path.name}") for path in builtin_pack_paths()]
    user = user_packs_dir()
    if user.is_dir():
        paths.extend((path, str(path)) for path in pack_files(user))
    for entry in (*config.pack_paths, *extra):
        if not entry.exists():
            raise SeptfoisError(f"{entry}: pack path does not exist")
        paths.extend((path, str(path)) for path in pack_files(entry))
    packs = [load_pack(path, display=display) for path, display in paths]
    refuse_duplicate_ids(packs)
    return packs


def refuse_duplicate_ids(packs: Sequence[Pack]) -> None:
    """A rule id names one rule: a second pack defining it again is an error naming both packs (else
    one rule's findings would silently hide the other's)."""
    first: dict[str, Rule] = {}
    for pack in packs:
        for index, rule in enumerate(pack.rules):
            earlier = first.setdefault(rule.id, rule)
            if earlier is not rule:
                where = f"{earlier.file}:{earlier.line}" if earlier.line else earlier.file
                key = schema.show_path(("rule", index, "id"))
                raise PackError(
                    rule.file, rule.line, key, f"duplicate rule id {rule.id!r}, already in {where}"
                )


class Checker:
    """Packs loaded and configured once; `check()` then runs them on any number of posts."""

    def __init__(
        self,
        config: Config | None = None,
        *,
        packs: Sequence[Pack] | None = None,
        extra_packs: Sequence[Path] = (),
        disabled: Iterable[str] = (),
    ) -> None:
        self.config = config or Config()
        self.packs = list(packs) if packs is not None else load_packs(self.config, extra_packs)
        known = {rule.id for pack in self.packs for rule in pack.rules}
        off = set(disabled)
        for rule_id in off:
            if rule_id not in known:
                raise SeptfoisError(f"unknown rule {rule_id!r} (see `septfois rules list`)")
        for rule_id in self.config.rules:
            if rule_id not in known:
                if self.config.source is None:
                    raise SeptfoisError(f"unknown rule {rule_id!r} (see `septfois rules list`)")
                raise self.config.unknown_rule(rule_id)  # where it is written: file, line, key
        self.rules: list[Rule] = []
        for pack in self.packs:
            if not self.config.packs.get(pack.id, True):
                continue
            for rule in pack.rules:
                setting = self.config.rules.get(rule.id)
                if rule.id in off or setting == "off":
                    continue
                self.rules.append(replace(rule, level=Level.parse(setting)) if setting else rule)
        self.quiet_windows = quiet_windows(self.config)

    def load_models(self) -> None:
        """Load the language pipeline of every configured language now rather than at first use."""
        for lang in self.config.languages:
            nlp.pipeline(lang)

    def models_loaded(self) -> bool:
        """Whether every configured language's pipeline is in memory already (a warm process)."""
        return all(nlp.is_loaded(lang) for lang in self.config.languages)

    def analyse(self, post: Post) -> Analysis:
        return self.analyse_many([post])[0]

    def analyse_many(self, posts: Sequence[Post]) -> list[Analysis]:
        return nlp.analyse_many(
            [(post.text, post.lang) for post in posts],
            languages=self.config.languages,
            default=self.config.default_language,
        )

    def contextualise(self, post: Post) -> Post:
        """Fill what the post leaves open from the configuration (platforms, pseudonym)."""
        if not post.platforms and self.config.platforms:
            post = replace(post, platforms=self.config.platforms)
        if self.config.pseudonym and not post.pseudonym:
            post = replace(post, pseudonym=True)
        return post

    def check(
        self, post: Post, *, source: str = "-", ui_lang: str | None = None, now: datetime | None = None
    ) -> Report:
        """Every finding of the active rules on `post`, in text order; `now` (default: the clock) is
        what a scheduled post's date is compared with."""
        return self.check_many([post], sources=[source], ui_lang=ui_lang, now=now)[0]

    def check_many(
        self,
        posts: Sequence[Post],
        *,
        sources: Sequence[str] | None = None,
        ui_lang: str | None = None,
        now: datetime | None = None,
    ) -> list[Report]:
        """`check()` for several posts, in order, with the language models run over them in batches:
        each report is the same as `check()` gives for that post alone."""
        names = list(sources) if sources is not None else ["-"] * len(posts)
        if len(names) != len(posts):
            raise ValueError("check_many: one source per post")
        posts = [self.contextualise(post) for post in posts]
        analyses = self.analyse_many(posts)
        return [
            self._report(post, analysis, source, ui_lang, now)
            for post, analysis, source in zip(posts, analyses, names, strict=True)
        ]

    def _report(
        self, post: Post, analysis: Analysis, source: str, ui_lang: str | None, now: datetime | None
    ) -> Report:
        lang = ui_lang or self.config.ui_language
        whole = len(analysis.text) == len(post.text)
        full_text = None if whole else post.text
        subject = Subject(
            analysis, post, self.config.platform_settings, now, self.quiet_windows, full_text=full_text
        )
        findings, notes = run_rules(self.rules, subject, lang)
        if not whole:
            notes.append(
                f"only the first {len(analysis.text):,} of {len(post.text):,} characters were checked"
                " (longer than any post); platform lengths count the whole text"
            )
        # When the post goes out changes how risky it is: a past date, a quiet period before results.
        findings = run_timing_rules(self.rules, findings, subject, lang)
        # The author accepted these rules for this post, with a reason kept in its front matter.
        findings = [finding for finding in findings if finding.rule not in post.acknowledged]
        # The whole post: a length finding reaches past the opening a token flood leaves to the analysis.
        findings = one_per_thing_said(findings, post.text)
        counts = {
            name: PlatformCount(subject.measure(name).length, subject.measure(name).limit)
            for name in post.platforms
        }
        return Report(source, analysis.lang, analysis.analyser, tuple(findings), counts, tuple(notes))


def run_rules(rules: Iterable[Rule], subject: Subject, ui_lang: str) -> tuple[list[Finding], list[str]]:
    """Apply the text rules to one analysed post; a pattern that runs too long is skipped with a note.
    Timing rules are left to `run_timing_rules`."""
    analysis, post = subject.analysis, subject.post
    findings: dict[tuple[str, int, int], Finding] = {}
    notes: list[str] = []
    if not analysis.text.strip():
        return [], notes  # nothing written yet: nothing to warn about (an editor starts empty)
    # A second opinion (a learned rule, say: its type decides) runs after the others and speaks only
    # about a category no other rule has said anything about (at any level: a note is a considered view).
    ordered_rules = sorted(rules, key=lambda rule: rule.second_opinion)
    spoken: set[str] = set()  # the categories of the findings so far: a set, not a look at each finding
    for rule in ordered_rules:
        if rule.second_opinion and rule.category in spoken:
            continue
        if isinstance(rule.detect, TimingCheck) or not rule.applies_to(post, analysis.langs):
            continue
        if rule.unless is not None and rule.unless.contains(analysis):
            continue
        try:
            hits = list(rule.detect(subject))
        except PatternTimeout:
            notes.append(f"{rule.id}: pattern took too long on this text and was skipped")
            continue
        for hit in hits:
            key = (rule.id, hit.start, hit.end)
            if key not in findings:
                findings[key] = make_finding(
                    rule, hit.start, hit.end, hit.values, hit.replacement, subject.text, ui_lang
                )
                spoken.add(rule.category)
    ordered = sorted(findings.values(), key=lambda f: (f.start, f.end, -f.level, f.rule))
    return ordered, notes


def timing_hits(rule: Rule, subject: Subject) -> list[Hit]:
    """Where a timing rule fires on the subject's post (none for a rule of another type)."""
    if not isinstance(rule.detect, TimingCheck) or not rule.applies_to(subject.post, subject.analysis.langs):
        return []
    return list(rule.detect(subject))


def run_timing_rules(
    rules: Iterable[Rule], findings: Sequence[Finding], subject: Subject, ui_lang: str
) -> list[Finding]:
    """`findings` with what the post's schedule changes: the timing rules' own findings first (a past
    date), and the findings of an escalating rule's categories raised to its level, its message (the
    reason) added to their `why`, when the post goes out inside a quiet period."""
    text = subject.analysis.text
    added: list[Finding] = []
    result = list(findings)
    for rule in rules:
        check = rule.detect
        if not isinstance(check, TimingCheck):
            continue
        for hit in timing_hits(rule, subject):
            if not check.escalates:
                added.append(make_finding(rule, hit.start, hit.end, hit.values, None, text, ui_lang))
                continue
            note = rule.message[ui_lang].format(**hit.values)
            result = [
                replace(f, level=rule.level, why=f"{f.why} {note}") if f.category in check.escalates else f
                for f in result
            ]
    return [*added, *result]


def one_per_thing_said(findings: Sequence[Finding], text: str) -> list[Finding]:
    """Findings of one category on the same words (overlapping, or next to each other with only spaces
    between: "😂😂") become one, over all those words: the highest level (then the widest span) speaks
    and names the rules it stands for. "lol" in a brand post about layoffs is one humour finding."""
    kept: list[Finding] = []
    by_category: dict[str, list[Finding]] = {}
    for finding in findings:
        by_category.setdefault(finding.category, []).append(finding)
    for group in by_category.values():
        group.sort(key=lambda f: (f.start, f.end))
        clusters: list[list[Finding]] = []
        reach = -1
        for finding in group:
            if clusters and (finding.start < reach or not text[reach : finding.start].strip()):
                clusters[-1].append(finding)
            else:
                clusters.append([finding])
            reach = max(reach, finding.end) if len(clusters[-1]) > 1 else finding.end
        for cluster in clusters:
            kept.append(_speaker(cluster, text))
    return sorted(kept, key=lambda f: (f.start, f.end, -f.level, f.rule))


def _speaker(cluster: Sequence[Finding], text: str) -> Finding:
    """The one finding that stands for a cluster, stretched over all its words."""
    # The first of the highest level, then the widest; by position, not `cluster.index` (quadratic: a
    # 22 KB fuzz input's cluster of thousands of findings took 18 s to compare).
    _, speaker = max(
        enumerate(cluster), key=lambda pair: (pair[1].level, pair[1].end - pair[1].start, -pair[0])
    )
    if len(cluster) == 1:
        return speaker
    start, end = min(f.start for f in cluster), max(f.end for f in cluster)
    line, column = line_column(text, start)
    others = tuple(sorted({f.rule for f in cluster} - {speaker.rule}))
    # A replacement was written for the speaker's own words, not for the stretch around them.
    replacement = speaker.replacement if (start, end) == (speaker.start, speaker.end) else None
    return replace(
        speaker,
        start=start,
        end=end,
        line=line,
        column=column,
        match=text[start:end],
        replacement=replacement,
        also=others,
    )


def make_finding(
    rule: Rule,
    start: int,
    end: int,
    values: Mapping[str, object],
    replacement: str | None,
    text: str,
    ui_lang: str,
) -> Finding:
    match = text[start:end]
    # A message quotes what it found, cut short: a 60,000-character match must not make a 60,000-wide line.
    fields = {name: _quoted(value) for name, value in {"match": match, **values}.items()}
    line, column = line_column(text, start)
    return Finding(
        rule=rule.id,
        category=rule.category,
        level=rule.level,
        message=rule.message[ui_lang].format(**fields),
        why=rule.why[ui_lang],
        suggestion=rule.suggestion[ui_lang],
        start=start,
        end=end,
        line=line,
        column=column,
        match=match,
        source=rule.source,
        replacement=replacement,
    )


# The longest a value quoted in a message may be (a name, an e-mail address, a phrase: far shorter).
MAX_QUOTED_CHARS = 200


def _quoted(value: object) -> object:
    if isinstance(value, str) and len(value) > MAX_QUOTED_CHARS:
        return value[: MAX_QUOTED_CHARS - 1] + "…"
    return value


_default: Checker | None = None


def check(post: Post | str, *, config: Config | None = None, source: str = "-") -> Report:
    """Check one post with the built-in packs (and `config`, when given): the simplest entry point."""
    global _default
    if isinstance(post, str):
        post = Post(text=post)
    if config is not None:
        return Checker(config).check(post, source=source)
    if _default is None:
        _default = Checker()
    return _default.check(post, source=source)
