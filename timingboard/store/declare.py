"""Declaring a session's results official: an audited event in its log (who and when)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from timingboard.engine.events import ResultsDeclared
from timingboard.store.recorder import SessionRecorder


def declaration(by: str, reason: str = "") -> ResultsDeclared:
    """The event, signed with the wall-clock time now."""
    return ResultsDeclared(
        operator=by.strip(), at=datetime.now(UTC).isoformat(timespec="seconds"), reason=reason
    )


def declare_official(path: str | Path, by: str, reason: str = "") -> ResultsDeclared:
    """Log the declaration in the session file; InvalidEvent if it cannot be (no name, or the
    results are official already), and then the file is left as it was."""
    recorder = SessionRecorder.open(path)
    try:
        event = declaration(by, reason)
        recorder.submit([event])
    finally:
        recorder.close()
    return event
