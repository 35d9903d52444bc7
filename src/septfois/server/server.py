"""The warm background process: keeps models and packs loaded and runs `septfois` commands for the client."""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import io
import json
import os
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

# How long a new server waits for the previous one (same installation) to let go of the lock.
LOCK_WAIT_SECONDS = 20.0
# How often the accept loop looks at the clock and at a stop request.
TICK_SECONDS = 0.5
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

    Callers hold the run lock: none of this is per-thread.
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
    # A batch forks its workers inside a run, with the run lock held. The other threads then hold no
    # lock a worker touches: the accept loop and the connections waiting for their turn take only the
    # server's own locks and its log stream, and the warm-up waits for the run lock between its steps.
    check_cmd.other_threads_fork_safe = True


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


class Server:
    """Accepts connections, runs one command at a time, and exits when idle, told to, or out of date."""

    def __init__(self, listener: socket.socket, socket_path: str, idle: float) -> None:
        self.listener = listener
        self.socket_path = socket_path
        self.socket_inode = os.stat(socket_path).st_ino
        self.idle = idle
        self.fingerprint = wire.fingerprint()
        self.run_lock = threading.Lock()
        self.state_lock = threading.Lock()
        self.stopping = threading.Event()
        self.active = 0
        self.waiting = 0
        self.served = 0
        self.started = time.time()
        self.last_activity = time.monotonic()
        self.warm_seconds: float | None = None
        self.why_stopped = ""

    # --- lifetime ---

    def serve(self) -> None:
        threading.Thread(target=self.warm_up, name="warm-up", daemon=True).start()
        self.listener.settimeout(TICK_SECONDS)
        while not self.stopping.is_set():
            try:
                conn, _ = self.listener.accept()
            except TimeoutError:
                self.check_idle()
                continue
            except OSError:
                if self.stopping.is_set():
                    break
                raise
            with self.state_lock:
                self.active += 1
            threading.Thread(target=self.handle, args=(conn,), daemon=True).start()
        self.close_listener()
        with self.run_lock:  # let a run in progress finish before the process ends
            log(f"exiting: {self.why_stopped or 'stopped'} after {self.served} runs")

    def stop(self, why: str) -> None:
        if not self.stopping.is_set():
            self.why_stopped = why
            self.stopping.set()

    def check_idle(self) -> None:
        with self.state_lock:
            quiet = self.active == 0 and self.warm_seconds is not None
            idle_for = time.monotonic() - self.last_activity
        if quiet and idle_for >= self.idle:
            self.stop(f"idle for {idle_for:.0f} s")

    def close_listener(self) -> None:
        """Stop listening and remove our socket (and only ours: a successor may have bound a new one)."""
        with contextlib.suppress(OSError):
            self.listener.close()
        with contextlib.suppress(OSError):
            if os.stat(self.socket_path).st_ino == self.socket_inode:
                os.unlink(self.socket_path)

    def warm_up(self) -> None:
        """Load what every check needs, one step at a time, letting waiting clients go first."""
        from septfois.analysis import nlp

        begin = time.monotonic()
        steps: list[tuple[str, Callable[[], object]]] = [
            ("command line", _import_commands),
            ("French pipeline", lambda: nlp.pipeline("fr")),
            ("packs and French check", lambda: self.warm_check("fr")),
            ("English pipeline", lambda: nlp.pipeline("en")),
            ("English check", lambda: self.warm_check("en")),
        ]
        for name, step in steps:
            while self.waiting and not self.stopping.is_set():
                time.sleep(0.01)
            if self.stopping.is_set():
                return
            with self.run_lock:
                step_start = time.monotonic()
                try:
                    step()
                except Exception as error:  # a broken user pack, say: clients will see it, not us
                    log(f"warm-up: {name}: {type(error).__name__}: {error}")
            log(f"warm-up: {name} in {time.monotonic() - step_start:.2f} s")
        with self.state_lock:
            self.warm_seconds = time.monotonic() - begin
            self.last_activity = time.monotonic()
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

    # --- one connection ---

    def handle(self, conn: socket.socket) -> None:
        try:
            with conn:
                if not _same_user(conn):
                    return
                conn.settimeout(10.0)
                kind, payload = wire.receive(conn)
                conn.settimeout(None)
                if kind != wire.REQUEST:
                    return
                request = json.loads(payload)
                op = request.get("op")
                channel = Channel(conn)
                if op == "status":
                    channel.send(wire.REPLY, json.dumps(self.status()).encode())
                elif op == "stop":
                    channel.send(wire.REPLY, json.dumps({"stopping": True, "pid": os.getpid()}).encode())
                    self.stop("asked to stop")
                elif op == "run":
                    self.run(channel, request)
        except (wire.Gone, OSError, ValueError) as error:
            log(f"connection dropped: {type(error).__name__}: {error}")
        except Exception as error:  # never let one bad request take the server down
            log(f"unexpected error: {type(error).__name__}: {error}")
        finally:
            with self.state_lock:
                self.active -= 1
                self.last_activity = time.monotonic()

    def run(self, channel: Channel, request: dict[str, Any]) -> None:
        if request.get("protocol") != wire.PROTOCOL or request.get("fingerprint") != self.fingerprint:
            # New code on disk: this process must not answer with the old. Go away, the client starts
            # a fresh server once we are gone.
            self.stop("the installed package changed")
            self.close_listener()
            channel.send(wire.RESTART)
            return
        with self.state_lock:
            self.waiting += 1
        try:
            self.run_lock.acquire()
        finally:
            with self.state_lock:
                self.waiting -= 1
        try:
            if self.stopping.is_set():
                channel.send(wire.RESTART)
                return
            if not os.path.isdir(request["cwd"]):
                channel.send(wire.DECLINE)
                return
            try:
                with _as_client(request, channel):
                    code = run_command(request["argv"])
                    sys.stdout.flush()
                    sys.stderr.flush()
            except OSError as error:
                if isinstance(error, (BrokenPipeError, ConnectionError)):
                    log("client left during a run")
                    return
                channel.send(wire.DECLINE)  # cannot enter the client's folder: let it run there itself
                return
            self.served += 1
            channel.send(wire.EXIT, struct.pack("!i", code))
        finally:
            self.run_lock.release()

    def status(self) -> dict[str, object]:
        return {
            "pid": os.getpid(),
            "socket": self.socket_path,
            "uptime": round(time.time() - self.started, 1),
            "served": self.served,
            "idle_timeout": self.idle,
            "ready": self.warm_seconds is not None,
            "warm_up_seconds": None if self.warm_seconds is None else round(self.warm_seconds, 2),
            "rss_mb": round(rss_mb("VmRSS"), 1),
            "peak_rss_mb": round(peak_rss_mb(), 1),
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


def _take_lock(path: str) -> int | None:
    """The installation's lock, held for the server's lifetime; waits a while for a predecessor to exit."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    deadline = time.monotonic() + LOCK_WAIT_SECONDS
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return fd
        except BlockingIOError:
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
    server = Server(listener, args.socket, idle_seconds())
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
    # The lock goes with the process itself (the kernel drops it at exit), so "lock free" means "gone"
    # to clients; skipping the interpreter's teardown of the loaded models makes that moment come soon.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


if __name__ == "__main__":
    sys.exit(main())
