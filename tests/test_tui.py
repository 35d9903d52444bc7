"""Behaviour of the terminal UI, driven with Textual's Pilot against the real checker."""

from __future__ import annotations

import asyncio
import functools
import json
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot

from conftest import DATA
from septfois.config import Config
from septfois.findings.engine import Checker
from septfois.findings.packs import load_pack
from septfois.model import Post
from septfois.sources.postfile import parse_post_file
from septfois.tui.app import CheckerReady, CheckFailed, ReportReady, SendResult, SeptfoisApp, create_app
from septfois.tui.checking import CheckRequest
from septfois.tui.drafts import DraftStore
from septfois.tui.keys import EDITOR_KEYS
from septfois.tui.screens import HelpScreen, RecoverScreen, SendGate
from septfois.tui.widgets import FindingsList

SIZE = (120, 40)
RISKY_FR = "Les prix vont exploser mdr, appelez Jean Dupont au 06 12 34 56 78"
REPLACEABLE_PACK = DATA / "tui" / "repeated_exclamation_with_replacement.toml"
SHARED_SPAN_PACK = DATA / "tui" / "info_and_error_on_one_word.toml"
# About 500 KB of ordinary French: its check takes seconds, far longer than the budgets the tests set.
LONG_POST = "\n\n".join(
    ["Chers collègues, nous lançons aujourd'hui la nouvelle version de notre service. "
     "Merci à toutes les équipes qui ont travaillé sur ce projet depuis le printemps."] * 3000
)  # fmt: skip


def sync(test: Callable[..., Awaitable[None]]) -> Callable[..., None]:
    """Run an async Pilot scenario as an ordinary test (no async plugin needed)."""

    @functools.wraps(test)
    def run(*args: object, **kwargs: object) -> None:
        asyncio.run(test(*args, **kwargs))

    return run


class FakeClock:
    """A clock the test moves by hand, so the countdown never depends on how fast the machine is."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture(scope="module")
def checker(checker: Checker) -> Checker:
    """The session's checker with both languages' models loaded here: the editor checks in a process it
    forks, which has what this process loaded and loses what it loads itself."""
    for lang, text in (("fr", "Bonjour à tous"), ("en", "Hello everyone")):
        checker.check(Post(text=text, lang=lang))
    return checker


def make_app(checker: Checker, tmp_path: Path, **options: object) -> SeptfoisApp:
    options.setdefault("config", Config(platforms=("x", "linkedin")))
    options.setdefault("countdown", 0)
    return create_app(
        checker=checker, drafts_dir=tmp_path / "drafts", cursor_blink=False, warm_up=False, **options
    )  # type: ignore[arg-type]


async def settle(pilot: Pilot, app: SeptfoisApp, timeout: float = 120) -> None:
    """Wait until the findings shown are those of the text as it is now."""
    deadline = time.monotonic() + timeout
    while not app.is_settled():
        assert time.monotonic() < deadline, f"the check never finished (checker {app.checker_state})"
        await pilot.pause(0.02)
    await pilot.pause()


async def type_text(pilot: Pilot, text: str) -> None:
    await pilot.press(*["space" if char == " " else char for char in text])


def rules(app: SeptfoisApp) -> list[str]:
    return [finding.rule for finding in app.findings]


@sync
async def test_typing_a_risky_french_post_shows_its_findings_in_the_list_and_the_text(
    checker: Checker, tmp_path: Path
) -> None:
    app = make_app(checker, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, RISKY_FR)
        await settle(pilot, app)
        assert app.editor.text == RISKY_FR
        assert "sensitive.price-forecast" in rules(app)
        assert "humour.laughter-marker" in rules(app)
        assert any(rule.startswith("anonymity.") for rule in rules(app))
        assert app.query_one("#findings").option_count == len(app.findings)
        marked_columns = {(start, end) for start, end, _style in app.editor.marks[0]}
        price = next(f for f in app.findings if f.rule == "sensitive.price-forecast")
        assert (price.start, price.end) in marked_columns
        status = str(app.query_one("#status").render())
        assert "fr · spacy fr_core_news_sm" in status
        assert f"X {len(RISKY_FR)}/280" in status


@sync
async def test_at_80_columns_the_counters_lead_the_status_bar_and_the_footer_shows_quit(
    checker: Checker, tmp_path: Path
) -> None:
    app = make_app(checker, tmp_path, text=RISKY_FR)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        status = str(app.query_one("#status").render())
        assert status.startswith(f"X {len(RISKY_FR)}/280  LinkedIn {len(RISKY_FR)}/3000")
        assert status.index("LinkedIn") < status.index("spacy")
        quit_key = next(key for key in app.query("FooterKey") if getattr(key, "action", None) == "quit")
        assert quit_key.region.width > 0 and quit_key.region.right <= 80


@sync
async def test_the_cursor_on_a_highlight_shows_that_finding(checker: Checker, tmp_path: Path) -> None:
    app = make_app(checker, tmp_path, text=RISKY_FR)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        laugh = next(f for f in app.findings if f.rule == "humour.laughter-marker")
        app.editor.move_cursor((0, laugh.start + 1))
        await pilot.pause()
        detail = str(app.query_one("#detail").render())
        assert laugh.message in detail
        assert laugh.why in detail
        assert app.query_one("#findings").highlighted == app.findings.index(laugh)


@sync
async def test_selecting_a_finding_moves_the_cursor_to_its_span_and_explains_it(
    checker: Checker, tmp_path: Path
) -> None:
    app = make_app(checker, tmp_path, text=RISKY_FR)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        assert app.editor.cursor_location == (0, 0)
        listing = app.query_one("#findings")
        listing.focus()
        target = len(app.findings) - 1
        await pilot.press(*["down"] * (target + 1), "enter")
        finding = app.findings[target]
        assert app.editor.cursor_location == (0, finding.start)
        assert app.editor.has_focus
        detail = str(app.query_one("#detail").render())
        assert finding.suggestion in detail
        assert finding.rule in detail


@sync
async def test_enter_on_an_info_finding_that_shares_its_span_with_an_error_opens_the_info(
    tmp_path: Path,
) -> None:
    checker = Checker(Config(), packs=[load_pack(SHARED_SPAN_PACK)])
    app = make_app(checker, tmp_path, text="Le zorglub arrive demain", lang="fr")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        assert sorted(rules(app)) == ["tuispan.codename-leak", "tuispan.codename-note"]
        info = next(i for i, f in enumerate(app.findings) if f.rule == "tuispan.codename-note")
        listing = app.query_one("#findings", FindingsList)
        await pilot.press("tab")
        for _ in range(len(app.findings)):
            if listing.highlighted == info:
                break
            await pilot.press("down")
        await pilot.press("enter")
        await pilot.pause()
        assert listing.highlighted == info
        assert app.editor.cursor_location == (0, app.findings[info].start)
        detail = str(app.query_one("#detail").render())
        assert "a codename" in detail and "confidential" not in detail


@sync
async def test_the_apply_key_replaces_the_flagged_text_with_the_rule_suggestion(tmp_path: Path) -> None:
    checker = Checker(Config(), extra_packs=[REPLACEABLE_PACK])
    app = make_app(checker, tmp_path, text="Enfin la nouvelle version est en ligne !!!", lang="fr")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        assert rules(app) == ["tuidemo.repeated-exclamation"]
        app.editor.move_cursor((0, 40))
        await pilot.press("ctrl+r")
        assert app.editor.text == "Enfin la nouvelle version est en ligne !"
        await settle(pilot, app)
        assert rules(app) == []
        await pilot.press("ctrl+z")
        assert app.editor.text.endswith("!!!"), "the fix is an ordinary edit that undo takes back"


@sync
async def test_the_send_gate_blocks_until_the_countdown_ends_and_every_finding_was_looked_at(
    checker: Checker, tmp_path: Path
) -> None:
    clock = FakeClock()
    app = make_app(checker, tmp_path, text=RISKY_FR, countdown=7, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("ctrl+t")
        await pilot.pause()
        gate = app.screen
        assert isinstance(gate, SendGate)
        serious = [f for f in app.findings if f.level.label in ("warning", "error")]
        assert [f.rule for f in gate.findings] == [f.rule for f in serious]
        assert serious, "the risky post must leave something at warning or above"

        await pilot.press("p")
        assert app.screen is gate, "nothing looked at and the countdown running: sending is refused"
        assert gate.query_one("#send-stdout").disabled

        for _ in gate.findings[:-1]:
            await pilot.press("enter", "down")
        await pilot.press("a", *"public", "enter")
        assert gate.pending() == []
        await pilot.press("p")
        assert app.screen is gate, "every finding looked at, but the countdown is not over"

        clock.advance(6.5)
        await pilot.press("p")
        assert app.screen is gate
        clock.advance(0.5)
        await pilot.press("p")
        await pilot.pause()
    assert app.return_value == SendResult("stdout", RISKY_FR)


@sync
async def test_an_acknowledgement_needs_a_reason_of_a_few_characters(
    checker: Checker, tmp_path: Path
) -> None:
    app = make_app(checker, tmp_path, text=RISKY_FR)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("ctrl+t")
        await pilot.pause()
        gate = app.screen
        assert isinstance(gate, SendGate)
        await pilot.press("a", "o", "k", "enter")
        assert gate.reasons == {}
        await pilot.press("space", *"legal", "enter")
        assert gate.reasons == {0: "ok legal"}


@sync
async def test_cancelling_the_send_gate_returns_to_the_editor_with_nothing_lost(
    checker: Checker, tmp_path: Path
) -> None:
    app = make_app(checker, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, RISKY_FR)
        await settle(pilot, app)
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert isinstance(app.screen, SendGate)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, SendGate)
        assert app.editor.text == RISKY_FR
        assert app.editor.has_focus
        await pilot.press("!")
        assert app.editor.text == RISKY_FR + "!"
    assert app.return_value is None


@sync
async def test_a_post_with_nothing_serious_is_sent_without_a_countdown(
    checker: Checker, tmp_path: Path
) -> None:
    clock = FakeClock()
    app = make_app(
        checker, tmp_path, text="Merci à toute l'équipe pour ce lancement.", countdown=7, clock=clock
    )
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert isinstance(app.screen, SendGate)
        await pilot.press("p")
        await pilot.pause()
    assert app.return_value == SendResult("stdout", "Merci à toute l'équipe pour ce lancement.")


@sync
async def test_the_autosaved_draft_is_offered_back_and_recovered(checker: Checker, tmp_path: Path) -> None:
    first = make_app(checker, tmp_path)
    async with first.run_test(size=SIZE) as pilot:
        await type_text(pilot, "Brouillon interrompu par une panne")
        await pilot.pause(0.8)  # longer than the autosave delay: no quit, as after a crash
        saved = DraftStore(tmp_path / "drafts").load()
        assert saved is not None
        assert saved.text == "Brouillon interrompu par une panne"
    second = make_app(checker, tmp_path)
    async with second.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(second.screen, RecoverScreen)
        await pilot.press("r")
        await pilot.pause()
        assert second.editor.text == "Brouillon interrompu par une panne"


@sync
async def test_the_draft_is_autosaved_while_the_send_gate_is_open(checker: Checker, tmp_path: Path) -> None:
    app = make_app(checker, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await type_text(pilot, "Envoyé trop vite")
        await pilot.press("ctrl+t")  # before the autosave delay has run out
        await pilot.pause(0.8)
        assert isinstance(app.screen, SendGate)
        saved = DraftStore(tmp_path / "drafts").load()
        assert saved is not None and saved.text == "Envoyé trop vite"


@sync
async def test_the_draft_is_saved_and_grows_while_typing_goes_on_without_a_pause(
    checker: Checker, tmp_path: Path
) -> None:
    app = make_app(checker, tmp_path)
    steady = "On tape sans jamais s'arrêter plus d'un dixième de seconde. " * 2
    seen: list[str] = []
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        for char in steady:
            # Never as long a pause as the quiet-typing delay, so only the saves during typing count.
            await pilot.press("space" if char == " " else char)
            await pilot.pause(0.05)
            saved = DraftStore(tmp_path / "drafts").load()
            if saved is not None and (not seen or saved.text != seen[-1]):
                seen.append(saved.text)
        assert app.editor.text == steady
    assert len(seen) >= 2, "the draft is written while typing continues, and again as it grows"
    assert all(steady.startswith(text) for text in seen)
    assert len(seen[-1]) > len(seen[0])


@sync
async def test_an_autosave_that_fires_while_the_app_closes_still_saves_the_draft(
    checker: Checker, tmp_path: Path
) -> None:
    app = make_app(checker, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, "Tapé juste avant de fermer")
    app.save_draft()  # the screens are gone, as when the timer fires during the teardown
    saved = DraftStore(tmp_path / "drafts").load()
    assert saved is not None and saved.text == "Tapé juste avant de fermer"


@sync
async def test_a_report_that_arrives_while_the_app_closes_is_dropped_quietly(
    checker: Checker, tmp_path: Path
) -> None:
    app = make_app(checker, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, RISKY_FR)
        await settle(pilot, app)
        request = CheckRequest(app.generation + 1, app.current_post(), "fr")
        shown = app.report_generation
        # The editor is gone, as when the checker's messages arrive while the app tears its screens down.
        await app.editor.remove()
        for message in (
            CheckerReady(),
            ReportReady(request, checker.check(request.post)),
            CheckFailed("engine", "late"),
        ):
            app.post_message(message)
        await pilot.pause()
        assert app.report_generation == shown
        assert app.error is None


@sync
async def test_a_discarded_draft_is_not_offered_again(checker: Checker, tmp_path: Path) -> None:
    DraftStore(tmp_path / "drafts").save("Vieux brouillon")
    app = make_app(checker, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, RecoverScreen)
        await pilot.press("d")
        await pilot.pause()
        assert app.editor.text == ""
    assert DraftStore(tmp_path / "drafts").load() is None


@sync
async def test_quitting_keeps_the_draft_and_sending_removes_it(checker: Checker, tmp_path: Path) -> None:
    store = DraftStore(tmp_path / "drafts")
    app = make_app(checker, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, "Pas fini")
        await pilot.press("ctrl+q")
    assert app.return_value is None
    assert app.draft_kept()
    assert store.load() is not None and store.load().text == "Pas fini"

    again = make_app(checker, tmp_path)
    async with again.run_test(size=SIZE) as pilot:
        await pilot.press("r")
        await settle(pilot, again)
        await pilot.press("ctrl+t")
        await pilot.pause()
        await pilot.press("p")
        await pilot.pause()
    assert again.return_value == SendResult("stdout", "Pas fini")
    assert store.load() is None


@sync
async def test_a_post_file_is_written_only_when_saved_with_its_front_matter(
    checker: Checker, tmp_path: Path
) -> None:
    post = tmp_path / "post.md"
    original = (DATA / "posts" / "price_guarantee_acknowledged.md").read_text(encoding="utf-8")
    post.write_text(original, encoding="utf-8")
    app = make_app(checker, tmp_path, path=post)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        assert app.editor.text == "We guarantee a 20% return to every investor this year."
        assert app.lang == "en"
        app.editor.move_cursor(app.editor.document.end)
        await type_text(pilot, " Terms apply.")
        await pilot.pause(0.8)
        assert post.read_text(encoding="utf-8") == original, "typing writes the draft, not the post file"
        await pilot.press("ctrl+s")
        await pilot.pause()
    saved = parse_post_file(post.read_text(encoding="utf-8"), str(post))
    assert saved.text == "We guarantee a 20% return to every investor this year. Terms apply."
    assert saved.meta["lang"] == "en"
    assert saved.reasons() == {
        "sensitive.price-guarantee": "Legal approved this wording for the warranty campaign (ticket LEG-42)."
    }
    assert app.drafts.load() is None


@sync
async def test_the_editor_and_the_check_command_give_the_same_findings_for_a_post_file_in_the_past(
    checker: Checker, tmp_path: Path, run_cli
) -> None:
    post = DATA / "posts" / "publish_at_in_the_past.md"
    checked = run_cli(["check", "--format", "json", str(post)])
    from_check = [(f["rule"], f["message"]) for f in json.loads(checked.out)["results"][0]["findings"]]
    app = make_app(checker, tmp_path, path=post, config=Config())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        from_editor = [(finding.rule, finding.message) for finding in app.findings]
    assert ("schedule.publish-in-past", from_check[0][1]) in from_editor
    assert sorted(from_editor) == sorted(from_check)


@sync
async def test_sending_to_a_post_file_records_the_acknowledged_reasons(
    checker: Checker, tmp_path: Path
) -> None:
    post = tmp_path / "risky.md"
    post.write_text(RISKY_FR + "\n", encoding="utf-8")
    app = make_app(checker, tmp_path, path=post)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("ctrl+t")
        await pilot.pause()
        gate = app.screen
        assert isinstance(gate, SendGate)
        for index, _finding in enumerate(gate.findings):
            if index:
                await pilot.press("down")
            await pilot.press("a", *"approved", "enter")
        await pilot.press("s")
        await pilot.pause()
    assert app.return_value == SendResult("file", RISKY_FR, post)
    saved = parse_post_file(post.read_text(encoding="utf-8"), str(post))
    assert saved.text == RISKY_FR
    assert saved.reasons() == {finding.rule: "approved" for finding in gate.findings}


@sync
async def test_toggles_change_the_context_of_the_check_and_the_status_bar(
    checker: Checker, tmp_path: Path
) -> None:
    app = make_app(checker, tmp_path, text="Bonjour à tous")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        status = str(app.query_one("#status").render())
        assert "personal · post" in status
        await pilot.press("f2", "f3")
        await settle(pilot, app)
        assert (app.account, app.kind) == ("brand", "reply")
        assert "brand · reply" in str(app.query_one("#status").render())


@sync
async def test_counters_turn_red_over_the_limit_and_mark_the_fold(checker: Checker, tmp_path: Path) -> None:
    text = "Nous recrutons. " * 20
    app = make_app(checker, tmp_path, text=text)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        status = app.query_one("#status").render()
        plain = str(status)
        assert f"X {len(text)}/280" in plain
        over = plain.index(f"{len(text)}/280")
        styles = [span.style for span in status.spans if span.start <= over < span.end]
        assert any("red" in str(style) for style in styles)
        assert "✂210" in plain, "LinkedIn folds after 210 characters"
        fold_marks = [mark for row in app.editor.marks.values() for mark in row if "magenta" in str(mark[2])]
        assert fold_marks


@sync
async def test_a_rule_pack_error_is_shown_in_the_ui_and_the_editor_still_works(tmp_path: Path) -> None:
    bad = DATA / "packs" / "unknown_key.toml"
    app = create_app(
        Config(),
        checker_factory=lambda: Checker(Config(), extra_packs=[bad]),
        drafts_dir=tmp_path / "drafts",
        cursor_blink=False,
        warm_up=False,
    )
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        assert app.checker_state == "failed"
        note = str(app.query_one("#findings-note").render())
        assert "unknown_key.toml" in note and "colour" in note
        await type_text(pilot, "Encore utilisable")
        assert app.editor.text == "Encore utilisable"
        await pilot.press("ctrl+t")
        await pilot.pause()
        gate = app.screen
        assert isinstance(gate, SendGate)
        assert "unknown_key.toml" in str(gate.query_one("#gate-intro").render())


@sync
async def test_the_ui_speaks_french_when_the_message_language_is_french(
    checker: Checker, tmp_path: Path
) -> None:
    app = make_app(checker, tmp_path, config=Config(ui_language="fr"), text=RISKY_FR)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        assert "signalement(s)" in str(app.query_one("#findings-note").render())
        price = next(f for f in app.findings if f.rule == "sensitive.price-forecast")
        assert "prévision" in price.message or "prix" in price.message
        await pilot.press("f1")
        await pilot.pause()
        assert "touches" in str(app.screen.query_one("#help-title").render())


@sync
async def test_the_help_screen_lists_every_key_binding(checker: Checker, tmp_path: Path) -> None:
    app = make_app(checker, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        shown = " ".join(str(static.render()) for static in app.screen.query("Static"))
        for key in EDITOR_KEYS:
            assert key.keys in shown
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)


@sync
async def test_the_command_palette_lists_the_editor_actions(checker: Checker, tmp_path: Path) -> None:
    app = make_app(checker, tmp_path)
    async with app.run_test(size=SIZE):
        titles = [command.title for command in app.get_system_commands(app.screen)]
        for label in ("Send", "Save", "Apply fix", "Account", "Reply", "Platforms", "Help"):
            assert label in titles


@sync
async def test_typing_never_waits_for_the_checker_while_it_loads(tmp_path: Path) -> None:
    release = tmp_path / "release"
    loaded = Checker(Config())

    def slow_factory() -> Checker:
        # Stands for the seconds spaCy takes to load: the checker is ready only when the test says so
        # (by a file: the checker loads in a process of its own).
        while not release.exists():
            time.sleep(0.01)
        return loaded

    app = create_app(
        Config(),
        checker_factory=slow_factory,
        drafts_dir=tmp_path / "drafts",
        cursor_blink=False,
        warm_up=False,
    )
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, "On tape pendant le chargement")
        assert app.editor.text == "On tape pendant le chargement"
        assert app.checker_state == "loading"
        assert "Loading" in str(app.query_one("#findings-note").render())
        release.touch()
        await settle(pilot, app)
        assert app.report_text == "On tape pendant le chargement"


@sync
async def test_a_check_past_the_time_budget_ends_with_a_note_and_the_editor_goes_on(
    checker: Checker, tmp_path: Path
) -> None:
    # Half a second: several times what a short post takes, a fraction of what the long one does.
    app = make_app(checker, tmp_path, text=LONG_POST, time_limit=0.5)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        note = str(app.query_one("#findings-note").render())
        assert "stopped after 0.5 s" in note and "SEPTFOIS_TIME_LIMIT" in note
        assert app.report_text != LONG_POST, "no findings of the stopped check are shown"
        app.editor.replace(RISKY_FR, (0, 0), app.editor.document.end)
        await pilot.pause()  # the edit's Changed message
        await settle(pilot, app)
        assert "sensitive.price-forecast" in rules(app)
        assert "stopped" not in str(app.query_one("#findings-note").render())


@sync
async def test_a_newer_text_supersedes_a_long_stale_check_whose_findings_are_never_shown(
    checker: Checker, tmp_path: Path
) -> None:
    app = make_app(checker, tmp_path, text=LONG_POST)
    shown: list[str | None] = []
    async with app.run_test(size=SIZE) as pilot:
        while app.checker_state != "ready":
            await asyncio.sleep(0.005)
        # The long check has just started: replace the whole text, as a paste taken back with ctrl+z.
        app.editor.replace(RISKY_FR, (0, 0), app.editor.document.end)
        await pilot.pause()  # the edit's Changed message
        while not app.is_settled():
            if not shown or shown[-1] != app.report_text:
                shown.append(app.report_text)
            await asyncio.sleep(0.005)
        shown.append(app.report_text)
        assert LONG_POST not in shown
        assert app.report_text == RISKY_FR and "sensitive.price-forecast" in rules(app)
        await pilot.pause(1.2)  # the autosave's longest wait
        saved = DraftStore(tmp_path / "drafts").load()
        assert saved is not None and saved.text == RISKY_FR


def test_a_malformed_post_file_is_refused_before_the_ui_starts(run_cli) -> None:
    result = run_cli(["edit", str(DATA / "posts" / "unknown_front_matter_key.md")])
    assert result.code == 2
    assert "unknown_front_matter_key.md:" in result.err
    assert "Traceback" not in result.err


def test_a_draft_is_written_whole_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    store = DraftStore(tmp_path, Path("posts/launch.md"))
    store.save("premier", account="brand", kind="reply")
    store.save("second")
    assert [p.name for p in tmp_path.iterdir()] == [store.path.name]
    draft = store.load()
    assert draft is not None and (draft.text, draft.account, draft.kind) == ("second", "personal", "post")
    assert draft.path == str(Path("posts/launch.md").resolve())


def test_a_broken_draft_file_is_ignored_rather_than_fatal(tmp_path: Path) -> None:
    store = DraftStore(tmp_path)
    store.path.write_text("{ not json", encoding="utf-8")
    assert store.load() is None


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_message_exists_in_both_languages(lang: str) -> None:
    from septfois.i18n import MESSAGES

    assert set(MESSAGES[lang]) == set(MESSAGES["en"] if lang == "fr" else MESSAGES["fr"])
