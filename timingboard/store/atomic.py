"""Writing a user's file whole or not at all, and never over what they own.

Every file timingboard writes (exports, imported and lined-up sessions, ``event.json``) goes
through here: the content is written to a temporary file in the target's folder, flushed to disk
(``fsync``), then renamed over the target in one step, so a kill or a full disk leaves the
previous file as it was and a rerun just works. A leftover temporary file of a killed run is
removed by the next write to the same target.

Outputs are checked first (:func:`unsafe_output`, the one home of that rule, for the commands
and the desk): never a session file, never a file the command reads (also through a symlink or
a hard link), never a folder, never an event's ``event.json`` (but by its own writers).
"""

from __future__ import annotations

import contextlib
import errno
import os
import socket
import stat
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from timingboard.store.errors import SessionFileError, refuse_dangling

SQLITE_HEADER = b"SQLite format 3\x00"
TEMP_SUFFIX = ".tbpart"
SQLITE_SIDE_FILES = ("-wal", "-shm", "-journal", "-lock")
EVENT_RECORD = "event.json"  # the event's record of its sessions, in its folder


def describe(exc: OSError) -> str:
    """An OS error in words, without Python's ``[Errno N]``."""
    return exc.strerror or str(exc)


class UnsafeOutput(SessionFileError):
    """An output refused by :func:`unsafe_output`: what it is (``reason``) and the session it
    belongs to (``owner``). Its text is the commands' wording (``-o``, "this command reads");
    the desk words it its own way from the same fields (timingboard.text.file_text)."""

    FOLDER = "folder"  # the output is a folder
    READ = "read"  # the output is a file being read (the open session, the command's input)
    SIDE = "side"  # one of the side files SQLite keeps beside the session ``owner``
    SESSION = "session"  # another session file (SQLite)
    EVENT = "event"  # an event folder's event.json (its sessions, what each was made from)

    def __init__(self, message: str, path: Path, reason: str, owner: Path | None = None) -> None:
        super().__init__(message)
        self.path = path
        self.reason = reason
        self.owner = owner


def unsafe_output(
    output: str | Path, reads: Iterable[str | Path] = (), *, event_record: bool = False
) -> UnsafeOutput | None:
    """Why writing ``output`` would destroy something (None: it would not).

    ``reads`` are the files the command reads; the output may be none of them (compared as
    files, so a symlink or a second name of the same file is caught), nor the side files SQLite
    keeps beside a session, nor any timingboard or SQLite file (known by its content, whatever
    its name ends with), nor a folder, nor an event's ``event.json`` (by its name, or the name
    of the file it links to) unless the writer is that record's own (``event_record``: the
    event's details and classes, a line-up's record); a symlink is judged by the file it leads
    to. Every writer of a user's file asks here: the exports of the desk and the commands, Save
    a copy, Branch.
    """
    output = Path(output)
    if output.is_dir():
        return UnsafeOutput(
            f"{output} is a folder; give a file name to write", output, UnsafeOutput.FOLDER
        )
    if not event_record and _is_event_record(output):
        return UnsafeOutput(
            f"refusing to overwrite {output}: it is an event's record of its sessions "
            f"({EVENT_RECORD}); choose another output",
            output,
            UnsafeOutput.EVENT,
        )
    for source in reads:
        source = Path(source)
        if _same_file(output, source):
            return UnsafeOutput(
                f"refusing to overwrite {output}: it is the "
                + ("session" if source.suffix == ".tbs" else "file")
                + " this command reads"
                + (f" ({source})" if str(source) != str(output) else "")
                + "; choose another output",
                output,
                UnsafeOutput.READ,
                source,
            )
        for side in SQLITE_SIDE_FILES:
            if _same_file(output, Path(f"{source}{side}")) or _same_name(
                output, Path(f"{source}{side}")
            ):
                return UnsafeOutput(
                    f"{output} belongs to the session {source}; choose another output",
                    output,
                    UnsafeOutput.SIDE,
                    source,
                )
    if _is_sqlite(output):
        return UnsafeOutput(
            f"{output} is a session file (SQLite); it is never overwritten, choose another output",
            output,
            UnsafeOutput.SESSION,
        )
    for name in dict.fromkeys((str(output), os.path.realpath(output))):  # also where it links
        for side in SQLITE_SIDE_FILES:
            if name.endswith(side) and _is_sqlite(Path(name[: -len(side)])):
                owner = Path(name[: -len(side)])
                return UnsafeOutput(
                    f"{output} belongs to the session {owner}; choose another output",
                    output,
                    UnsafeOutput.SIDE,
                    owner,
                )
    return None


def refuse_unsafe_output(
    output: str | Path, reads: Iterable[str | Path] = (), *, event_record: bool = False
) -> None:
    """Raise :func:`unsafe_output`'s refusal (a :class:`SessionFileError`), if there is one."""
    refusal = unsafe_output(output, reads, event_record=event_record)
    if refusal is not None:
        raise refusal


@contextmanager
def replaced(
    path: str | Path,
    mode: str = "w",
    reads: Iterable[str | Path] = (),
    *,
    event_record: bool = False,
    **options: Any,
) -> Iterator[IO[Any]]:
    """An open file whose content replaces ``path`` in one step when the block ends.

    If the block raises, or the process dies, ``path`` is left as it was. A device or a pipe
    (``/dev/stdout``, ``/dev/full``) is written directly, and a failure is still an error.
    ``event_record``: the writer is the event's own ``event.json``'s (:func:`unsafe_output`).
    """
    path = Path(path)
    refuse_unsafe_output(path, reads, event_record=event_record)
    if mode not in ("w", "wb"):
        raise ValueError("mode is 'w' or 'wb'")
    if path.exists() and not path.resolve().is_file():  # a device or a pipe: no rename
        try:
            with open(path, mode, **options) as handle:
                yield handle
                handle.flush()
        except OSError as exc:
            raise SessionFileError(f"cannot write {path}: {describe(exc)}") from None
        return
    target = path.resolve()
    if target.exists() and (
        not os.access(target, os.W_OK) or not stat.S_IMODE(target.stat().st_mode) & 0o222
    ):
        raise SessionFileError(f"{path} is read-only; it is not written over")
    temp = temp_path(target)
    try:
        handle = open(temp, "xb" if mode == "wb" else "x", **options)  # noqa: SIM115
    except OSError as exc:
        raise _cannot_write(path, exc) from None
    try:
        with handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        _give_mode(temp, target)
        os.replace(temp, target)
        sync_folder(target.parent)
    except OSError as exc:
        _unlink_quietly(temp)
        raise SessionFileError(f"cannot write {path}: {describe(exc)}") from None
    except BaseException:
        _unlink_quietly(temp)
        raise


def write_bytes(path: str | Path, data: bytes, reads: Iterable[str | Path] = ()) -> None:
    """``data`` replaces ``path`` whole (see :func:`replaced`)."""
    with replaced(path, "wb", reads) as handle:
        handle.write(data)


def write_text(
    path: str | Path, text: str, reads: Iterable[str | Path] = (), *, event_record: bool = False
) -> None:
    """``text`` (UTF-8) replaces ``path`` whole (see :func:`replaced`)."""
    options: dict[str, Any] = {"encoding": "utf-8", "newline": ""}
    with replaced(path, "w", reads, event_record=event_record, **options) as handle:
        handle.write(text)


def temp_path(target: Path) -> Path:
    """A new temporary name beside ``target``; leftovers of killed runs are cleared first."""
    clear_leftovers(target)
    pid = os.getpid()
    for attempt in range(1000):
        candidate = target.with_name(f".{target.name}.{pid}-{attempt}{TEMP_SUFFIX}")
        if not candidate.exists():
            return candidate
    raise SessionFileError(f"cannot find a temporary name beside {target}")


def clear_leftovers(target: Path) -> None:
    """Remove temporary files left beside ``target`` by runs that died (their pid is gone)."""
    try:
        names = [p for p in target.parent.glob(f".{glob_escape(target.name)}.*{TEMP_SUFFIX}")]
    except OSError:
        return
    for leftover in names:
        pid_text = leftover.name[len(target.name) + 2 :].split("-", 1)[0]
        if pid_text.isdigit() and not pid_alive(int(pid_text)):
            for side in ("", *SQLITE_SIDE_FILES):
                _unlink_quietly(Path(f"{leftover}{side}"))


def refuse_existing(target: str | Path) -> None:
    """A new file's name already taken (by a file, or a link even to nothing) is refused: "X
    already exists; choose a new name". The one home of that refusal for what a command makes
    (its sessions, ``results -o``); a device or a pipe (``/dev/stdout``) is no file of the user's
    and is written (:func:`created`)."""
    target = Path(target)
    if is_stream(target):
        return
    if target.exists() or target.is_symlink():
        raise SessionFileError(f"{target} already exists; choose a new name")


def is_stream(path: str | Path) -> bool:
    """A device or a pipe (``/dev/stdout``, ``/dev/full``): written straight, never renamed."""
    path = Path(path)
    return path.exists() and not path.is_dir() and not path.resolve().is_file()


@contextmanager
def created(
    path: str | Path, mode: str = "w", reads: Iterable[str | Path] = (), **options: Any
) -> Iterator[IO[Any]]:
    """An open file that becomes the new file ``path`` when the block ends: a name taken is
    refused before anything is written (:func:`refuse_existing`), and a file made meanwhile
    is not written over either (:func:`publish`); whole or not at all, as :func:`replaced`
    writes. A device or a pipe is written directly, as :func:`replaced` does."""
    if mode not in ("w", "wb"):
        raise ValueError("mode is 'w' or 'wb'")
    if is_stream(path):
        with replaced(path, mode, reads, **options) as handle:
            yield handle
        return
    with new_files([Path(path)], reads) as (temp,):
        try:
            handle = open(temp, "xb" if mode == "wb" else "x", **options)  # noqa: SIM115
        except OSError as exc:
            raise _cannot_write(Path(path), exc) from None
        try:
            with handle:
                yield handle
                handle.flush()
        except OSError as exc:
            raise SessionFileError(f"cannot write {path}: {describe(exc)}") from None


@contextmanager
def new_files(targets: list[Path], reads: Iterable[str | Path] = ()) -> Iterator[list[Path]]:
    """Temporary paths to build new files (sessions) at; when the block ends they all get
    their names, none of which may exist (never overwrites). If the block raises, or the
    process dies, no target appears and a rerun starts afresh."""
    reads = list(reads)
    for target in targets:
        refuse_dangling(target)
        refuse_unsafe_output(target, reads)
        if not target.parent.is_dir():
            raise SessionFileError(
                f"cannot write {target}: the folder {target.parent} does not exist"
            )
        refuse_existing(target)
    try:
        temps = [temp_path(target.resolve()) for target in targets]
    except OSError as exc:
        raise _cannot_write(targets[0], exc) from None
    try:
        yield temps
        for temp, target in zip(temps, targets, strict=True):
            publish(temp, target)
    finally:
        for temp in temps:
            for side in ("", *SQLITE_SIDE_FILES):
                _unlink_quietly(Path(f"{temp}{side}"))


def publish(temp: Path, target: Path) -> None:
    """Give the finished ``temp`` the name ``target``, which must not exist (never overwrites)."""
    try:
        with open(temp, "rb") as handle:
            os.fsync(handle.fileno())
        try:
            os.link(temp, target)  # fails if target exists: no check-then-rename race
        except OSError as exc:
            if exc.errno == errno.EEXIST:
                raise SessionFileError(f"{target} already exists; choose a new name") from None
            if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV):
                raise
            if target.exists():
                raise SessionFileError(f"{target} already exists; choose a new name") from None
            os.rename(temp, target)  # a file system without hard links
        else:
            os.unlink(temp)
        sync_folder(target.parent)
    except OSError as exc:
        raise SessionFileError(f"cannot write {target}: {describe(exc)}") from None


def sync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable (where the system allows it)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def pid_alive(pid: int) -> bool:
    """Whether a process of this machine with this id is running."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def host_name() -> str:
    return socket.gethostname()


def glob_escape(name: str) -> str:
    return "".join(f"[{c}]" if c in "*?[]" else c for c in name)


def ready_folder(folder: str | Path, make: bool = True) -> Path:
    """``folder`` made (when ``make``) and checked by writing in it; :class:`SessionFileError`
    says why it cannot be used, in words ("it cannot be made: No such file or directory"),
    before a board, a feed or a demo starts on it."""
    folder = Path(folder)
    said = f"cannot use the folder {folder}"
    if folder.exists() and not folder.is_dir():
        raise SessionFileError(f"{said}: it is a file")
    if not folder.exists() and not make:
        raise SessionFileError(f"{said}: it does not exist; make it first")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SessionFileError(f"{said}: it cannot be made ({describe(exc)})") from None
    probe = folder / f".timingboard-probe-{os.getpid()}{TEMP_SUFFIX}"
    try:
        probe.open("xb").close()
    except FileExistsError:
        pass
    except OSError as exc:
        raise SessionFileError(f"{said}: nothing can be written in it ({describe(exc)})") from None
    _unlink_quietly(probe)
    return folder


def os_error_text(exc: OSError) -> str:
    """An OS error a command met, in a sentence: the file it concerns and what went wrong,
    without Python's ``[Errno N]``."""
    if exc.filename is not None:
        return f"cannot use {exc.filename}: {describe(exc)}"
    return describe(exc)


def _cannot_write(path: Path, exc: OSError) -> SessionFileError:
    folder = path.parent
    if exc.errno == errno.ENOENT and not folder.exists():
        return SessionFileError(f"cannot write {path}: the folder {folder} does not exist")
    if exc.errno == errno.ENOTDIR:
        return SessionFileError(f"cannot write {path}: {folder} is not a folder")
    return SessionFileError(f"cannot write {path}: {describe(exc)}")


def _give_mode(temp: Path, target: Path) -> None:
    """The new file keeps the old one's permissions, or gets the usual ones for a new file."""
    try:
        mode = stat.S_IMODE(target.stat().st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    os.chmod(temp, mode)


def _is_event_record(path: Path) -> bool:
    """``path`` is named as an event's record, or links to a file that is (read as a file:
    ``Event.JSON`` is the same file on a disk that ignores case)."""
    names = {path.name, os.path.basename(os.path.realpath(path))}
    return any(name.lower() == EVENT_RECORD for name in names)


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _same_name(a: Path, b: Path) -> bool:
    with contextlib.suppress(OSError):
        return a.resolve() == b.resolve()
    return False


def _is_sqlite(path: Path) -> bool:
    if not os.path.isfile(path):  # never open a pipe or a device to look (it would block)
        return False
    try:
        with open(path, "rb") as handle:
            return handle.read(16) == SQLITE_HEADER
    except OSError:
        return False


def _unlink_quietly(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()
