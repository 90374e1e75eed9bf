"""What a file is, in words, for a command or a dialog that was given the wrong kind of file.

One home for telling a timingboard session file (SQLite with timingboard's application id) from
another SQLite file, an empty file, a CSV or other text, and what is not text at all: ``import``
given a session, ``replay`` given a CSV or ``entries --import`` given a session all say what
the file is, not only what it is not.
"""

from __future__ import annotations

from pathlib import Path

SQLITE_HEADER = b"SQLite format 3\x00"
APPLICATION_ID = 0x54424F44  # "TBOD": PRAGMA application_id of every session file
SESSION = "a timingboard session file"
SNIFFED = 64 * 1024  # enough of a file's start to tell what it is


def sqlite_kind(data: bytes) -> str | None:
    """``data`` (a file's first bytes) as SQLite: a timingboard session, another SQLite file,
    or None when it is no SQLite file at all."""
    if not data.startswith(SQLITE_HEADER):
        return None
    application_id = int.from_bytes(data[68:72], "big") if len(data) >= 72 else 0
    return SESSION if application_id == APPLICATION_ID else "an SQLite file"


def sniff(path: Path) -> bytes:
    try:
        with path.open("rb") as handle:
            return handle.read(SNIFFED)
    except OSError:
        return b""


def is_session_file(path: str | Path) -> bool:
    """Whether ``path`` is a timingboard session file, by its content, whatever its name."""
    path = Path(path)
    return path.is_file() and sqlite_kind(sniff(path)) == SESSION


def what_it_is(path: str | Path) -> str:
    """What ``path`` is ("is empty", "is a CSV text file", "is a timingboard session file"),
    or "" when it is text that may hold RMonitor records (the caller says what it lacks)."""
    path = Path(path)
    data = sniff(path)
    kind = sqlite_kind(data)
    if kind is not None:
        return f"is {kind}"
    if not data.strip():
        return "is empty" if not data else "holds only blank lines"
    if b"\x00" in data:
        return "is not a text file"
    text = data.decode("utf-8", errors="replace")
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if any(line.startswith("$") for line in lines):
        return ""  # RMonitor-looking records: the caller says which session it lacks
    if "," in lines[0] or ";" in lines[0]:
        return "is a CSV text file"
    return "is a text file with no RMonitor records"
