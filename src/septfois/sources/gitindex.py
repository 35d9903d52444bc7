"""The plain git pre-commit hook: installing and removing it, and reading the staged posts it checks."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from septfois.errors import SeptfoisError

# Which staged files are posts; .pre-commit-hooks.yaml says the same for the pre-commit framework.
DEFAULT_FILES = r"\.(md|txt|csv|jsonl)$"
# Files with those suffixes that a repository holds for other reasons than publishing them.
DEFAULT_EXCLUDE = (
    r"(^|/)(README|CHANGELOG|CHANGES|HISTORY|CONTRIBUTING|LICEN[CS]E|COPYING|AUTHORS|NOTICE|SECURITY"
    r"|CODE_OF_CONDUCT)[^/]*$|(^|/)(requirements[^/]*|constraints[^/]*|CMakeLists|robots)\.txt$|(^|/)\.github/"
)
# The line that marks a hook as ours: uninstall removes nothing without it, install overwrites nothing else.
MARKER = "# septfois pre-commit hook"
BACKUP_SUFFIX = ".before-septfois"


class HookError(SeptfoisError):
    """A hook that cannot be installed or removed, or a repository that cannot be read."""


def git(*args: str, cwd: Path | None = None) -> bytes:
    """Run git and return its output; a HookError with git's own message when it fails."""
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)
    except FileNotFoundError:
        raise HookError("git is not installed or not on PATH") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip() or f"git {args[0]} failed"
        raise HookError(message)
    return done.stdout


def hook_path(cwd: Path | None = None) -> Path:
    """Where git looks for the pre-commit hook (it follows core.hooksPath)."""
    base = cwd or Path.cwd()
    git("rev-parse", "--git-dir", cwd=base)
    relative = git("rev-parse", "--git-path", "hooks/pre-commit", cwd=base).decode().strip()
    return base / relative


def is_ours(path: Path) -> bool:
    try:
        return MARKER in path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False


def script(files: str = DEFAULT_FILES, exclude: str = DEFAULT_EXCLUDE, interpreter: str | None = None) -> str:
    """The hook: runs `septfois hook run` with the interpreter septfois is installed in, so it works
    without the virtualenv on PATH, and falls back to a `septfois` on PATH if that interpreter is gone."""
    python = interpreter or sys.executable
    options = ""
    if files != DEFAULT_FILES:
        options += f" --files {shlex.quote(files)}"
    if exclude != DEFAULT_EXCLUDE:
        options += f" --exclude {shlex.quote(exclude)}"
    return f"""#!/bin/sh
{MARKER}: written by `septfois hook install`, removed by `septfois hook uninstall`.
# It checks the staged posts and stops the commit when one has findings at or above the fail level.
# Bypass it once with `git commit --no-verify`.
PYTHON={shlex.quote(python)}
if [ -x "$PYTHON" ] && "$PYTHON" -c 'import septfois' 2>/dev/null; then
    exec "$PYTHON" -m septfois hook run{options}
elif command -v septfois >/dev/null 2>&1; then
    exec septfois hook run{options}
fi
echo "septfois: cannot run septfois (not in $PYTHON nor on PATH): reinstall, or commit with --no-verify" >&2
exit 2
"""


def install(cwd: Path | None = None, *, force: bool = False, files: str = DEFAULT_FILES,
            exclude: str = DEFAULT_EXCLUDE) -> str:  # fmt: skip
    """Write the hook; one septfois did not write is set aside with `force`, else refused."""
    for pattern in (files, exclude):
        try:
            re.compile(pattern)
        except re.error as error:
            raise HookError(f"{pattern!r} is not a valid regular expression: {error}") from None
    path = hook_path(cwd)
    said = f"installed the septfois pre-commit hook in {path}"
    if path.exists() and not is_ours(path):
        if not force:
            raise HookError(
                f"{path} exists and septfois did not write it; left as it is "
                "(add `septfois hook run` to it, or use --force to set it aside and install septfois's)"
            )
        backup = path.with_name(path.name + BACKUP_SUFFIX)
        if backup.exists():
            raise HookError(f"{backup} already exists; move it before installing with --force")
        path.rename(backup)
        said += f"; the previous hook is kept in {backup} and comes back on uninstall"
    elif path.exists():
        said = f"updated the septfois pre-commit hook in {path}"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(script(files, exclude), encoding="utf-8")
    path.chmod(0o755)
    return said


def uninstall(cwd: Path | None = None) -> str:
    """Remove the hook if septfois wrote it (and restore the hook it set aside); never touch another one."""
    path = hook_path(cwd)
    backup = path.with_name(path.name + BACKUP_SUFFIX)
    if not path.exists():
        return f"no pre-commit hook in {path}: nothing to remove"
    if not is_ours(path):
        raise HookError(f"{path} was not written by septfois; left as it is")
    path.unlink()
    if backup.exists():
        backup.rename(path)
        return f"removed the septfois pre-commit hook; restored the previous hook in {path}"
    return f"removed the septfois pre-commit hook from {path}"


@dataclass(frozen=True)
class StagedFile:
    """A file as it is in the index: what will be committed, not what is in the working tree."""

    path: str
    content: str


def staged_paths(
    files: str = DEFAULT_FILES, exclude: str = DEFAULT_EXCLUDE, cwd: Path | None = None
) -> list[str]:
    """Added, copied, modified or renamed paths in the index that look like posts, from the top level."""
    raw = git("diff", "--cached", "--name-only", "-z", "--diff-filter=ACMR", cwd=cwd)
    names = [name.decode("utf-8", "surrogateescape") for name in raw.split(b"\0") if name]
    include, skip = re.compile(files), re.compile(exclude) if exclude else None
    return [name for name in names if include.search(name) and not (skip and skip.search(name))]


def read_staged(path: str, cwd: Path | None = None) -> StagedFile:
    """The staged content of `path` (`git show :path`), decoded as the check command decodes files."""
    from septfois.sources.inputs import MAX_POST_BYTES, decode
    from septfois.sources.schedule import MAX_SCHEDULE_BYTES, SCHEDULE_SUFFIXES

    limit = MAX_SCHEDULE_BYTES if path.lower().endswith(SCHEDULE_SUFFIXES) else MAX_POST_BYTES
    return StagedFile(path, decode(git("show", f":{path}", cwd=cwd), path, limit=limit))


def top_level(cwd: Path | None = None) -> Path:
    """The working tree's top level, where staged paths are relative to (git runs hooks there too)."""
    return Path(os.fsdecode(git("rev-parse", "--show-toplevel", cwd=cwd).strip()))
