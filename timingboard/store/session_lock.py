"""Who holds a session for writing: one writer a session file, the others told who it is.

The holder keeps ``SESSION-lock`` beside the session, locked (``flock``) for as long as it is
open, with its host, process id and the time it took it. The kernel drops the lock when the
holder dies, so the lock of a crashed or killed board is reclaimed by the next opener; where
the file system has no ``flock``, a lock whose process is gone on this host is reclaimed.
"""

from __future__ import annotations

import contextlib
import datetime
import getpass
import json
import os
import time
from pathlib import Path

from timingboard.store.atomic import host_name, pid_alive

try:
    import fcntl
except ImportError:  # pragma: no cover - not on Linux or macOS
    fcntl = None  # type: ignore[assignment]

LOCK_SUFFIX = "-lock"


class LockHeld(Exception):
    """Another process holds the session; the message names it."""

    def __init__(self, holder: str) -> None:
        super().__init__(holder)
        self.holder = holder


def lock_path(session: Path) -> Path:
    return Path(f"{session}{LOCK_SUFFIX}")


class SessionLock:
    """The write lock of one session file, held until :meth:`release`."""

    def __init__(self, path: Path, fd: int) -> None:
        self.path = path
        self._fd: int | None = fd

    @classmethod
    def acquire(cls, session: Path) -> SessionLock:
        """Take the lock or raise :class:`LockHeld` (holder named), or ``OSError``."""
        path = lock_path(session.resolve())
        for _ in range(20):
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                taken, flocked = _lock(fd, path)
                if not taken and flocked:
                    taken = _lock_after_probes(fd)
                if not taken:
                    raise LockHeld(describe_holder(_read_holder(fd)))
                if not _same_inode(fd, path):  # unlinked by its holder meanwhile: again
                    os.close(fd)
                    continue
                _write_holder(fd, durable=not flocked)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.close(fd)
                raise
            return cls(path, fd)
        raise OSError(f"cannot take the lock {path}")

    def release(self) -> None:
        if self._fd is None:
            return
        with contextlib.suppress(OSError):
            self.path.unlink()
        with contextlib.suppress(OSError):
            os.close(self._fd)
        self._fd = None


def holder_of(session: Path) -> str | None:
    """Who holds ``session`` now, in words, or None if no live process does."""
    path = lock_path(session.resolve())
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return None
    try:
        if fcntl is not None:
            try:
                fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
            except BlockingIOError:
                return describe_holder(_read_holder(fd))
            except OSError:
                pass
            else:
                fcntl.flock(fd, fcntl.LOCK_UN)
                return None
        holder = _read_holder(fd)
        return describe_holder(holder) if _alive(holder) else None
    finally:
        os.close(fd)


def describe_holder(holder: dict[str, object]) -> str:
    where = holder.get("host") or "another computer"
    since = holder.get("since") or "an unknown time"
    who = f" by {holder['user']}" if holder.get("user") else ""
    return f"open in timingboard on {where} (pid {holder.get('pid', '?')}){who} since {since}"


def _try_lock(fd: int, path: Path) -> bool:
    return _lock(fd, path)[0]


def _lock(fd: int, path: Path) -> tuple[bool, bool]:
    """Whether the lock is taken, and whether by ``flock`` (not by the recorded process)."""
    if fcntl is not None:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True, True
        except BlockingIOError:
            return False, True
        except OSError:
            pass  # no flock on this file system: go by the recorded process
    holder = _read_holder(fd)
    return not _alive(holder) or holder.get("pid") == os.getpid(), False


PROBE_WAIT_S = 0.002
PROBE_TRIES = 3


def _lock_after_probes(fd: int) -> bool:
    """The lock, asked again a few times a moment apart: a board following the session
    (:func:`holder_of`, twice a second) holds it shared for some microseconds to see whether
    its writer is still there, and an opener meeting that must not be turned away read-only."""
    for _ in range(PROBE_TRIES):
        time.sleep(PROBE_WAIT_S)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            continue
        except OSError:
            return False
        return True
    return False


def _alive(holder: dict[str, object]) -> bool:
    pid = holder.get("pid")
    if not isinstance(pid, int):
        return False
    if holder.get("host") != host_name():
        return True  # a process elsewhere cannot be checked: it holds the session
    return pid_alive(pid)


def _read_holder(fd: int) -> dict[str, object]:
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        data = os.read(fd, 4096)
        holder = json.loads(data.decode("utf-8")) if data else {}
    except (OSError, ValueError):
        return {}
    return holder if isinstance(holder, dict) else {}


def _write_holder(fd: int, durable: bool) -> None:
    """Who holds the session, for the others to be told; synced to disk only where it is the
    lock itself (no ``flock``): under ``flock`` the kernel's lock is what counts, and the sync
    held the window's thread for a session opened (5-10 ms on a busy disk)."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = ""
    since = datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M:%S")
    data = json.dumps({"host": host_name(), "pid": os.getpid(), "user": user, "since": since})
    os.ftruncate(fd, 0)
    os.lseek(fd, 0, os.SEEK_SET)
    os.write(fd, data.encode("utf-8"))
    if durable:
        with contextlib.suppress(OSError):
            os.fsync(fd)


def _same_inode(fd: int, path: Path) -> bool:
    try:
        return os.fstat(fd).st_ino == os.stat(path).st_ino
    except OSError:
        return False
