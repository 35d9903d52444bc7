"""A post gets the same report whichever path checks it: alone, in a batch, or by batch workers."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import DEV, corpus_lines, corpus_texts
from septfois.cli.formats import jsonl_line
from septfois.findings.engine import Checker
from septfois.sources.inputs import parse_batch_line


def test_check_one_by_one_check_many_and_the_jsonl_command_give_the_same_bytes(
    checker: Checker, run_cli
) -> None:
    items = [parse_batch_line(line, str(DEV), number) for number, line in enumerate(corpus_lines(), start=1)]
    sources = [f"{DEV}:{number}" for number in range(1, len(items) + 1)]
    single = [
        jsonl_line(item.id, checker.check(item.post, source=source))
        for item, source in zip(items, sources, strict=True)
    ]
    reports = checker.check_many([item.post for item in items], sources=sources)
    many = [jsonl_line(item.id, report) for item, report in zip(items, reports, strict=True)]
    result = run_cli(["check", "--jsonl", str(DEV), "--fail-on", "never"])
    assert result.code == 0, result.err
    assert len(single) == len(items) == len(corpus_lines()) > 50
    assert many == single
    assert result.out.splitlines(keepends=True) == single
    assert any('"findings": [{' in line for line in single)  # the corpus does exercise the rules


def test_check_many_of_nothing_is_nothing(checker: Checker) -> None:
    assert checker.check_many([]) == []


def test_a_post_checked_inside_a_batch_of_other_posts_gets_its_lone_report(checker: Checker) -> None:
    from septfois.model import Post

    post = Post(text="Marie Dupont est en arrêt maladie pour son cancer, on lui souhaite bon courage 😂")
    alone = checker.check(post)
    crowd = checker.check_many([Post(text=text) for text in corpus_texts()[:40]] + [post])
    assert crowd[-1] == alone
    assert {finding.rule for finding in alone.findings} >= {"anonymity.named-health"}


def test_a_batch_checked_by_worker_processes_gives_the_same_bytes_as_one_process(
    run_cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from septfois.cli import check_cmd
    from septfois.cli.main import EXIT_ERROR

    pools: list[object] = []

    class CountedPool(check_cmd.ProcessPoolExecutor):
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            pools.append(self)

    monkeypatch.setattr(check_cmd, "ProcessPoolExecutor", CountedPool)
    batch = tmp_path / "posts.jsonl"
    lines = corpus_lines() * 2
    batch.write_text("\n".join([*lines[:70], "{not json", *lines[70:]]) + "\n", encoding="utf-8")
    monkeypatch.setenv("SEPTFOIS_BATCH_WORKERS", "0")
    alone = run_cli(["check", "--jsonl", str(batch)])
    assert pools == []
    monkeypatch.setenv("SEPTFOIS_BATCH_WORKERS", "2")
    shared = run_cli(["check", "--jsonl", str(batch)])
    assert len(pools) == 1
    assert shared.out == alone.out
    assert len(shared.out.splitlines()) == len(lines) > 2 * check_cmd.BATCH_LINES
    assert (shared.code, shared.err) == (alone.code, alone.err)
    assert shared.code == EXIT_ERROR  # the bad line is reported, and the others checked
    assert ":71" in shared.err


def test_a_process_with_its_models_loaded_hands_even_the_first_batch_to_the_workers(
    run_cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from septfois.cli import check_cmd

    Checker().load_models()
    submitted: list[int] = []

    class CountedPool(check_cmd.ProcessPoolExecutor):
        def submit(self, fn, /, *args, **kwargs):  # type: ignore[no-untyped-def]
            submitted.append(len(args[0]))
            return super().submit(fn, *args, **kwargs)

    monkeypatch.setattr(check_cmd, "ProcessPoolExecutor", CountedPool)
    monkeypatch.setenv("SEPTFOIS_BATCH_WORKERS", "2")
    batch = tmp_path / "posts.jsonl"
    batch.write_text("\n".join((corpus_lines() * 2)[:100]) + "\n", encoding="utf-8")
    result = run_cli(["check", "--jsonl", str(batch)])
    assert result.err == ""
    assert submitted == [check_cmd.BATCH_LINES, 100 - check_cmd.BATCH_LINES]
    assert len(result.out.splitlines()) == 100


def test_a_batch_of_a_single_batch_is_checked_without_workers(
    run_cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from septfois.cli import check_cmd

    pools: list[object] = []
    monkeypatch.setattr(check_cmd, "ProcessPoolExecutor", lambda *a, **k: pools.append(a))
    monkeypatch.setenv("SEPTFOIS_BATCH_WORKERS", "2")
    batch = tmp_path / "posts.jsonl"
    batch.write_text("\n".join(corpus_lines()[:10]) + "\n", encoding="utf-8")
    assert len(run_cli(["check", "--jsonl", str(batch)]).out.splitlines()) == 10
    assert pools == []


def test_other_threads_stop_batch_workers_unless_declared_safe(monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    from septfois.cli import check_cmd

    monkeypatch.delenv("SEPTFOIS_BATCH_WORKERS", raising=False)
    cores = len(os.sched_getaffinity(0))
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        monkeypatch.setattr(check_cmd, "other_threads_fork_safe", False)
        assert check_cmd.batch_workers() == 0
        monkeypatch.setattr(check_cmd, "other_threads_fork_safe", True)
        assert check_cmd.batch_workers() == (min(cores, check_cmd.MAX_WORKERS) if cores > 1 else 0)
    finally:
        release.set()
        other.join()


@pytest.mark.parametrize(("setting", "workers"), [("0", 0), ("1", 0), ("2", 2), (" 3 ", 3)])
def test_the_number_of_batch_workers_can_be_set(
    monkeypatch: pytest.MonkeyPatch, setting: str, workers: int
) -> None:
    from septfois.cli.check_cmd import batch_workers

    monkeypatch.setenv("SEPTFOIS_BATCH_WORKERS", setting)
    assert batch_workers() == workers


def test_a_number_of_batch_workers_that_is_not_a_number_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    from septfois.cli.check_cmd import batch_workers
    from septfois.cli.main import UsageError

    monkeypatch.setenv("SEPTFOIS_BATCH_WORKERS", "many")
    with pytest.raises(UsageError, match="SEPTFOIS_BATCH_WORKERS"):
        batch_workers()
