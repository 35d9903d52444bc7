"""The post and schedule files under a folder, leaving out what git ignores."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

from septfois.errors import InputError
from septfois.sources.gitindex import DEFAULT_EXCLUDE
from septfois.sources.postfile import POST_SUFFIXES
from septfois.sources.schedule import SCHEDULE_SUFFIXES

SUFFIXES = POST_SUFFIXES + SCHEDULE_SUFFIXES
_EXCLUDE = re.compile(DEFAULT_EXCLUDE)


def files_under(folder: str) -> list[str]:
    """The post and schedule files under `folder`, named from it (`posts/` gives `posts/a.md`), sorted.

    Inside a git work tree, the files git tracks or would track (`git ls-files -co --exclude-standard`):
    what .gitignore leaves out is left out here too. Elsewhere every file, hidden folders left out.
    Files a repository holds for other reasons (README, LICENSE, requirements.txt) are skipped, as the
    commit hook skips them.
    """
    root = Path(folder)
    if not root.is_dir():
        raise InputError(f"{folder}: not a folder")
    listed = _git_files(root)
    if listed is None:
        listed = _walk(root)
    wanted = [
        name
        for name in listed
        if name.lower().endswith(SUFFIXES) and not _EXCLUDE.search(name) and (root / name).is_file()
    ]
    return [str(root / name) if folder not in (".", "./") else name for name in sorted(wanted)]


def _git_files(root: Path) -> list[str] | None:
    """Files under `root` as git sees them, relative to it; None outside a work tree or without git."""
    try:
        done = subprocess.run(
            ["git", "ls-files", "-z", "-co", "--exclude-standard", "--", "."],
            cwd=root,
            capture_output=True,
            check=False,
        )
    except OSError:
        return None
    if done.returncode != 0:
        return None
    return [name for name in done.stdout.decode("utf-8", "surrogateescape").split("\0") if name]


def _walk(root: Path) -> list[str]:
    found = []
    for here, folders, files in os.walk(root):
        folders[:] = [name for name in folders if not name.startswith(".")]
        base = Path(here).relative_to(root)
        found.extend((base / name).as_posix() for name in files)
    return found
