"""What a P3 command or the connect dialog is given: timing lines, an entry list.

Apart from ``p3_run`` (which opens the window) so that the window's Feed ▸ Connect to a P3
decoder reads them as the command does without importing it back.
"""

from __future__ import annotations

from pathlib import Path

from timingboard.engine.events import CompetitorSet
from timingboard.feeds.p3_session import TimingLine, parse_lines, read_entry_list
from timingboard.store.session_file import SessionFile


class P3InputError(ValueError):
    """A P3 command's argument or file that cannot be used; the message is for the user."""


def timing_lines(spec: str | None) -> dict[int, TimingLine]:
    try:
        return parse_lines(spec or "")
    except ValueError as exc:
        raise P3InputError(f"--lines: {exc}") from None


def entry_list(path: str | None) -> list[CompetitorSet]:
    """From a CSV (car,driver,transponder) or the competitors of a saved session."""
    if not path:
        return []
    source = Path(path)
    if source.suffix == ".tbs":
        from timingboard.engine.engine import TimingEngine

        file = SessionFile.open(source, read_only=True)
        try:
            engine = TimingEngine.from_log(file.settings, file.entries())
        finally:
            file.close()
        return list(engine.entry_list().values())
    try:
        text = source.read_text(encoding="utf-8")
    except OSError as exc:
        raise P3InputError(f"cannot read the entry list {source}: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise P3InputError(f"{source} is not a text (CSV) entry list") from None
    try:
        return read_entry_list(text)
    except ValueError as exc:
        raise P3InputError(f"{source}: {exc}") from None
