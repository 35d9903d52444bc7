"""The quick-check client: hands a command to the warm background process and relays its output."""

# This module runs before anything else in a quick check, so it imports only the standard library and
# septfois.errors, which imports nothing (no spaCy, regex, configuration or packs): `python -X importtime
# -m septfois check -` shows it.
from __future__ import annotations

import json
import os
import socket
import struct
import sys
import time
from collections.abc import Sequence

from septfois.errors import EXIT_ERROR, EXIT_INTERNAL, EXIT_INTERRUPTED, EXIT_OK

# Frames on the socket: one kind byte, a 4-byte big-endian length, the payload.
HEADER = struct.Struct("!cI")
REQUEST = b"Q"  # client -> server: a JSON request (op: run, status, stop)
STDIN = b"I"  # client -> server: bytes of stdin the server asked for (empty: end of input)
STDOUT, STDERR = b"O", b"E"  # server -> client: output to relay
READ = b"R"  # server -> client: "send me up to N bytes of stdin"
EXIT = b"X"  # server -> client: the exit code; the run is over
REPLY = b"J"  # server -> client: a JSON answer to status or stop
RESTART = b"M"  # server -> client: the installed package changed; the server is going away
DECLINE = b"D"  # server -> client: run this one in your own process (e.g. the cwd is not reachable)
PROTOCOL = 2  # 2: runs in forked workers, a time limit in the request, a lockf lock

NO_DAEMON_ENV = "SEPTFOIS_NO_DAEMON"
IDLE_ENV = "SEPTFOIS_DAEMON_IDLE"
DEFAULT_IDLE_SECONDS = 15 * 60
# A run that computes this long without a word to its client is stopped, with a message and exit 2
# (waiting for the client's stdin does not count). The client waits that long and a margin, no more.
TIME_LIMIT_ENV = "SEPTFOIS_TIME_LIMIT"
DEFAULT_TIME_LIMIT_SECONDS = 60
MAX_TIME_LIMIT_SECONDS = 24 * 3600
CLIENT_MARGIN_SECONDS = 15.0
# The first run waits this long for the new server to load its models before checking in-process.
START_TIMEOUT_SECONDS = 30.0
# Read stdin in pieces no larger than this when the server asks for it.
MAX_CHUNK = 1 << 20
# glibc's allocator, by default, gives back each large block freed and maps it afresh at the next long
# post: page faults and zeroed pages cost a check up to 0.9 s more when it follows a smaller one. The
# server keeps what it frees (blocks under 32 MB from its heap, returned past 256 MB free); its forked
# workers inherit this, and each ends with its run (docs/performance.md, "Any text"). Other C libraries
# ignore these variables; a value the user set is kept.
ALLOCATOR_ENV = {"MALLOC_MMAP_THRESHOLD_": str(32 << 20), "MALLOC_TRIM_THRESHOLD_": str(256 << 20)}


class Gone(Exception):
    """The connection ended before the server said how the run ended."""


class Stalled(Exception):
    """The server said nothing for longer than the run's time limit allows."""


class Paths:
    """Where one installation's server listens, locks and logs, inside the user's private runtime dir."""

    # A plain class: `dataclasses` pulls in `inspect`, a tenth of this module's start-up budget.
    __slots__ = ("folder", "lock", "log", "socket")

    def __init__(self, folder: str, socket: str, lock: str, log: str) -> None:
        self.folder, self.socket, self.lock, self.log = folder, socket, lock, log


def eligible(argv: Sequence[str]) -> bool:
    """Whether this command line may be answered by the background process.

    Only `check` (explicit, or implied by piped text) and `hook run`; never with --no-daemon (argparse
    accepts any unambiguous prefix of it), SEPTFOIS_NO_DAEMON, or SEPTFOIS_DEBUG (a traceback should come
    from the real process), and not when a post would be typed at the terminal (the server would wait).
    """
    if os.environ.get(NO_DAEMON_ENV) or os.environ.get("SEPTFOIS_DEBUG"):
        return False
    if os.name != "posix" or not hasattr(socket, "AF_UNIX"):
        return False
    if sys.stdout is None or sys.stderr is None:  # closed (`>&-`): let main() meet that itself
        return False
    if any(len(arg) >= 3 and "--no-daemon".startswith(arg.split("=", 1)[0]) for arg in argv):
        return False
    stdin_tty = _isatty(sys.stdin)
    if not argv:
        return sys.stdin is not None and not stdin_tty
    if argv[0] == "check":
        return not (stdin_tty and "-" in argv[1:])
    return list(argv[:2]) == ["hook", "run"]


def _isatty(stream: object) -> bool:
    try:
        return bool(stream is not None and stream.isatty())  # type: ignore[attr-defined]
    except (AttributeError, ValueError, OSError):
        return False


def package_root() -> str:
    import septfois

    return os.path.dirname(os.path.abspath(septfois.__file__))


def fingerprint() -> str:
    """What the server's loaded code came from: versions, and the mtime and size of every package file.

    The site-packages folders' own mtimes change when a distribution is installed, upgraded or removed
    (pip replaces its .dist-info folder), which covers spaCy and the model as well.
    """
    import hashlib

    import septfois

    digest = hashlib.sha256(f"{septfois.__version__}\0{sys.version}\0{PROTOCOL}\n".encode())
    root = package_root()
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(name for name in dirs if name != "__pycache__")
        for name in sorted(files):
            path = os.path.join(folder, name)
            try:
                info = os.stat(path)
            except OSError:
                continue
            digest.update(f"{os.path.relpath(path, root)}\0{info.st_mtime_ns}\0{info.st_size}\n".encode())
    for entry in sys.path:
        if entry.endswith("site-packages") and os.path.isdir(entry):
            digest.update(f"{entry}\0{os.stat(entry).st_mtime_ns}\n".encode())
    return digest.hexdigest()


def paths() -> Paths | None:
    """This installation's socket, lock and log, in a 0700 folder of ours; None when there is none."""
    import hashlib
    import warnings

    try:
        with warnings.catch_warnings():
            # Newer platformdirs warn on stderr when XDG_RUNTIME_DIR is unusable; we check the result.
            warnings.simplefilter("ignore")
            from platformdirs import user_runtime_path

            folder = str(user_runtime_path("septfois"))
        os.makedirs(folder, mode=0o700, exist_ok=True)
        info = os.lstat(folder)
        import stat

        if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.geteuid():
            return None
        if stat.S_IMODE(info.st_mode) != 0o700:
            os.chmod(folder, 0o700)  # ours, but readable by others: make it private before using it
    except (OSError, ImportError):
        return None
    # One server per installation (interpreter prefix and package folder): two virtualenvs of the same
    # user must not take turns restarting each other's server.
    key = hashlib.sha256(f"{sys.prefix}\0{package_root()}".encode()).hexdigest()[:12]
    base = os.path.join(folder, f"daemon-{key}")
    return Paths(folder, base + ".sock", base + ".lock", base + ".log")


# --- framing ---------------------------------------------------------------------------------------


def send(sock: socket.socket, kind: bytes, payload: bytes = b"") -> None:
    sock.sendall(HEADER.pack(kind, len(payload)) + payload)


def receive(sock: socket.socket) -> tuple[bytes, bytes]:
    """The next frame; Gone when the peer closed the connection."""
    kind, size = HEADER.unpack(_exactly(sock, HEADER.size))
    return kind, _exactly(sock, size)


def _exactly(sock: socket.socket, size: int) -> bytes:
    parts, missing = [], size
    while missing:
        try:
            chunk = sock.recv(min(missing, 1 << 20))
        except TimeoutError:
            raise Stalled from None
        except OSError:
            raise Gone from None
        if not chunk:
            raise Gone
        parts.append(chunk)
        missing -= len(chunk)
    return b"".join(parts)


# --- the server's lifetime --------------------------------------------------------------------------


def connect(where: Paths) -> socket.socket | None:
    """A connection to a running server, or None when nobody listens (no socket, or a stale one)."""
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        sock.settimeout(2.0)
        sock.connect(where.socket)
        sock.settimeout(None)
        return sock
    except OSError:
        sock.close()
        return None


def lock_taken(where: Paths) -> bool:
    """Whether a server holds the lock: it does for as long as it lives, the kernel releases it at death.

    A POSIX record lock, as the server takes it: only the server process holds it, never its workers.
    """
    import errno
    import fcntl

    try:
        fd = os.open(where.lock, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError:
        return False
    try:
        fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as error:
        return error.errno in (errno.EACCES, errno.EAGAIN)
    finally:
        os.close(fd)  # closing releases a lock we just took
    return False


def spawn(where: Paths) -> object:
    """Start a server in its own session (a Ctrl-C in this terminal must not reach it), logging to a file."""
    import subprocess

    # Appended to (an exiting predecessor may still write its last line), and emptied once it grows.
    flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND
    if os.path.exists(where.log) and os.path.getsize(where.log) > 256 * 1024:
        flags |= os.O_TRUNC
    log = os.open(where.log, flags, 0o600)
    try:
        return subprocess.Popen(
            [sys.executable, "-m", "septfois.server.server", "--socket", where.socket, "--lock", where.lock],
            cwd=where.folder,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=log,
            start_new_session=True,
            close_fds=True,
            env={**ALLOCATOR_ENV, **os.environ},
        )
    finally:
        os.close(log)


def connect_or_start(where: Paths, *, timeout: float = START_TIMEOUT_SECONDS) -> socket.socket | None:
    """A connection to the server, starting one if none runs; None if none answers within `timeout`."""
    sock = connect(where)
    if sock is not None:
        if lock_taken(where):
            return sock
        # Something listens but no server lives: the socket of a server killed with its workers left
        # behind (forked before they could be tied to it). Nobody will ever answer there: start afresh.
        sock.close()
        _remove_stale_socket(where)
    deadline = time.monotonic() + timeout
    child = None
    delay = 0.01
    while time.monotonic() < deadline:
        if not lock_taken(where):
            if child is not None and child.poll() is not None:  # type: ignore[attr-defined]
                return None  # ours died before it could listen, and nobody else serves: give up
            if child is None:
                try:
                    child = spawn(where)
                except OSError:
                    return None
        time.sleep(delay)
        delay = min(delay * 2, 0.1)
        sock = connect(where)
        if sock is not None:
            return sock
    return None


def _remove_stale_socket(where: Paths) -> None:
    import stat

    try:
        if stat.S_ISSOCK(os.lstat(where.socket).st_mode) and not lock_taken(where):
            os.unlink(where.socket)
    except OSError:
        pass


def in_the_way(where: Paths) -> str | None:
    """What sits where the server's socket belongs when it is not a socket (a file, a folder), or None."""
    import stat

    try:
        mode = os.lstat(where.socket).st_mode
    except OSError:
        return None
    if stat.S_ISSOCK(mode):
        return None
    return "a folder" if stat.S_ISDIR(mode) else "a file"


def time_limit() -> float:
    """SEPTFOIS_TIME_LIMIT in seconds, or the default."""
    try:
        value = float(os.environ.get(TIME_LIMIT_ENV, DEFAULT_TIME_LIMIT_SECONDS))
    except ValueError:
        return float(DEFAULT_TIME_LIMIT_SECONDS)
    return min(value, MAX_TIME_LIMIT_SECONDS) if value > 0 else float(DEFAULT_TIME_LIMIT_SECONDS)


def wait_until_gone(where: Paths, timeout: float = 10.0) -> bool:
    """Wait for the server to exit (its lock released); True when it has."""
    deadline = time.monotonic() + timeout
    while lock_taken(where):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


def ask(where: Paths, op: str) -> dict[str, object] | None:
    """A status or stop request to a running server; None when no server answers."""
    sock = connect(where)
    if sock is None:
        return None
    with sock:
        try:
            send(sock, REQUEST, json.dumps({"op": op, "protocol": PROTOCOL}).encode())
            kind, payload = receive(sock)
        except (OSError, Gone):
            return None
    return json.loads(payload) if kind == REPLY else None


# --- a quick check ---------------------------------------------------------------------------------


def run(argv: Sequence[str]) -> int | None:
    """The exit code of `septfois ARGV` run by the background process, or None: run it in this process.

    None whenever the server cannot be reached or started, so nothing breaks without it.
    """
    try:
        where = paths()
        if where is None:
            return None
        blocker = in_the_way(where)
        if blocker is not None:
            # No server can listen there: say so (once, here) rather than start one that fails each time.
            print(
                f"septfois: {blocker} is in the way of the background process's socket ({where.socket});"
                " checking in this process, without it. Remove it to have quick checks again.",
                file=sys.stderr,
            )
            return None
        limit = time_limit()
        request = _request(argv, limit)
        for _ in range(3):
            sock = connect_or_start(where)
            if sock is None:
                return None
            with sock:
                sock.settimeout(limit + CLIENT_MARGIN_SECONDS)
                try:
                    outcome = _exchange(sock, request)
                except Stalled:
                    print(
                        f"septfois: the background process did not answer within {limit:g} s (the time limit,"
                        f" {TIME_LIMIT_ENV}); stopped. --no-daemon checks in this process instead.",
                        file=sys.stderr,
                    )
                    return EXIT_ERROR
                except Gone:
                    # The server went away before this run produced anything (say it was exiting after
                    # its idle period just as we connected): try again with a new one.
                    outcome = RESTART
            if outcome == RESTART:
                wait_until_gone(where)
                continue
            if outcome == DECLINE:
                return None
            return outcome  # type: ignore[return-value]
        return None
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except OSError:
        return None


def _request(argv: Sequence[str], limit: float = DEFAULT_TIME_LIMIT_SECONDS) -> bytes:
    def stream(name: str) -> dict[str, object]:
        handle = getattr(sys, name)
        return {
            "present": handle is not None,
            "tty": _isatty(handle),
            "encoding": getattr(handle, "encoding", None) or "utf-8",
            "errors": getattr(handle, "errors", None) or "strict",
        }

    return json.dumps(
        {
            "op": "run",
            "protocol": PROTOCOL,
            "fingerprint": fingerprint(),
            "argv": list(argv),
            "time_limit": limit,
            "cwd": os.getcwd(),
            # All of it, not a selection: git hooks rely on GIT_INDEX_FILE and friends, dates on TZ,
            # colours on NO_COLOR, configuration on HOME and XDG_*. The server is this user's own.
            "env": dict(os.environ),
            "stdin": stream("stdin"),
            "stdout": stream("stdout"),
            "stderr": stream("stderr"),
        }
    ).encode()


class _Relay:
    """Writes what the server sends to this process's stdout and stderr."""

    def __init__(self) -> None:
        self.started = False  # once output was written or stdin read, the run cannot be retried

    def write(self, kind: bytes, data: bytes) -> int | None:
        """None, or the exit code to leave with because our own output cannot be written."""
        self.started = True
        stream = sys.stdout if kind == STDOUT else sys.stderr
        try:
            stream.buffer.write(data)
            stream.buffer.flush()
        except BrokenPipeError:
            if kind == STDERR:
                return None  # nobody reads diagnostics; the data on stdout still matters
            # `septfois check | head`: as in-process, the reader leaving ends the run quietly.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            return EXIT_OK
        except OSError as error:  # a full disk, say: in-process this would be an internal error too
            import contextlib

            with contextlib.suppress(OSError):  # stderr may be just as unwritable
                print(f"septfois: cannot write the output: {error}", file=sys.stderr)
            return EXIT_INTERNAL
        return None


def _stdin_first(sock: socket.socket) -> bool:
    """Wait until stdin has something (True) or the server says something first (False).

    A run stopped by the server (its time or memory) while we wait on a silent stdin must still reach
    us: its message and exit code arrive on the socket, which we watch as well.
    """
    import select

    try:
        stdin = sys.stdin.fileno()
    except (AttributeError, ValueError, OSError):
        return True
    try:
        readable, _, _ = select.select([stdin, sock], [], [])
    except (OSError, ValueError):
        return True  # stdin cannot be watched (say, it is closed): read it as before
    return stdin in readable or sock not in readable


def _exchange(sock: socket.socket, request: bytes) -> int | bytes:
    """Send one run request and relay frames until the exit code; RESTART or DECLINE when not served."""
    relay = _Relay()
    try:
        send(sock, REQUEST, request)
    except OSError:
        raise Gone from None
    while True:
        try:
            kind, payload = receive(sock)
        except Gone:
            if not relay.started:
                raise
            print("septfois: the background process stopped during the check; run it again", file=sys.stderr)
            return EXIT_INTERNAL
        if kind in (STDOUT, STDERR):
            code = relay.write(kind, payload)
            if code is not None:
                return code
        elif kind == READ:
            relay.started = True
            (wanted,) = struct.unpack("!I", payload)
            if not _stdin_first(sock):
                continue  # the server spoke first (it stopped the run): read what it says
            try:
                data = os.read(sys.stdin.fileno(), min(wanted, MAX_CHUNK)) if wanted else b""
            except OSError:
                data = b""
            try:
                send(sock, STDIN, data)
            except OSError:
                print(
                    "septfois: the background process stopped during the check; run it again", file=sys.stderr
                )
                return EXIT_INTERNAL
        elif kind == EXIT:
            (code,) = struct.unpack("!i", payload)
            return code
        elif kind in (RESTART, DECLINE):
            if relay.started:  # cannot happen: the server decides before running; be safe anyway
                return EXIT_INTERNAL
            return kind
        else:
            raise Gone
