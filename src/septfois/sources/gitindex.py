"""The git index as a source of posts: which staged files are posts, and their staged content."""

from __future__ import annotations

import os
import re
import subprocess
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


def staged_objects(cwd: Path | None = None) -> dict[str, str]:
    """The object id of every path in the index (stage 0: what the commit will hold)."""
    objects: dict[str, str] = {}
    for entry in git("ls-files", "--stage", "-z", cwd=cwd).split(b"\0"):
        if not entry:
            continue
        # "<mode> <object> <stage>\t<path>": the path is taken whole, whatever it holds (":", tabs).
        info, _, name = entry.partition(b"\t")
        _mode, oid, stage = info.decode("ascii").split(" ")
        if stage == "0":
            objects[name.decode("utf-8", "surrogateescape")] = oid
    return objects


def read_staged(path: str, cwd: Path | None = None, *, objects: dict[str, str] | None = None) -> StagedFile:
    """The staged content of `path`, decoded as the check command decodes files.

    The blob is read by its object id (`git cat-file blob OID`), never by `git show :PATH`, which would
    read a path such as `0:clean.md` as the stage-0 entry of another file (`clean.md`)."""
    from septfois.sources.inputs import MAX_POST_BYTES, decode
    from septfois.sources.schedule import MAX_SCHEDULE_BYTES, SCHEDULE_SUFFIXES

    oid = (objects if objects is not None else staged_objects(cwd)).get(path)
    if oid is None:
        raise HookError(f"{path}: not in the index (staged for removal, or in a merge conflict)")
    limit = MAX_SCHEDULE_BYTES if path.lower().endswith(SCHEDULE_SUFFIXES) else MAX_POST_BYTES
    return StagedFile(path, decode(git("cat-file", "blob", oid, cwd=cwd), path, limit=limit))


def top_level(cwd: Path | None = None) -> Path:
    """The working tree's top level, where staged paths are relative to (git runs hooks there too)."""
    return Path(os.fsdecode(git("rev-parse", "--show-toplevel", cwd=cwd).strip()))
