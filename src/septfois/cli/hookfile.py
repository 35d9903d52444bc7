"""The plain git pre-commit hook file: the script it holds, installing it and removing it."""

from __future__ import annotations

import re
import shlex
import sys
from pathlib import Path

from septfois.sources.gitindex import DEFAULT_EXCLUDE, DEFAULT_FILES, HookError, git

# The line that marks a hook as ours: uninstall removes nothing without it, install overwrites nothing else.
MARKER = "# septfois pre-commit hook"
BACKUP_SUFFIX = ".before-septfois"


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
