"""A module's very large pattern is compiled once, then read back from the cache, with the same matches."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from septfois.analysis.compiled_regex import LARGE_PATTERN, STALE_SECONDS, import_with_cached_patterns

MODULE = "big_pattern_module"
WORDS = [f"mot{index}-composé" for index in range(LARGE_PATTERN // 10)]
SAMPLES = ["mot7-composé", "MOT1234-COMPOSÉ", "mot-composé", "mot99999999-composé", "bonjour", ""]


@pytest.fixture
def module_folder(tmp_path: Path) -> Iterator[Path]:
    """A folder holding a module that builds a pattern longer than LARGE_PATTERN when imported."""
    source = tmp_path / "module"
    source.mkdir()
    (source / f"{MODULE}.py").write_text(
        "import re\n"
        f"WORDS = [f'mot{{index}}-composé' for index in range({len(WORDS)})]\n"
        "MATCH = re.compile('(?iu)^(?:' + '|'.join(WORDS) + ')$').match\n",
        encoding="utf-8",
    )
    sys.path.insert(0, str(source))
    yield tmp_path / "cache"
    sys.path.remove(str(source))
    sys.modules.pop(MODULE, None)
    re.purge()


def fresh_import(cache: Path) -> object:
    sys.modules.pop(MODULE, None)
    re.purge()  # re keeps compiled patterns too: each import must go through the compiler or the cache
    return import_with_cached_patterns(MODULE, cache)


def answers(module: object) -> list[bool]:
    return [module.MATCH(sample) is not None for sample in SAMPLES]  # type: ignore[attr-defined]


def test_a_large_pattern_is_compiled_once_then_read_from_the_cache(
    module_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = answers(fresh_import(module_folder))
    assert first == [True, True, False, False, False, False]
    assert len(list(module_folder.glob("*.sre"))) == 1

    def no_compiling(*_: object) -> None:
        raise AssertionError("the pattern was compiled again")

    monkeypatch.setattr(re._compiler, "_code", no_compiling)  # type: ignore[attr-defined]
    assert answers(fresh_import(module_folder)) == first


def test_small_patterns_compile_as_usual_and_are_not_kept(module_folder: Path) -> None:
    fresh_import(module_folder)
    assert re.compile("(?i)mot[0-9]+").match("MOT3")
    assert len(list(module_folder.glob("*.sre"))) == 1


def test_a_damaged_program_is_refused_and_compiled_again(module_folder: Path) -> None:
    first = answers(fresh_import(module_folder))
    [kept] = module_folder.glob("*.sre")
    header, code = kept.read_bytes().split(b"\n", 1)
    kept.write_bytes(header + b"\n" + b"\xff" * len(code))
    assert answers(fresh_import(module_folder)) == first
    kept.write_bytes(b"not a program")
    assert answers(fresh_import(module_folder)) == first
    assert kept.read_bytes().split(b"\n", 1)[1] == code


def test_a_program_altered_behind_its_digest_is_compiled_again(
    module_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fresh_import(module_folder)
    [kept] = module_folder.glob("*.sre")
    header, code = kept.read_bytes().split(b"\n", 1)
    kept.write_bytes(header.replace(b'"sha256": "', b'"sha256": "0') + b"\n" + code)
    compiled = []
    real = re._compiler._code  # type: ignore[attr-defined]
    monkeypatch.setattr(re._compiler, "_code", lambda *args: compiled.append(1) or real(*args))  # type: ignore[attr-defined]
    assert answers(fresh_import(module_folder)) == [True, True, False, False, False, False]
    assert compiled


def test_an_unwritable_cache_only_means_compiling_again(module_folder: Path) -> None:
    module_folder.write_text("a file where the folder should be", encoding="utf-8")
    assert answers(fresh_import(module_folder)) == [True, True, False, False, False, False]


def test_programs_unread_for_a_month_are_removed_when_a_new_one_is_written(module_folder: Path) -> None:
    module_folder.mkdir()
    stale, recent = module_folder / ("0" * 40 + ".sre"), module_folder / ("1" * 40 + ".sre")
    for path, age in ((stale, STALE_SECONDS + 3600), (recent, STALE_SECONDS - 3600)):
        path.write_bytes(b"{}\n")
        os.utime(path, (time.time() - age, time.time() - age))
    fresh_import(module_folder)
    assert not stale.exists() and recent.exists()


def test_reading_a_program_marks_it_used_at_most_once_a_day(module_folder: Path) -> None:
    fresh_import(module_folder)
    [kept] = module_folder.glob("*.sre")
    two_days_ago = time.time() - 2 * 24 * 3600
    os.utime(kept, (two_days_ago, two_days_ago))
    fresh_import(module_folder)
    read_at = kept.stat().st_mtime
    assert read_at > two_days_ago + 24 * 3600
    fresh_import(module_folder)
    assert kept.stat().st_mtime == read_at


def test_a_french_check_keeps_spacys_token_pattern_in_the_users_cache(tmp_path: Path) -> None:
    environment = {**os.environ, "XDG_CACHE_HOME": str(tmp_path), "SEPTFOIS_NO_DAEMON": "1"}
    for _ in range(2):  # compiled and kept, then read back: the same findings both times
        done = subprocess.run(
            [sys.executable, "-m", "septfois", "check", "--format", "json", "-"],
            input="Aujourd'hui, c'est peut-être là que les prix vont exploser, je vous le garantis.",
            capture_output=True,
            text=True,
            env=environment,
            timeout=120,
            check=False,
        )
        assert done.returncode == 1, done.stderr
        assert "sensitive.certain-forecast" in done.stdout
    assert len(list((tmp_path / "septfois" / "regex").glob("*.sre"))) == 1
