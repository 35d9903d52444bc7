"""Snapshots of the terminal UI's screens (pytest-textual-snapshot), at a fixed size with a fixed clock."""

from __future__ import annotations

import time
from pathlib import Path

from textual.pilot import Pilot

from conftest import DATA
from septfois.config import Config
from septfois.findings.engine import Checker
from septfois.findings.packs import load_pack
from septfois.tui.app import SeptfoisApp, create_app

SIZE = (120, 40)
# Only rules whose wording is fixed: the snapshots follow the UI, not the built-in packs' evolving text.
SNAPSHOT_PACK = DATA / "tui" / "stable_wording_for_snapshots.toml"
RISKY_FR = "Les prix vont exploser mdr, appelez Jean Dupont au 06 12 34 56 78"


def frozen_clock() -> float:
    return 1000.0


def make_app(tmp_path: Path, text: str = RISKY_FR) -> SeptfoisApp:
    config = Config(platforms=("x", "linkedin"))
    return create_app(
        config,
        text=text,
        checker=Checker(config, packs=[load_pack(SNAPSHOT_PACK)]),
        drafts_dir=tmp_path / "drafts",
        countdown=7,
        clock=frozen_clock,
        cursor_blink=False,
        warm_up=False,
    )


async def settled(pilot: Pilot) -> None:
    app = pilot.app
    assert isinstance(app, SeptfoisApp)
    deadline = time.monotonic() + 120
    while not app.is_settled():
        assert time.monotonic() < deadline, "the check never finished"
        await pilot.pause(0.02)
    await pilot.pause()


def test_the_main_screen_shows_findings_highlights_and_counters(
    snap_compare, checker: Checker, tmp_path: Path
) -> None:
    assert snap_compare(make_app(tmp_path), terminal_size=SIZE, run_before=settled)


def test_at_80_by_24_the_counters_and_the_quit_key_stay_in_view(
    snap_compare, checker: Checker, tmp_path: Path
) -> None:
    assert snap_compare(make_app(tmp_path), terminal_size=(80, 24), run_before=settled)


def test_at_80_by_24_a_selected_finding_is_explained(snap_compare, checker: Checker, tmp_path: Path) -> None:
    async def select_first(pilot: Pilot) -> None:
        await settled(pilot)
        await pilot.press("tab", "down", "enter")

    assert snap_compare(make_app(tmp_path), terminal_size=(80, 24), run_before=select_first)


def test_a_selected_finding_shows_why_and_what_to_do_instead(
    snap_compare, checker: Checker, tmp_path: Path
) -> None:
    async def select_first(pilot: Pilot) -> None:
        await settled(pilot)
        await pilot.press("tab", "down", "enter")

    assert snap_compare(make_app(tmp_path), terminal_size=SIZE, run_before=select_first)


def test_the_send_gate_lists_what_is_still_flagged_and_counts_down(
    snap_compare, checker: Checker, tmp_path: Path
) -> None:
    async def open_gate(pilot: Pilot) -> None:
        await settled(pilot)
        await pilot.press("ctrl+t")
        await pilot.pause()
        await pilot.press("enter")

    assert snap_compare(make_app(tmp_path), terminal_size=SIZE, run_before=open_gate)


def test_the_help_screen_lists_the_keys(snap_compare, tmp_path: Path) -> None:
    async def open_help(pilot: Pilot) -> None:
        await settled(pilot)
        await pilot.press("f1")

    assert snap_compare(make_app(tmp_path, text=""), terminal_size=SIZE, run_before=open_help)
