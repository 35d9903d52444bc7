"""The git hooks, with the real tools: septfois's own pre-commit hook and the pre-commit framework."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import REPO
from septfois.cli import hookfile
from septfois.sources import gitindex as hook

RISKY = "We guarantee a 20% return to every investor this year.\n"
CLEAN = "Merci à toute l'équipe pour ce lancement de la nouvelle gamme.\n"
FOREIGN = "#!/bin/sh\necho 'a hook somebody else wrote'\n"


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty git repository in the current directory, where `run_cli` runs, with a committer."""
    for role in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{role}_NAME", "Septfois Test")
        monkeypatch.setenv(f"GIT_{role}_EMAIL", "test@example.com")
    git(tmp_path, "init", "-q")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def git(cwd: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=check)


def commits(repo: Path) -> int:
    done = git(repo, "rev-list", "--count", "HEAD", check=False)
    return int(done.stdout) if done.returncode == 0 else 0


def stage(repo: Path, name: str, text: str) -> None:
    path = repo / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    git(repo, "add", name)


def test_a_risky_staged_post_stops_the_commit_naming_file_line_rule_and_why(repo: Path, run_cli) -> None:
    assert run_cli(["hook", "install"]).code == 0
    stage(repo, "posts/launch.md", '+++\nlang = "en"\n+++\n\n' + RISKY)
    done = git(repo, "commit", "-m", "launch post", check=False)
    assert done.returncode != 0
    assert commits(repo) == 0
    # git sends what a hook prints to its own stderr.
    assert "posts/launch.md:5:1: error sensitive:market [sensitive.price-guarantee]" in done.stderr
    assert "\n    why: " in done.stderr
    assert "septfois: commit stopped" in done.stderr
    bypassed = git(repo, "commit", "--no-verify", "-m", "launch post anyway", check=False)
    assert bypassed.returncode == 0 and commits(repo) == 1


def test_a_clean_staged_post_is_committed_even_with_a_risky_unstaged_change(repo: Path, run_cli) -> None:
    assert run_cli(["hook", "install"]).code == 0
    stage(repo, "posts/launch.md", CLEAN)
    (repo / "posts" / "launch.md").write_text(RISKY, encoding="utf-8")
    done = git(repo, "commit", "-m", "clean launch post", check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert commits(repo) == 1
    # The hook only read: the working tree still holds the unstaged change.
    assert (repo / "posts" / "launch.md").read_text(encoding="utf-8") == RISKY
    assert git(repo, "show", "HEAD:posts/launch.md").stdout == CLEAN


def test_hook_run_ends_with_a_line_counting_every_staged_post_clean_or_not(repo: Path, run_cli) -> None:
    stage(repo, "posts/launch.md", '+++\nlang = "en"\n+++\n\n' + RISKY)
    stage(repo, "posts/thanks.md", CLEAN)
    done = run_cli(["hook", "run"])
    assert done.code == 1
    last = done.out.strip().splitlines()[-1]
    assert last.startswith("2 posts in 2 files; 1 error") and "sensitive:market 1" in last


def test_a_risky_schedule_row_stops_the_commit_and_a_readme_is_not_a_post(repo: Path, run_cli) -> None:
    assert run_cli(["hook", "install"]).code == 0
    stage(repo, "README.md", RISKY)
    rows = "Date,Message\n2099-03-02 09:30,Merci à toute l'équipe.\n2099-03-03 09:30," + RISKY
    stage(repo, "schedule.csv", rows)
    done = git(repo, "commit", "-m", "schedule", check=False)
    assert done.returncode != 0
    # The risky row is the file's third line; its message starts after "2099-03-03 09:30,".
    assert "schedule.csv:3:18: error sensitive:market [sensitive.price-guarantee]" in done.stderr
    assert "README.md" not in done.stderr


def test_a_risky_post_named_like_a_stage_of_another_file_is_checked_itself(repo: Path, run_cli) -> None:
    # `git show :0:clean.md` would read the stage-0 entry of clean.md: blobs are read by object id.
    stage(repo, "clean.md", CLEAN)
    stage(repo, "0:clean.md", RISKY)
    result = run_cli(["hook", "run"])
    assert result.code == 1
    assert "0:clean.md:1:1: error sensitive:market [sensitive.price-guarantee]" in result.out


def test_an_existing_foreign_hook_is_left_alone(repo: Path, run_cli) -> None:
    path = repo / ".git" / "hooks" / "pre-commit"
    path.write_text(FOREIGN, encoding="utf-8")
    refused = run_cli(["hook", "install"])
    assert refused.code == 2 and "did not write it; left as it is" in refused.err
    not_ours = run_cli(["hook", "uninstall"])
    assert not_ours.code == 2
    assert path.read_text(encoding="utf-8") == FOREIGN


def test_install_with_force_sets_a_foreign_hook_aside_and_uninstall_restores_it(repo: Path, run_cli) -> None:
    path = repo / ".git" / "hooks" / "pre-commit"
    path.write_text(FOREIGN, encoding="utf-8")
    assert run_cli(["hook", "install", "--force"]).code == 0
    assert hookfile.is_ours(path) and os.access(path, os.X_OK)
    assert (path.parent / "pre-commit.before-septfois").read_text(encoding="utf-8") == FOREIGN
    assert run_cli(["hook", "uninstall"]).code == 0
    assert path.read_text(encoding="utf-8") == FOREIGN
    assert not (path.parent / "pre-commit.before-septfois").exists()


def test_the_installed_hook_runs_septfois_with_this_interpreter_and_honours_core_hooks_path(
    repo: Path, run_cli
) -> None:
    git(repo, "config", "core.hooksPath", "githooks")
    result = run_cli(["hook", "install", "--files", r"^posts/.*\.md$"])
    assert result.code == 0
    text = (repo / "githooks" / "pre-commit").read_text(encoding="utf-8")
    assert sys.executable in text and "-m septfois hook run --files '^posts/.*\\.md$'" in text
    assert run_cli(["hook", "uninstall"]).code == 0
    assert not (repo / "githooks" / "pre-commit").exists()


def test_without_the_server_a_staged_post_past_the_time_limit_is_stopped_naming_it_and_exits_2(
    repo: Path,
) -> None:
    stage(repo, "posts/a_clean.md", CLEAN)
    # About 900 KB of ordinary French (under the 1,000,000-byte input limit): its check takes seconds.
    paragraph = (
        "Chers collègues, nous lançons aujourd'hui la nouvelle version de notre service. Merci à tous.\n\n"
    )
    stage(repo, "posts/b_huge.md", paragraph * (900_000 // len(paragraph.encode("utf-8"))))
    stage(repo, "posts/c_risky.md", '+++\nlang = "en"\n+++\n\n' + RISKY)
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO / "src"),
        "SEPTFOIS_NO_DAEMON": "1",
        "SEPTFOIS_TIME_LIMIT": "1",
    }
    done = subprocess.run(
        [sys.executable, "-m", "septfois", "hook", "run"], cwd=repo, env=env, capture_output=True, text=True
    )
    assert done.returncode == 2, done.stderr
    assert (
        "septfois: posts/b_huge.md: the check took more than 1 s (the time limit, SEPTFOIS_TIME_LIMIT); "
        "stopped, and 1 other staged post(s) not checked" in done.stderr
    )
    assert "septfois: commit stopped" in done.stderr
    assert "Traceback" not in done.stderr


def test_hook_run_with_nothing_staged_that_looks_like_a_post_passes(repo: Path, run_cli) -> None:
    stage(repo, "notes/CHANGELOG.md", RISKY)
    stage(repo, "script.py", "print('We guarantee a 20% return')\n")
    assert hook.staged_paths() == []
    assert run_cli(["hook", "run"]).code == 0


def test_hook_run_reports_a_malformed_front_matter_as_an_error(repo: Path, run_cli) -> None:
    stage(repo, "post.md", "+++\nlang = fr\n+++\nBonjour.\n")
    result = run_cli(["hook", "run"])
    assert result.code == 2
    assert "post.md:2: front matter: Invalid value" in result.err


def test_the_manifest_matches_what_the_plain_hook_checks() -> None:
    (manifest,) = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert manifest["id"] == "septfois"
    assert (manifest["files"], manifest["exclude"]) == (hook.DEFAULT_FILES, hook.DEFAULT_EXCLUDE)


def project_copy(destination: Path) -> Path:
    """This working tree as a one-commit repository, so `try-repo` sees files not yet committed here."""
    listed = git(REPO, "ls-files", "-z", "--cached", "--others", "--exclude-standard").stdout.split("\0")
    for name in filter(None, listed):
        source = REPO / name
        if name.startswith("tests/") or not (source.exists() or source.is_symlink()):
            continue
        target = destination / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_symlink():
            target.symlink_to(os.readlink(source))
        else:
            shutil.copy2(source, target)
    git(destination, "init", "-q")
    git(destination, "add", "-A")
    git(destination, "commit", "-q", "-m", "septfois as it is being tested")
    return destination


def test_the_pre_commit_framework_runs_the_manifest_hook_on_staged_posts(
    repo: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    elsewhere = tmp_path_factory.mktemp("pre-commit")
    source = project_copy(elsewhere / "septfois")
    stage(repo, "posts/risky.md", RISKY)
    stage(repo, "posts/clean.md", CLEAN)
    pre_commit = Path(sys.executable).with_name("pre-commit")
    env = {**os.environ, "PRE_COMMIT_HOME": str(elsewhere / "home")}
    done = subprocess.run(
        [str(pre_commit), "try-repo", str(source), "septfois", "--files", "posts/risky.md", "posts/clean.md"],
        cwd=repo, capture_output=True, text=True, env=env, check=False, timeout=900,
    )  # fmt: skip
    assert done.returncode == 1, done.stdout + done.stderr
    assert "posts/risky.md:1:1: error sensitive:market [sensitive.price-guarantee]" in done.stdout
    # --quiet: the clean post is counted in the closing summary, not listed.
    assert "posts/clean.md" not in done.stdout
    assert "2 posts in 2 files; 1 error (sensitive:market 1)." in done.stdout
