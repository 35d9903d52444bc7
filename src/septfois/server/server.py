"""The warm background process: keeps models and packs loaded and runs `septfois` commands for the client."""

from __future__ import annotations

import argparse
import contextlib
import errno
import fcntl
import gc
import io
import json
import mmap
import os
import select
import signal
import socket
import stat
import struct
import sys
import threading
import time
import warnings
from collections.abc import Callable, Iterator
from typing import Any

from septfois.server import client as wire
from septfois.server import lifeline

# How long a new server waits for the previous one (same installation) to let go of the lock.
LOCK_WAIT_SECONDS = 20.0
# How often the loop looks at the clock, the workers and a stop request when nothing else happens.
TICK_SECONDS = 0.2
# Runs at once (each a forked worker); more wait their turn. Accepted connections still sending their
# request at once, and how long one may take to send it.
MAX_RUNS = 8
MAX_PENDING = 64
REQUEST_SECONDS = 10.0
MAX_REQUEST_BYTES = 16 << 20
# How long a short answer to a client, or the end of a frame a worker is sending, may take.
ANSWER_SECONDS = 2.0
# After a stop request, how long runs in progress may take to finish before they are ended.
STOP_GRACE_SECONDS = 5.0
# The memory a worker, or the server itself, may hold; past it the worker is stopped, or the server
# exits after its runs (the next check starts a fresh one).
MAX_MB_ENV = "SEPTFOIS_DAEMON_MAX_MB"
DEFAULT_MAX_MB = 2048.0
WARM_TEXTS = {
    "fr": "Franchement, les prix vont exploser cette année, je vous le garantis. Écrivez-moi si besoin !",
    "en": "Honestly, prices are going to explode this year, I guarantee it. Write to me if you need help!",
}


def log(message: str) -> None:
    """A line in the server's log file (its own stderr, whatever a run has put in sys.stderr)."""
    stream = sys.__stderr__
    if stream is not None:
        stream.write(f"{time.strftime('%Y-%m-%d %H:%M:%S')} [{os.getpid()}] {message}\n")
        stream.flush()


class Channel:
    """One client connection, framed as daemon_client describes."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock

    def send(self, kind: bytes, payload: bytes = b"") -> None:
        wire.send(self.sock, kind, payload)

    def receive(self) -> tuple[bytes, bytes]:
        return wire.receive(self.sock)


class Canned:
    """A pretend client for warming up: fixed stdin, output thrown away."""

    def __init__(self, stdin: bytes) -> None:
        self.stdin = stdin
        self.code: int | None = None

    def send(self, kind: bytes, payload: bytes = b"") -> None:
        if kind == wire.EXIT:
            (self.code,) = struct.unpack("!i", payload)

    def receive(self) -> tuple[bytes, bytes]:
        data, self.stdin = self.stdin, b""
        return wire.STDIN, data


class _Output(io.RawIOBase):
    """stdout or stderr of a run: every flush becomes a frame to the client."""

    def __init__(self, channel: Channel | Canned, kind: bytes, tty: bool) -> None:
        self.channel, self.kind, self.tty = channel, kind, tty
        self.broken = False

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return self.tty

    def write(self, data: Any) -> int:
        chunk = bytes(data)
        if chunk and not self.broken:
            try:
                self.channel.send(self.kind, chunk)
            except OSError:
                self.broken = True  # say it once; later flushes (even at garbage collection) stay quiet
                raise
        return len(chunk)


class _Input(io.RawIOBase):
    """stdin of a run: read from the client only when, and as much as, the command reads it."""

    def __init__(self, channel: Channel | Canned, tty: bool) -> None:
        self.channel, self.tty = channel, tty

    def readable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return self.tty

    def readinto(self, buffer: Any) -> int:
        self.channel.send(wire.READ, struct.pack("!I", len(buffer)))
        kind, data = self.channel.receive()
        if kind != wire.STDIN or len(data) > len(buffer):
            raise ConnectionError("unexpected frame from the client")
        buffer[: len(data)] = data
        return len(data)


def _text(raw: io.RawIOBase, spec: dict[str, Any], *, write: bool, line_buffering: bool) -> io.TextIOWrapper:
    """A text stream over `raw` with the client's own encoding and error handler."""
    buffered: io.BufferedIOBase = io.BufferedWriter(raw) if write else io.BufferedReader(raw)
    return io.TextIOWrapper(
        buffered,
        encoding=spec.get("encoding") or "utf-8",
        errors=spec.get("errors") or "strict",
        line_buffering=line_buffering,
    )


@contextlib.contextmanager
def _as_client(request: dict[str, Any], channel: Channel | Canned) -> Iterator[None]:
    """The process-wide state a command sees (cwd, environment, stdio) set to the client's, then put back.

    Used in a run's own worker process, and for the warm-up in the server's only thread.
    """
    home = os.getcwd()
    env = dict(os.environ)
    streams = (sys.stdin, sys.stdout, sys.stderr)
    os.chdir(request["cwd"])
    try:
        os.environ.clear()
        os.environ.update(request["env"])
        time.tzset()  # dates (quiet periods, schedules) are local to the client's TZ
        spec_in, spec_out, spec_err = request["stdin"], request["stdout"], request["stderr"]
        sys.stdin = (
            _text(_Input(channel, spec_in["tty"]), spec_in, write=False, line_buffering=False)
            if spec_in["present"]
            else None
        )  # type: ignore[assignment]
        sys.stdout = _text(
            _Output(channel, wire.STDOUT, spec_out["tty"]),
            spec_out,
            write=True,
            line_buffering=spec_out["tty"],
        )
        sys.stderr = _text(
            _Output(channel, wire.STDERR, spec_err["tty"]), spec_err, write=True, line_buffering=True
        )
        # A fresh warnings registry per run: a warning shown once per process in-process is shown once
        # per run here too, not only to the first client.
        with warnings.catch_warnings():
            yield
    finally:
        sys.stdin, sys.stdout, sys.stderr = streams
        os.environ.clear()
        os.environ.update(env)
        time.tzset()
        os.chdir(home)


def _import_commands() -> None:
    from septfois.cli import check_cmd
    from septfois.cli import main as cli

    cli.command_modules()
    check_cmd.run  # noqa: B018 - imported for its weight: every run needs it


def run_command(argv: list[str]) -> int:
    """`septfois ARGV` exactly as the console script runs it, as an exit code."""
    from septfois.cli import main as cli

    try:
        return cli.guarded_main(argv)
    except SystemExit as exit_:
        if exit_.code is None or isinstance(exit_.code, int):
            return exit_.code or 0
        print(exit_.code, file=sys.stderr)
        return 1


class Progress:
    """What a run worker is doing, in memory shared with the server: written by the worker, read by the
    server to apply the time limit and to stop a worker only between two frames (never mid-frame)."""

    COMPUTING, SENDING, WAITING_FOR_CLIENT, DONE = 0, 1, 2, 3
    _LAYOUT = struct.Struct("!dB")

    def __init__(self) -> None:
        self.memory = mmap.mmap(-1, self._LAYOUT.size)  # anonymous and shared: the fork sees the same pages
        self.set(self.COMPUTING)

    def set(self, state: int) -> None:
        self.memory[:] = self._LAYOUT.pack(time.monotonic(), state)

    def read(self) -> tuple[float, int]:
        since, state = self._LAYOUT.unpack(self.memory[:])
        return since, state

    def close(self) -> None:
        self.memory.close()


class Tracked:
    """The wire of one run, as the worker uses it: every frame marks progress."""

    def __init__(self, channel: Channel, progress: Progress) -> None:
        self.channel, self.progress = channel, progress

    def send(self, kind: bytes, payload: bytes = b"") -> None:
        if kind in (wire.EXIT, wire.DECLINE):
            # Done before the last frame leaves: the client may hang up the instant it has it, and the
            # server must then see a finished run, not one to stop.
            self.progress.set(Progress.DONE)
            self.channel.send(kind, payload)
            return
        self.progress.set(Progress.SENDING)
        try:
            self.channel.send(kind, payload)
        finally:
            self.progress.set(Progress.COMPUTING)

    def receive(self) -> tuple[bytes, bytes]:
        # Waiting for the client's stdin is the client's time, not the run's: the limit does not count it.
        self.progress.set(Progress.WAITING_FOR_CLIENT)
        try:
            return self.channel.receive()
        finally:
            self.progress.set(Progress.COMPUTING)


class Worker:
    """A forked process running one client's command, in its own process group (with its batch workers)."""

    def __init__(self, pid: int, conn: socket.socket, progress: Progress, limit: float) -> None:
        self.pid, self.conn, self.progress, self.limit = pid, conn, progress, limit
        self.started = time.monotonic()
        self.reason: str | None = None  # why the server is stopping it, once it decided to
        self.since = 0.0  # when it decided
        self.killed = False

    def kill(self) -> None:
        """The worker and everything it forked (its group), at once."""
        self.killed = True
        with contextlib.suppress(OSError):
            os.killpg(self.pid, signal.SIGKILL)
        with contextlib.suppress(OSError):
            os.kill(self.pid, signal.SIGKILL)


class Pending:
    """An accepted connection whose request frame is still arriving (read without blocking the server)."""

    def __init__(self, conn: socket.socket) -> None:
        self.conn = conn
        self.data = b""
        self.deadline = time.monotonic() + REQUEST_SECONDS

    def frame(self) -> tuple[bytes, bytes] | None:
        if len(self.data) < wire.HEADER.size:
            return None
        kind, size = wire.HEADER.unpack(self.data[: wire.HEADER.size])
        if size > MAX_REQUEST_BYTES:
            raise ValueError(f"a request of {size:,} bytes")
        if len(self.data) < wire.HEADER.size + size:
            return None
        return kind, self.data[wire.HEADER.size : wire.HEADER.size + size]


class Server:
    """Accepts connections and runs each command in its own forked worker, which it can stop.

    One thread: the loop reads requests without blocking, forks a worker per run (at most MAX_RUNS at a
    time, the rest wait their turn), watches each client's connection (a client that leaves takes its
    worker with it) and each worker's time and memory, and warms the models up between those duties.
    Forked from a process with no other thread, a worker can never find a lock held by a thread that
    does not exist in it.
    """

    def __init__(
        self, listener: socket.socket, socket_path: str, idle: float, lock: int | None = None
    ) -> None:
        self.listener = listener
        self.socket_path = socket_path
        self.socket_inode = os.stat(socket_path).st_ino
        self.idle = idle
        self.lock = lock
        self.fingerprint = wire.fingerprint()
        self.stopping = threading.Event()
        self.stop_deadline: float | None = None
        self.listening = True
        self.pending: list[Pending] = []
        self.queued: list[tuple[socket.socket, dict[str, Any]]] = []
        self.workers: dict[int, Worker] = {}
        self.served = 0
        self.stopped = 0
        self.started = time.time()
        self.last_activity = time.monotonic()
        self.warm_seconds: float | None = None
        self.warm_steps = self._warm_steps()
        self.warm_begin = time.monotonic()
        self.why_stopped = ""
        self.max_mb = memory_ceiling_mb()

    # --- lifetime ---

    def serve(self) -> None:
        self.listener.setblocking(False)
        while True:
            if self.stopping.is_set():
                self.close_listener()
                if self.stop_deadline is None:
                    self.stop_deadline = time.monotonic() + STOP_GRACE_SECONDS
                for conn, _ in self.queued:
                    self.answer(conn, wire.RESTART)  # they start a fresh server once this one is gone
                self.queued.clear()
                for item in self.pending:
                    item.conn.close()
                self.pending.clear()
                if not self.workers:
                    break
                if time.monotonic() > self.stop_deadline:
                    for worker in self.workers.values():
                        worker.kill()
            self.poll(0.0 if self.warm_steps and not self.pending else TICK_SECONDS)
            self.reap()
            self.watch()
            self.start_queued()
            if self.warm_steps and not self.pending and not self.stopping.is_set():
                self.warm_step()
            self.check_idle()
        log(f"exiting: {self.why_stopped or 'stopped'} after {self.served} runs")

    def stop(self, why: str) -> None:
        if not self.stopping.is_set():
            self.why_stopped = why
            self.stopping.set()

    def check_idle(self) -> None:
        if self.workers or self.pending or self.queued or self.warm_seconds is None:
            return
        idle_for = time.monotonic() - self.last_activity
        if idle_for >= self.idle:
            self.stop(f"idle for {idle_for:.0f} s")

    def close_listener(self) -> None:
        """Stop listening and remove our socket (and only ours: a successor may have bound a new one)."""
        if not self.listening:
            return
        self.listening = False
        with contextlib.suppress(OSError):
            self.listener.close()
        with contextlib.suppress(OSError):
            if os.stat(self.socket_path).st_ino == self.socket_inode:
                os.unlink(self.socket_path)

    # --- warming up, one step per turn of the loop ---

    def _warm_steps(self) -> list[tuple[str, Callable[[], object]]]:
        def pipeline(lang: str) -> object:
            from septfois.analysis import nlp  # here, not at start-up: the socket is answered meanwhile

            return nlp.pipeline(lang)

        return [
            ("command line", _import_commands),
            ("French pipeline", lambda: pipeline("fr")),
            ("packs and French check", lambda: self.warm_check("fr")),
            ("English pipeline", lambda: pipeline("en")),
            ("English check", lambda: self.warm_check("en")),
        ]

    def warm_step(self) -> None:
        name, step = self.warm_steps.pop(0)
        step_start = time.monotonic()
        try:
            step()
        except Exception as error:  # a broken user pack, say: clients will see it, not us
            log(f"warm-up: {name}: {type(error).__name__}: {error}")
        log(f"warm-up: {name} in {time.monotonic() - step_start:.2f} s")
        if not self.warm_steps:
            self.warm_seconds = time.monotonic() - self.warm_begin
            self.last_activity = time.monotonic()
            # What is loaded now stays out of every later collection: a worker's collections would
            # otherwise write to, hence copy, every page these objects sit on.
            gc.freeze()
            log(f"ready: warm-up took {self.warm_seconds:.2f} s; peak RSS {peak_rss_mb():.0f} MB")

    def warm_check(self, lang: str) -> None:
        """One check through the very path clients use (argument parsing, packs, analysis, formatting)."""
        request = {
            "cwd": os.getcwd(),
            "env": {**os.environ, "SEPTFOIS_NO_CONFIG": "1"},
            "stdin": {"present": True, "tty": False, "encoding": "utf-8", "errors": "strict"},
            "stdout": {"present": True, "tty": False, "encoding": "utf-8", "errors": "strict"},
            "stderr": {"present": True, "tty": False, "encoding": "utf-8", "errors": "backslashreplace"},
        }
        channel = Canned(WARM_TEXTS[lang].encode())
        with _as_client(request, channel):
            code = run_command(["check", "--lang", lang, "--format", "json", "-"])
            sys.stdout.flush()
        if code not in (0, 1):
            log(f"warm-up: the {lang} check exited {code}")

    # --- the loop's duties ---

    def poll(self, timeout: float) -> None:
        poller = select.poll()
        if self.listening and len(self.pending) < MAX_PENDING:
            poller.register(self.listener, select.POLLIN)
        for item in self.pending:
            poller.register(item.conn, select.POLLIN)
        hangup = select.POLLRDHUP | select.POLLHUP | select.POLLERR
        for conn, _ in self.queued:
            poller.register(conn, select.POLLRDHUP)
        for worker in self.workers.values():
            poller.register(worker.conn, select.POLLRDHUP)
        try:
            events = poller.poll(timeout * 1000)
        except InterruptedError:
            return
        ready = dict(events)
        if self.listening and self.listener.fileno() in ready:
            self.accept()
        for item in list(self.pending):
            if item.conn.fileno() in ready:
                self.read_request(item)
        for conn, request in list(self.queued):
            if ready.get(conn.fileno(), 0) & hangup:
                log("a waiting client left")
                self.queued.remove((conn, request))
                conn.close()
        for worker in list(self.workers.values()):
            finished = worker.progress.read()[1] == Progress.DONE  # answered, then the client hung up
            if ready.get(worker.conn.fileno(), 0) & hangup and not worker.killed and not finished:
                # The client was interrupted or killed: its run has nobody to answer, stop it now.
                worker.kill()
                log(f"worker {worker.pid}: client left; stopped")
        now = time.monotonic()
        for item in list(self.pending):
            if now > item.deadline:
                self.pending.remove(item)
                item.conn.close()

    def accept(self) -> None:
        for _ in range(MAX_PENDING):
            try:
                conn, _ = self.listener.accept()
            except (BlockingIOError, InterruptedError):
                return
            except OSError as error:
                log(f"accept: {error}")
                return
            if not _same_user(conn):
                conn.close()
                continue
            conn.setblocking(False)
            self.pending.append(Pending(conn))
            self.last_activity = time.monotonic()

    def read_request(self, item: Pending) -> None:
        try:
            chunk = item.conn.recv(1 << 16)
            if not chunk:
                raise wire.Gone
            item.data += chunk
            frame = item.frame()
            if frame is None:
                return
            self.pending.remove(item)
            kind, payload = frame
            item.conn.setblocking(True)
            if kind != wire.REQUEST:
                item.conn.close()
                return
            self.dispatch(item.conn, json.loads(payload))
        except (wire.Gone, OSError, ValueError) as error:
            log(f"connection dropped: {type(error).__name__}: {error}")
            if item in self.pending:
                self.pending.remove(item)
            item.conn.close()

    def dispatch(self, conn: socket.socket, request: dict[str, Any]) -> None:
        op = request.get("op")
        if op == "status":
            self.answer(conn, wire.REPLY, json.dumps(self.status()).encode())
        elif op == "stop":
            self.answer(conn, wire.REPLY, json.dumps({"stopping": True, "pid": os.getpid()}).encode())
            self.stop("asked to stop")
        elif op != "run":
            conn.close()
        elif request.get("protocol") != wire.PROTOCOL or request.get("fingerprint") != self.fingerprint:
            # New code on disk: this process must not answer with the old. Go away, the client starts
            # a fresh server once we are gone.
            self.stop("the installed package changed")
            self.close_listener()
            self.answer(conn, wire.RESTART)
        else:
            self.queued.append((conn, request))

    def answer(self, conn: socket.socket, kind: bytes, payload: bytes = b"") -> None:
        """A short frame and the end of the connection; a client that does not read it is left behind."""
        with contextlib.suppress(OSError):
            conn.settimeout(ANSWER_SECONDS)
            wire.send(conn, kind, payload)
        conn.close()

    def start_queued(self) -> None:
        # Workers start once the models are loaded: each then has them from the start, loaded once for
        # all, instead of loading its own copy beside the warm-up on the same cores.
        if self.warm_steps:
            return
        while self.queued and len(self.workers) < MAX_RUNS and not self.stopping.is_set():
            conn, request = self.queued.pop(0)
            self.fork(conn, request)

    def fork(self, conn: socket.socket, request: dict[str, Any]) -> None:
        progress = Progress()
        limit = time_limit(request.get("time_limit"))
        sys.stdout.flush()
        sys.stderr.flush()
        server_pid = os.getpid()
        pid = os.fork()
        if pid == 0:  # the worker
            code = 1
            try:
                self.become_worker(conn, server_pid)
                code = self.run(Tracked(Channel(conn), progress), request)
            finally:
                os._exit(code)
        with contextlib.suppress(OSError):
            os.setpgid(pid, pid)  # the worker does it too: whichever comes first, no race with a kill
        self.workers[pid] = Worker(pid, conn, progress, limit)
        log(f"worker {pid}: {' '.join(request.get('argv', []))[:80]}")

    def become_worker(self, conn: socket.socket, server_pid: int) -> None:
        """Drop what belongs to the server (listener, lock, other clients) and live only as long as it."""
        lifeline.die_with_parent(server_pid)
        with contextlib.suppress(OSError):
            os.setpgid(0, 0)
        for other in [item.conn for item in self.pending] + [c for c, _ in self.queued]:
            other.close()
        for worker in self.workers.values():
            worker.conn.close()
        self.listener.close()
        if self.lock is not None:
            os.close(self.lock)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        # The objects frozen after the warm-up stay frozen here too: unfrozen, the worker's first full
        # collection would write to, and so copy, every page they sit on.

    def run(self, channel: Tracked, request: dict[str, Any]) -> int:
        """In the worker: the client's command, its output relayed; the worker's exit status."""
        if not os.path.isdir(request["cwd"]):
            channel.send(wire.DECLINE)
            return 0
        try:
            with _as_client(request, channel):
                code = run_command(request["argv"])
                sys.stdout.flush()
                sys.stderr.flush()
        except OSError as error:
            if isinstance(error, (BrokenPipeError, ConnectionError)):
                return 1  # the client left during the run
            channel.send(wire.DECLINE)  # cannot enter the client's folder: let it run there itself
            return 0
        channel.send(wire.EXIT, struct.pack("!i", code))
        return 0

    def reap(self) -> None:
        for pid, worker in list(self.workers.items()):
            try:
                done, status = os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:
                done, status = pid, 0
            if done == 0:
                continue
            del self.workers[pid]
            with contextlib.suppress(OSError):
                os.killpg(pid, signal.SIGKILL)  # batch workers it may have left behind
            _, state = worker.progress.read()
            if state == Progress.DONE:
                self.served += 1
            elif not worker.killed:
                # It died without an answer (a crash, or killed by someone else): say so, not nothing.
                how = f"signal {-os.waitstatus_to_exitcode(status)}" if os.WIFSIGNALED(status) else "exit"
                log(f"worker {pid}: ended without an answer ({how})")
                if os.WIFSIGNALED(status):
                    self.tell(worker, "the background process's worker was stopped during the check", 3)
            worker.conn.close()
            worker.progress.close()
            self.last_activity = time.monotonic()
            # Looked at after each run, so that the runs already waiting are served first.
            if rss_mb("VmRSS") > self.max_mb and not self.stopping.is_set():
                self.stop(f"memory over {self.max_mb:.0f} MB")  # the next client starts a fresh server

    def watch(self) -> None:
        """Stop the workers past their time limit or memory ceiling, each with a message to its client."""
        now = time.monotonic()
        for worker in list(self.workers.values()):
            if worker.killed or worker.progress.read()[1] == Progress.DONE:
                continue
            if worker.reason is None:
                since, state = worker.progress.read()
                if state == Progress.COMPUTING and now - since > worker.limit:
                    worker.reason = (
                        f"it took more than {worker.limit:g} s (the time limit, {wire.TIME_LIMIT_ENV})"
                    )
                elif process_rss_mb(worker.pid) > self.max_mb:
                    worker.reason = f"it used more than {self.max_mb:.0f} MB of memory ({MAX_MB_ENV})"
                else:
                    continue
                worker.since = now
            self.stop_worker(worker, worker.reason, now)

    def stop_worker(self, worker: Worker, why: str, now: float) -> None:
        """Freeze the worker's group; kill it unless it is halfway through a frame (then try again soon)."""
        with contextlib.suppress(OSError):
            os.killpg(worker.pid, signal.SIGSTOP)
        _, state = worker.progress.read()
        if state == Progress.SENDING and now - worker.since < ANSWER_SECONDS:
            with contextlib.suppress(OSError):
                os.killpg(worker.pid, signal.SIGCONT)
            return
        worker.kill()
        self.stopped += 1
        log(f"worker {worker.pid}: stopped: {why}")
        if state != Progress.SENDING:  # still mid-frame after all that time: the client is not reading
            self.tell(worker, f"the check was stopped: {why}", 2)

    def tell(self, worker: Worker, message: str, code: int) -> None:
        with contextlib.suppress(OSError):
            worker.conn.settimeout(ANSWER_SECONDS)
            wire.send(worker.conn, wire.STDERR, f"septfois: {message}\n".encode())
            wire.send(worker.conn, wire.EXIT, struct.pack("!i", code))

    def status(self) -> dict[str, object]:
        # A worker that has sent its answer is served, even if it has not quite exited yet.
        self.reap()
        answered = [pid for pid, worker in self.workers.items() if worker.progress.read()[1] == Progress.DONE]
        return {
            "pid": os.getpid(),
            "socket": self.socket_path,
            "uptime": round(time.time() - self.started, 1),
            "served": self.served + len(answered),
            "running": sorted(set(self.workers) - set(answered)),
            "waiting": len(self.queued),
            "stopped_runs": self.stopped,
            "idle_timeout": self.idle,
            "ready": self.warm_seconds is not None,
            "warm_up_seconds": None if self.warm_seconds is None else round(self.warm_seconds, 2),
            "rss_mb": round(rss_mb("VmRSS"), 1),
            "peak_rss_mb": round(peak_rss_mb(), 1),
            "max_mb": self.max_mb,
            "executable": sys.executable,
        }


def _same_user(conn: socket.socket) -> bool:
    """The socket is 0600 in a 0700 folder; where the kernel tells the peer's uid, check it as well."""
    option = getattr(socket, "SO_PEERCRED", None)
    if option is None:
        return True
    _pid, uid, _gid = struct.unpack("3i", conn.getsockopt(socket.SOL_SOCKET, option, struct.calcsize("3i")))
    return uid == os.geteuid()


def rss_mb(field: str) -> float:
    """A memory figure from /proc/self/status, in MB (0 where /proc is absent)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def peak_rss_mb() -> float:
    return rss_mb("VmHWM")


def process_rss_mb(pid: int) -> float:
    """Another process's resident memory in MB (0 when it is gone or /proc is absent)."""
    try:
        with open(f"/proc/{pid}/statm", encoding="ascii") as statm:
            return int(statm.read().split()[1]) * mmap.PAGESIZE / (1 << 20)
    except (OSError, ValueError, IndexError):
        return 0.0


def memory_ceiling_mb() -> float:
    try:
        return max(64.0, float(os.environ.get(MAX_MB_ENV, DEFAULT_MAX_MB)))
    except ValueError:
        return DEFAULT_MAX_MB


def time_limit(asked: object) -> float:
    """The client's time limit for its run, in seconds (the default when it sent none or nonsense)."""
    if isinstance(asked, int | float) and not isinstance(asked, bool) and asked > 0:
        return min(float(asked), wire.MAX_TIME_LIMIT_SECONDS)
    return float(wire.DEFAULT_TIME_LIMIT_SECONDS)


def _take_lock(path: str) -> int | None:
    """The installation's lock, held for the server's lifetime; waits a while for a predecessor to exit.

    A POSIX record lock (lockf), not flock: it belongs to this process alone, so no forked worker
    (nor a worker's own batch workers) ever holds it, even one that outlives the server.
    """
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    deadline = time.monotonic() + LOCK_WAIT_SECONDS
    while True:
        try:
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return fd
        except OSError as error:
            if error.errno not in (errno.EACCES, errno.EAGAIN):
                os.close(fd)
                return None
            if time.monotonic() > deadline:
                os.close(fd)
                return None
            time.sleep(0.05)


def _listen(path: str) -> socket.socket:
    """Bind the socket with no permission for anyone else from the start (umask), not after a chmod."""
    with contextlib.suppress(FileNotFoundError):
        if stat.S_ISSOCK(os.lstat(path).st_mode):
            os.unlink(path)  # a stale socket of a server that was killed: we hold the lock, it is dead
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    old = os.umask(0o177)
    try:
        listener.bind(path)
    finally:
        os.umask(old)
    os.chmod(path, 0o600)
    listener.listen(32)
    return listener


def idle_seconds() -> float:
    try:
        return max(0.1, float(os.environ.get(wire.IDLE_ENV, wire.DEFAULT_IDLE_SECONDS)))
    except ValueError:
        return float(wire.DEFAULT_IDLE_SECONDS)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m septfois.server.server", description=__doc__)
    parser.add_argument("--socket", required=True, help="path of the Unix socket to listen on")
    parser.add_argument("--lock", required=True, help="lock file held while this server lives")
    args = parser.parse_args(argv)
    lock = _take_lock(args.lock)
    if lock is None:
        log("another server holds the lock; exiting")
        return 0
    try:
        listener = _listen(args.socket)
    except OSError as error:
        log(f"cannot listen on {args.socket}: {error}")
        return 1
    server = Server(listener, args.socket, idle_seconds(), lock)
    log(f"listening on {args.socket} (idle exit after {server.idle:g} s)")

    def on_signal(number: int, _frame: object) -> None:
        server.stop(f"signal {signal.Signals(number).name}")

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    try:
        server.serve()
    finally:
        server.close_listener()
        for worker in server.workers.values():
            worker.kill()
    # The lock goes with the process itself (the kernel drops it at exit), so "lock free" means "gone"
    # to clients; skipping the interpreter's teardown of the loaded models makes that moment come soon.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


if __name__ == "__main__":
    sys.exit(main())
