"""A disk cache of the compiled programs of very large `re` patterns, so a module that builds one at
import time (spaCy's French tokenizer) does not recompile it at every start."""

from __future__ import annotations

import array
import hashlib
import importlib
import json
import os
import re
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import Any

from septfois.files import replace_atomically

# spaCy's French tokenizer exceptions make one pattern of 1.45 million characters whose compilation by
# `re` takes 2.2-3.4 s of CPU, every start, for a result that depends only on the pattern and the Python
# build. Patterns this long are the only ones kept; every other pattern compiles as usual.
LARGE_PATTERN = 100_000
# A program not read for this long belongs to a spaCy or Python no longer installed: the next write
# removes it. Reads refresh a program's time at most once a day, so a start costs no write.
STALE_SECONDS = 30 * 24 * 3600
TOUCH_SECONDS = 24 * 3600
SUFFIX = ".sre"
_lock = threading.Lock()


def cache_dir() -> Path:
    from platformdirs import user_cache_path

    return user_cache_path("septfois", appauthor=False) / "regex"


def import_with_cached_patterns(name: str, folder: Path | None = None) -> ModuleType:
    """Import module `name`, taking its large patterns' compiled programs from `folder` (the user's cache
    by default) and keeping there those it had to compile."""
    if name in sys.modules:
        return sys.modules[name]
    compiler = _compiler_module()
    if compiler is None:
        return importlib.import_module(name)
    with _lock, _compiling_through(compiler, folder or cache_dir()):
        return importlib.import_module(name)


def _compiler_module() -> Any:
    """`re`'s compiler module where it has the shape this cache reads (CPython 3.11 and later)."""
    compiler = getattr(re, "_compiler", None)
    sre = getattr(compiler, "_sre", None)
    if compiler is None or not callable(getattr(compiler, "compile", None)):
        return None
    if not hasattr(sre, "compile") or not hasattr(sre, "MAGIC") or not hasattr(sre, "CODESIZE"):
        return None
    return compiler


@contextmanager
def _compiling_through(compiler: Any, folder: Path) -> Iterator[None]:
    real = compiler.compile

    def compile_large_from_cache(pattern: Any, flags: int = 0) -> Any:
        if not isinstance(pattern, str) or len(pattern) < LARGE_PATTERN:
            return real(pattern, flags)
        path = folder / (_key(compiler, pattern, flags) + SUFFIX)
        kept = _read(compiler, path, pattern)
        if kept is not None:
            return kept
        compiled, program = _recorded(compiler, real, pattern, flags)
        if program is not None:
            _write(compiler, path, program)
        return compiled

    compiler.compile = compile_large_from_cache
    try:
        yield
    finally:
        compiler.compile = real


def _key(compiler: Any, pattern: str, flags: int) -> str:
    """Names a program by what it depends on: the pattern, its flags and the `re` engine that runs it."""
    digest = hashlib.sha256()
    digest.update(
        f"{sys.implementation.cache_tag} {compiler._sre.MAGIC} {compiler._sre.CODESIZE} {flags}\n".encode()
    )
    digest.update(pattern.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()[:40]


def _recorded(compiler: Any, real: Callable[..., Any], pattern: str, flags: int) -> tuple[Any, dict | None]:
    """Compile as `re` does, noting the arguments its compiler hands to the engine for this pattern."""
    sre = compiler._sre
    seen: dict[str, Any] = {}

    class Recorder:
        def __getattr__(self, attribute: str) -> Any:
            return getattr(sre, attribute)

        @staticmethod
        def compile(source: Any, final_flags: int, code: list[int], groups: int, *rest: Any) -> Any:
            # Another signature than CPython 3.11-3.13's: compile as usual and keep nothing.
            if source is pattern and len(rest) == 2:
                groupindex, indexgroup = rest
                seen.update(
                    flags=final_flags,
                    code=code,
                    groups=groups,
                    groupindex=dict(groupindex),
                    indexgroup=list(indexgroup),
                )
            return sre.compile(source, final_flags, code, groups, *rest)

    compiler._sre = Recorder()
    try:
        compiled = real(pattern, flags)
    finally:
        compiler._sre = sre
    return compiled, (seen or None)


def _write(compiler: Any, path: Path, program: dict[str, Any]) -> None:
    """Keep a program (a header line of JSON, then the code as machine words); a cache that cannot be
    written only means compiling again next time."""
    code = array.array("I", program.pop("code"))
    if code.itemsize != compiler._sre.CODESIZE:
        return
    words = code.tobytes()
    header = json.dumps({**program, "sha256": hashlib.sha256(words).hexdigest()}).encode() + b"\n"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        _prune(path.parent)
        replace_atomically(path, header + words)
    except OSError:
        return


def _read(compiler: Any, path: Path, pattern: str) -> Any:
    """The compiled pattern from a kept program, or None when there is none or it cannot be used (a file
    whose words do not match their digest, or that the engine's own check of the program refuses)."""
    try:
        with path.open("rb") as source:
            header = json.loads(source.readline())
            words = source.read()
        # The engine refuses a program that breaks its grammar, not one whose literals were altered.
        if hashlib.sha256(words).hexdigest() != header["sha256"]:
            return None
        code = array.array("I")
        code.frombytes(words)
        if code.itemsize != compiler._sre.CODESIZE:
            return None
        indexgroup = tuple(header["indexgroup"])
        compiled = compiler._sre.compile(
            pattern, header["flags"], code.tolist(), header["groups"], header["groupindex"], indexgroup
        )
    except (OSError, ValueError, KeyError, TypeError, RuntimeError):
        return None
    _mark_used(path)
    return compiled


def _mark_used(path: Path) -> None:
    try:
        if time.time() - path.stat().st_mtime > TOUCH_SECONDS:
            os.utime(path)
    except OSError:
        pass


def _prune(folder: Path) -> None:
    """Remove the programs nobody has read for STALE_SECONDS."""
    now = time.time()
    for old in folder.glob("*" + SUFFIX):
        try:
            if now - old.stat().st_mtime > STALE_SECONDS:
                old.unlink()
        except OSError:
            continue
