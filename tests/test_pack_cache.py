"""Compiled packs are kept until their file changes."""

from __future__ import annotations

import os
import time
from pathlib import Path

from septfois.findings.packs import builtin_pack_paths, load_pack


def test_a_pack_file_is_compiled_once_until_it_changes(tmp_path: Path) -> None:
    source = Path(builtin_pack_paths()[0]).read_text(encoding="utf-8")
    path = tmp_path / "pack.toml"
    path.write_text(source, encoding="utf-8")
    an_hour_ago = time.time() - 3600
    os.utime(path, (an_hour_ago, an_hour_ago))
    first = load_pack(path)
    assert load_pack(path) is first
    path.write_text(source.replace('level = "warning"', 'level = "error"', 1), encoding="utf-8")
    os.utime(path, (an_hour_ago + 60, an_hour_ago + 60))
    changed = load_pack(path)
    assert changed is not first
    assert [r.level for r in changed.rules] != [r.level for r in first.rules]


def test_a_pack_written_just_now_is_read_again_at_the_next_load(tmp_path: Path) -> None:
    path = tmp_path / "pack.toml"
    path.write_text(Path(builtin_pack_paths()[0]).read_text(encoding="utf-8"), encoding="utf-8")
    assert load_pack(path) is not load_pack(path)
