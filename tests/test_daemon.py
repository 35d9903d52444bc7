"""The warm background process behind quick checks, with real processes: same output, fresh state, private."""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import signal
import socket
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import DEV_SAMPLE
from septfois.server import client as daemon_client

RISKY_FR = "Les prix vont exploser en 2027, je vous le garantis mdr. Appelez Jean Dupont au 06 12 34 56 78.\n"
RISKY_EN = "We guarantee a 20% return to every investor this year.\n"
CLEAN = "Merci à toute l'équipe pour ce lancement de la nouvelle gamme.\n"
PACK = """\
[pack]
id = "local"
version = "1"
title = "A project pack that the tests rewrite"
languages = ["fr", "en"]

[[rule]]
id = "local.codename"
type = "lexicon"
terms = ["{term}"]
category = "humour"
level = "error"
message.fr = "Nom de code interne : « {{match}} »"
message.en = "Internal codename: \\"{{match}}\\""
why.fr = "w"
why.en = "w"
suggestion.fr = "s"
suggestion.en = "s"
must_flag = ["Le projet {term} avance."]
must_pass = ["Le projet avance."]
"""


def environment(runtime: Path, **extra: str) -> dict[str, str]:
    """This test's isolated HOME and XDG dirs (from conftest), the daemon allowed, and `runtime`."""
    env = {
        key: value for key, value in os.environ.items() if key not in ("SEPTFOIS_NO_DAEMON", "SEPTFOIS_DEBUG")
    }
    env["XDG_RUNTIME_DIR"] = str(runtime)
    env.setdefault(daemon_client.IDLE_ENV, "300")
    env.update(extra)
    return env


def septfois(
    args: list[str], env: dict[str, str], cwd: Path, stdin: bytes | None = b""
) -> subprocess.CompletedProcess[bytes]:
    """The real entry point (`python -m septfois`, as the git hook runs it) in a new process."""
    return subprocess.run(
        [sys.executable, "-m", "septfois", *args],
        input=stdin,
        stdin=subprocess.DEVNULL if stdin is None else None,
        capture_output=True,
        cwd=cwd,
        env=env,
        timeout=180,
    )


def where(runtime: Path, monkeypatch: pytest.MonkeyPatch) -> daemon_client.Paths:
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))
    found = daemon_client.paths()
    assert found is not None
    return found


def status(runtime: Path, monkeypatch: pytest.MonkeyPatch) -> dict | None:
    return daemon_client.ask(where(runtime, monkeypatch), "status")


def warm_server(
    runtime: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[dict[str, str], dict]:
    """The environment of a server that has answered one check, and that server's status."""
    env = environment(runtime)
    assert septfois(["check", "-"], env, tmp_path, stdin=CLEAN.encode()).returncode == 0
    server = status(runtime, monkeypatch)
    assert server is not None
    return env, server


def stop(env: dict[str, str], cwd: Path) -> None:
    done = septfois(["daemon", "stop"], env, cwd)
    assert done.returncode == 0, done.stderr


def wait_for(condition, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


def process_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A killed child of nobody we wait for may linger as a zombie: that is gone too.
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except OSError:
        return False


@pytest.fixture(scope="module")
def runtime(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """One runtime folder, hence one server, shared by this module's tests; stopped at the end."""
    folder = tmp_path_factory.mktemp("run")
    folder.chmod(0o700)
    yield folder
    env = {**os.environ, "XDG_RUNTIME_DIR": str(folder)}
    env.pop("SEPTFOIS_NO_DAEMON", None)
    subprocess.run(
        [sys.executable, "-m", "septfois", "daemon", "stop"], env=env, capture_output=True, timeout=60
    )
    sockets = list(folder.glob("septfois/*.sock"))
    assert not sockets, f"a server was left running: {sockets}"


def test_a_quick_check_starts_the_background_process_which_answers_the_next_ones(
    runtime: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = environment(runtime)
    post = tmp_path / "post.txt"
    post.write_text(RISKY_FR, encoding="utf-8")
    first = septfois(["check", str(post)], env, tmp_path)
    assert first.returncode == 1, first.stderr
    assert b"lang fr; analysis: spacy fr_core_news_sm" in first.stdout
    before = status(runtime, monkeypatch)
    assert before is not None and before["served"] >= 1
    again = septfois(["check", "-"], env, tmp_path, stdin=RISKY_FR.encode())
    assert again.returncode == 1
    assert again.stdout == first.stdout.replace(str(post).encode(), b"-")
    after = status(runtime, monkeypatch)
    assert after is not None
    assert after["pid"] == before["pid"]
    assert after["served"] == before["served"] + 1


def test_the_background_process_runs_with_the_allocator_settings_that_keep_the_memory_it_frees(
    runtime: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, server = warm_server(runtime, tmp_path, monkeypatch)
    environ = Path(f"/proc/{server['pid']}/environ").read_bytes().decode(errors="replace").split("\0")
    variables = dict(line.split("=", 1) for line in environ if "=" in line)
    for key, value in daemon_client.ALLOCATOR_ENV.items():
        assert variables.get(key) == os.environ.get(key, value)


def test_the_background_process_prints_byte_for_byte_what_an_in_process_run_prints_on_the_dev_corpus(
    runtime: Path, tmp_path: Path, run_cli
) -> None:
    env = environment(runtime)
    corpus = DEV_SAMPLE
    posts = [json.loads(line) for line in corpus.read_text(encoding="utf-8").splitlines() if line.strip()]
    files = []
    for number, post in enumerate(posts):
        path = tmp_path / f"{number:03d}-{post['id']}.txt"
        path.write_text(post["text"], encoding="utf-8")
        files.append(str(path))

    # Post files, through the server and with --no-daemon (a second, in-process, real process).
    served = septfois(["check", "--format", "json", *files], env, tmp_path)
    alone = septfois(["check", "--no-daemon", "--format", "json", *files], env, tmp_path)
    assert (served.returncode, served.stdout, served.stderr) == (alone.returncode, alone.stdout, alone.stderr)
    assert len(json.loads(served.stdout)["results"]) == len(posts)

    # The batch, and posts on stdin in the text format, against main() in this process.
    served = septfois(["check", "--jsonl", str(corpus)], env, tmp_path)
    local = run_cli(["check", "--jsonl", str(corpus)])
    assert (served.returncode, served.stdout.decode(), served.stderr.decode()) == (
        local.code,
        local.out,
        local.err,
    )
    for post in posts[::24]:
        served = septfois(["check", "--platform", "x", "-"], env, tmp_path, stdin=post["text"].encode())
        local = run_cli(["check", "--platform", "x", "-"], post["text"])
        assert (served.returncode, served.stdout.decode(), served.stderr.decode()) == (
            local.code,
            local.out,
            local.err,
        ), post["id"]


def test_a_changed_pack_and_a_changed_configuration_are_used_at_the_next_check(
    runtime: Path, tmp_path: Path
) -> None:
    env = environment(runtime)
    (tmp_path / "packs").mkdir()
    pack = tmp_path / "packs" / "local.toml"
    pack.write_text(PACK.format(term="zorglub"), encoding="utf-8")
    config = tmp_path / "septfois.toml"
    config.write_text('pack_paths = ["packs"]\n', encoding="utf-8")
    text = b"Le projet zorglub et le projet marsupilami avancent bien cette semaine.\n"

    first = septfois(["check", "-"], env, tmp_path, stdin=text)
    assert first.returncode == 1
    assert b'Internal codename: "zorglub"' in first.stdout

    pack.write_text(PACK.format(term="marsupilami"), encoding="utf-8")
    second = septfois(["check", "-"], env, tmp_path, stdin=text)
    assert b'Internal codename: "marsupilami"' in second.stdout
    assert b"zorglub" not in second.stdout

    config.write_text('pack_paths = ["packs"]\nui_language = "fr"\nfail_on = "never"\n', encoding="utf-8")
    third = septfois(["check", "-"], env, tmp_path, stdin=text)
    assert third.returncode == 0
    # French text output is typeset: no-break spaces before the colon and inside the guillemets.
    assert "Nom de code interne\u00a0: «\u00a0marsupilami\u00a0»".encode() in third.stdout

    # A pack named on the command line, edited between two checks, is re-read as well.
    extra = tmp_path / "extra.toml"
    extra.write_text(PACK.replace('"local', '"extra').format(term="zorglub"), encoding="utf-8")
    fourth = septfois(["check", "--pack", str(extra), "-"], env, tmp_path, stdin=text)
    assert "«\u00a0zorglub\u00a0»".encode() in fourth.stdout
    extra.write_text(PACK.replace('"local', '"extra').replace('level = "error"', 'level = "nope"').format(
        term="zorglub"
    ), encoding="utf-8")  # fmt: skip
    broken = septfois(["check", "--pack", str(extra), "-"], env, tmp_path, stdin=text)
    assert broken.returncode == 2
    assert b"level" in broken.stderr and str(extra).encode() in broken.stderr


def test_the_socket_and_its_folder_are_readable_by_the_user_only(
    runtime: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = environment(runtime)
    assert septfois(["check", "-"], env, tmp_path, stdin=CLEAN.encode()).returncode == 0
    paths = where(runtime, monkeypatch)
    folder, sock = os.stat(paths.folder), os.stat(paths.socket)
    assert stat.S_ISSOCK(sock.st_mode)
    assert stat.S_IMODE(folder.st_mode) == 0o700
    assert stat.S_IMODE(sock.st_mode) == 0o600
    assert folder.st_uid == sock.st_uid == os.geteuid()
    # A folder of ours that others could read is made private before the socket is used.
    os.chmod(paths.folder, 0o755)
    assert septfois(["check", "-"], env, tmp_path, stdin=CLEAN.encode()).returncode == 0
    assert stat.S_IMODE(os.stat(paths.folder).st_mode) == 0o700


def test_the_pre_commit_hook_is_answered_by_the_background_process_and_sees_what_git_commit_a_stages(
    runtime: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_cli
) -> None:
    env = environment(runtime)
    for role in ("AUTHOR", "COMMITTER"):
        env[f"GIT_{role}_NAME"] = "Septfois Test"
        env[f"GIT_{role}_EMAIL"] = "test@example.com"
    git = lambda *args: subprocess.run(["git", *args], cwd=tmp_path, env=env, capture_output=True)  # noqa: E731
    git("init", "-q")
    for number in range(3):
        (tmp_path / f"post{number}.md").write_text(RISKY_EN if number == 1 else CLEAN, encoding="utf-8")
    git("add", ".")
    served = septfois(["hook", "run"], env, tmp_path)
    local = run_cli(["hook", "run"])
    assert served.returncode == local.code == 1
    assert (served.stdout.decode(), served.stderr.decode()) == (local.out, local.err)
    before = status(runtime, monkeypatch)

    assert septfois(["hook", "install"], env, tmp_path).returncode == 0
    (tmp_path / "post1.md").write_text(CLEAN, encoding="utf-8")
    git("add", ".")
    assert git("commit", "-q", "-m", "clean posts").returncode == 0
    # Changed in the working tree only: `git commit -a` stages it in a temporary index (GIT_INDEX_FILE),
    # which the server must read, not the real index where post0.md is still clean.
    (tmp_path / "post0.md").write_text(RISKY_EN, encoding="utf-8")
    refused = git("commit", "-a", "-q", "-m", "risky post")
    assert refused.returncode != 0
    assert b"post0.md:1:" in refused.stderr and b"commit stopped" in refused.stderr
    after = status(runtime, monkeypatch)
    assert before is not None and after is not None and after["pid"] == before["pid"]
    assert after["served"] >= before["served"] + 2  # the hook ran in the server, twice


def test_ctrl_c_while_the_server_works_exits_130_quietly_and_leaves_the_server_serving(
    runtime: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = environment(runtime)
    assert septfois(["check", "-"], env, tmp_path, stdin=CLEAN.encode()).returncode == 0  # warm
    client = subprocess.Popen(
        [sys.executable, "-m", "septfois", "check", "--jsonl", "-"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=tmp_path,
        env=env,
    )
    assert client.stdin is not None and client.stdout is not None
    client.stdin.write(json.dumps({"id": 1, "text": RISKY_EN}).encode() + b"\n")
    client.stdin.flush()
    time.sleep(2.0)  # the server has read that line and waits for more: stdin stays open
    client.send_signal(signal.SIGINT)
    _, err = client.communicate(timeout=60)
    assert client.returncode == 130
    assert err == b""
    assert septfois(["check", "-"], env, tmp_path, stdin=RISKY_EN.encode()).returncode == 1
    assert status(runtime, monkeypatch) is not None


def children(pid: int) -> list[int]:
    """The living descendants of `pid`: a run's worker and the batch workers it forked."""
    found: list[int] = []
    with contextlib.suppress(OSError):
        for task in Path(f"/proc/{pid}/task").iterdir():
            found.extend(int(child) for child in (task / "children").read_text().split())
    alive = [child for child in found if process_exists(child)]
    return alive + [grandchild for child in alive for grandchild in children(child)]


def test_a_served_batch_goes_to_workers_and_ctrl_c_leaves_the_server_serving_without_them(
    runtime: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env, server = warm_server(runtime, tmp_path, monkeypatch)
    lines = DEV_SAMPLE.read_text(encoding="utf-8").splitlines() * 8
    batch = tmp_path / "batch.jsonl"
    batch.write_text("\n".join(lines) + "\n", encoding="utf-8")
    client = subprocess.Popen(
        [sys.executable, "-m", "septfois", "check", "--jsonl", str(batch)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=tmp_path,
        env=env,
    )
    assert client.stdout is not None
    assert client.stdout.readline().startswith(b"{")
    workers = children(server["pid"])
    assert len(workers) >= (2 if len(os.sched_getaffinity(0)) > 1 else 0)
    client.send_signal(signal.SIGINT)
    _, err = client.communicate(timeout=60)
    assert (client.returncode, err) == (130, b"")
    wait_for(lambda: not any(process_exists(worker) for worker in workers), 60, "the workers to exit")
    assert septfois(["check", "-"], env, tmp_path, stdin=RISKY_EN.encode()).returncode == 1
    after = status(runtime, monkeypatch)
    assert after is not None and after["pid"] == server["pid"]


def test_a_server_killed_with_sigkill_is_replaced_at_the_next_check(
    runtime: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env, old = warm_server(runtime, tmp_path, monkeypatch)
    os.kill(old["pid"], signal.SIGKILL)
    wait_for(lambda: not process_exists(old["pid"]), 30, "the killed server to go")
    assert Path(old["socket"]).exists()  # stale: nobody listens on it any more
    done = septfois(["check", "-"], env, tmp_path, stdin=RISKY_EN.encode())
    assert done.returncode == 1, done.stderr
    assert b"sensitive.price-guarantee" in done.stdout
    new = status(runtime, monkeypatch)
    assert new is not None and new["pid"] != old["pid"]


def test_a_server_whose_package_files_changed_goes_away_and_a_fresh_one_answers(
    runtime: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env, old = warm_server(runtime, tmp_path, monkeypatch)
    paths = where(runtime, monkeypatch)
    # What a client sends once a file of the installed package has a new mtime: another fingerprint.
    sock = daemon_client.connect(paths)
    assert sock is not None
    with sock:
        request = json.loads(daemon_client._request(["check", "-"]))
        request["fingerprint"] = "0" * 64
        daemon_client.send(sock, daemon_client.REQUEST, json.dumps(request).encode())
        kind, _ = daemon_client.receive(sock)
    assert kind == daemon_client.RESTART
    assert daemon_client.wait_until_gone(paths, timeout=30)
    wait_for(lambda: not process_exists(old["pid"]), 10, "the old server to exit")
    done = septfois(["check", "-"], env, tmp_path, stdin=RISKY_EN.encode())
    assert done.returncode == 1
    new = status(runtime, monkeypatch)
    assert new is not None and new["pid"] != old["pid"]


def test_the_server_exits_by_itself_after_its_idle_period(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    runtime = tmp_path / "run"
    runtime.mkdir(mode=0o700)
    env = environment(runtime, **{daemon_client.IDLE_ENV: "1"})
    try:
        assert septfois(["check", "-"], env, tmp_path, stdin=CLEAN.encode()).returncode == 0
        paths = where(runtime, monkeypatch)
        # Idle time counts from the end of the warm-up (English loads after the first answer).
        assert daemon_client.wait_until_gone(paths, timeout=120)
        assert not os.path.exists(paths.socket)
        assert "exiting: idle for" in Path(paths.log).read_text(encoding="utf-8")
    finally:
        stop(env, tmp_path)


@pytest.mark.parametrize("how", [["--no-daemon"], ["--no-d"], []])
def test_no_daemon_and_its_environment_variable_never_start_a_server(how: list[str], tmp_path: Path) -> None:
    runtime = tmp_path / "run"
    env = environment(runtime, **({} if how else {"SEPTFOIS_NO_DAEMON": "1"}))
    done = septfois(["check", *how, "missing.txt"], env, tmp_path)
    assert done.returncode == 2
    assert done.stderr == b"septfois: missing.txt: no such file\n"
    assert not runtime.exists()


@pytest.mark.parametrize("blocker", ["file", "folder"])
def test_something_in_the_way_of_the_socket_is_said_once_and_no_server_is_started(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_cli, blocker: str
) -> None:
    runtime = tmp_path / "run"
    runtime.mkdir(mode=0o700)
    env = environment(runtime)
    paths = where(runtime, monkeypatch)
    os.makedirs(paths.folder, mode=0o700, exist_ok=True)
    if blocker == "file":
        Path(paths.socket).write_text("not a socket\n", encoding="utf-8")
    else:
        os.makedirs(paths.socket)
    done = septfois(["check", "--format", "json", "-"], env, tmp_path, stdin=RISKY_FR.encode())
    local = run_cli(["check", "--format", "json", "-"], RISKY_FR)
    assert (done.returncode, done.stdout.decode()) == (local.code, local.out)
    said = done.stderr.decode().replace(local.err, "", 1)
    assert said.count("in the way of the background process's socket") == 1
    assert paths.socket in said
    assert not os.path.exists(paths.log)  # no server was started to fail


def test_a_check_runs_in_process_when_the_runtime_folder_cannot_be_made(tmp_path: Path, run_cli) -> None:
    runtime = tmp_path / "run"
    runtime.mkdir(mode=0o700)
    (runtime / "septfois").write_text("a file where the server's folder would be\n", encoding="utf-8")
    env = environment(runtime)
    done = septfois(["check", "-"], env, tmp_path, stdin=RISKY_EN.encode())
    local = run_cli(["check", "-"], RISKY_EN)
    assert (done.returncode, done.stdout.decode(), done.stderr.decode()) == (local.code, local.out, local.err)
    assert (runtime / "septfois").is_file()


def test_the_client_imports_neither_spacy_nor_the_configuration_nor_the_packs() -> None:
    code = (
        "import sys, septfois.cli.main, septfois.server.client as d; d.fingerprint(); d.paths(); "
        "print(' '.join(sorted(sys.modules)))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    loaded = set(done.stdout.split())
    assert "septfois.server.client" in loaded
    heavy = {
        "spacy",
        "regex",
        "langdetect",
        "textual",
        "tomllib",
        "septfois.config",
        "septfois.findings.packs",
    }
    heavy |= {"septfois.findings.engine", "septfois.analysis.nlp", "septfois.model", "septfois.cli.check_cmd"}
    assert not heavy & loaded


def _stuck_client(env: dict[str, str], cwd: Path) -> subprocess.Popen[bytes]:
    """A check whose stdin is open and silent: its run waits for the rest of the post, for ever."""
    client = subprocess.Popen(
        [sys.executable, "-m", "septfois", "check", "-"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=cwd,
        env=env,
    )
    assert client.stdin is not None
    client.stdin.write("Le début d'un message qui ne finit ".encode())
    client.stdin.flush()
    return client


def running(runtime: Path, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    found = status(runtime, monkeypatch)
    return list(found["running"]) if found else []  # type: ignore[call-overload]


def test_a_stuck_check_does_not_delay_an_ordinary_one_and_killing_its_client_frees_its_worker(
    runtime: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env, server = warm_server(runtime, tmp_path, monkeypatch)
    stuck = _stuck_client(env, tmp_path)
    wait_for(lambda: len(running(runtime, monkeypatch)) == 1, 60, "the stuck check's worker")
    (worker,) = running(runtime, monkeypatch)
    done = septfois(["check", "-"], env, tmp_path, stdin=RISKY_EN.encode())
    assert done.returncode == 1, done.stderr
    assert b"sensitive.price-guarantee" in done.stdout
    assert stuck.poll() is None and process_exists(worker)  # answered while the stuck one still runs
    stuck.kill()
    stuck.wait(timeout=60)
    wait_for(lambda: not process_exists(worker), 30, "the killed client's worker to be stopped")
    after = status(runtime, monkeypatch)
    assert after is not None and after["pid"] == server["pid"] and after["running"] == []


def test_a_check_past_its_time_limit_ends_with_a_message_and_exit_2(
    runtime: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env, server = warm_server(runtime, tmp_path, monkeypatch)
    long_post = tmp_path / "nine_hundred_kilobytes_of_ordinary_text.txt"
    long_post.write_text("Merci à toute l'équipe pour ce beau lancement. " * 18_000, encoding="utf-8")
    done = septfois(["check", str(long_post)], {**env, daemon_client.TIME_LIMIT_ENV: "0.5"}, tmp_path)
    assert done.returncode == 2
    assert done.stderr.decode().startswith("septfois: the check was stopped: it took more than 0.5 s")
    assert done.stdout == b""
    wait_for(lambda: running(runtime, monkeypatch) == [], 30, "the stopped worker to be gone")
    after = status(runtime, monkeypatch)
    assert after is not None and after["pid"] == server["pid"]
    assert septfois(["check", "-"], env, tmp_path, stdin=CLEAN.encode()).returncode == 0


def runtime_with_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, daemon_client.Paths]:
    """A private runtime folder with the server's own folder made in it, as a server would leave it."""
    runtime = tmp_path / "run"
    runtime.mkdir(mode=0o700)
    paths = where(runtime, monkeypatch)
    os.makedirs(paths.folder, mode=0o700, exist_ok=True)
    return runtime, paths


def test_a_client_gives_up_after_its_time_limit_when_nobody_answers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    runtime, paths = runtime_with_folder(tmp_path, monkeypatch)
    # A "server" that holds the lock and the socket, then never says a word (as a jammed one would).
    lock = os.open(paths.lock, os.O_RDWR | os.O_CREAT, 0o600)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    code = (
        "import sys, septfois.server.client as c; c.CLIENT_MARGIN_SECONDS = 0.5; sys.exit(c.run(['check']))"
    )
    try:
        fcntl.lockf(lock, fcntl.LOCK_EX)
        listener.bind(paths.socket)
        listener.listen(4)
        env = environment(runtime, **{daemon_client.TIME_LIMIT_ENV: "0.5"})
        done = subprocess.run(
            [sys.executable, "-c", code], input=CLEAN.encode(), capture_output=True, cwd=tmp_path, env=env,
            timeout=60,
        )  # fmt: skip
    finally:
        listener.close()
        os.close(lock)
    assert done.returncode == 2
    assert b"did not answer within 0.5 s" in done.stderr


def test_a_socket_nobody_serves_any_more_is_replaced_by_a_fresh_server(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    runtime, paths = runtime_with_folder(tmp_path, monkeypatch)
    # What workers outliving a killed server would hold: a listening socket nobody accepts on, no lock.
    orphan = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    orphan.bind(paths.socket)
    orphan.listen(4)
    env = environment(runtime)
    try:
        done = septfois(["check", "-"], env, tmp_path, stdin=RISKY_EN.encode())
        assert done.returncode == 1, done.stderr
        assert status(runtime, monkeypatch) is not None
    finally:
        orphan.close()
        stop(env, tmp_path)


def test_killing_the_server_during_a_batch_takes_its_workers_with_it_and_the_next_check_is_served(
    runtime: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env, server = warm_server(runtime, tmp_path, monkeypatch)
    batch = tmp_path / "batch.jsonl"
    lines = [json.dumps({"id": n, "text": f"{RISKY_EN.strip()} ({n})"}) for n in range(3000)]
    batch.write_text("\n".join(lines) + "\n", encoding="utf-8")
    client = subprocess.Popen(
        [sys.executable, "-m", "septfois", "check", "--jsonl", str(batch)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=tmp_path,
        env={**env, "SEPTFOIS_BATCH_WORKERS": "2"},
    )
    assert client.stdout is not None
    assert client.stdout.readline().startswith(b"{")
    wait_for(lambda: len(children(server["pid"])) >= 3, 60, "the run's worker and its batch workers")
    workers = children(server["pid"])
    os.kill(server["pid"], signal.SIGKILL)
    wait_for(lambda: not any(process_exists(pid) for pid in workers), 30, "every worker to die")
    _, err = client.communicate(timeout=60)
    assert client.returncode == 3
    assert b"the background process stopped during the check" in err
    done = septfois(["check", "-"], env, tmp_path, stdin=RISKY_EN.encode())
    assert done.returncode == 1, done.stderr
    new = status(runtime, monkeypatch)
    assert new is not None and new["pid"] != server["pid"]


def test_hostile_jsonl_lines_through_the_server_lose_nothing_else(
    runtime: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_cli
) -> None:
    env, _ = warm_server(runtime, tmp_path, monkeypatch)
    lines = [json.dumps({"id": n, "text": f"{CLEAN.strip()} {n}"}) for n in range(200)]
    lines[3] = '{"id": 3, "text": "caf\\ud800e"}'
    lines[100] = "[" * 100_000 + "]" * 100_000
    lines[150] = '{"id": 150, "text": "x", "platform": [["x"]]}'
    batch = tmp_path / "batch_with_hostile_lines.jsonl"
    batch.write_text("\n".join(lines) + "\n", encoding="utf-8")
    served = septfois(["check", "--jsonl", str(batch)], env, tmp_path)
    local = run_cli(["check", "--jsonl", str(batch)])
    assert served.returncode == local.code == 2
    assert (served.stdout.decode(), served.stderr.decode()) == (local.out, local.err)
    assert len(served.stdout.splitlines()) == 197


def test_a_worker_past_the_memory_ceiling_is_stopped_and_the_server_past_it_goes_away(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    runtime = tmp_path / "run"
    runtime.mkdir(mode=0o700)
    # Below what the loaded models alone take: every worker is over it, and so is the server.
    env = environment(runtime, SEPTFOIS_DAEMON_MAX_MB="100")
    paths = where(runtime, monkeypatch)
    try:
        stuck = _stuck_client(env, tmp_path)  # a run long enough to be looked at: its stdin stays open
        assert stuck.wait(timeout=180) == 2
        assert stuck.stderr is not None
        err = stuck.stderr.read()
        assert b"the check was stopped: it used more than 100 MB of memory" in err
        assert daemon_client.wait_until_gone(paths, timeout=60)
        assert "exiting: memory over 100 MB" in Path(paths.log).read_text(encoding="utf-8")
    finally:
        stop(env, tmp_path)
