"""Persistence: the session file and the recorder that keeps it and the engine in step."""

from timingboard.store.recorder import SessionRecorder
from timingboard.store.session_file import SessionFile, SessionFileError

__all__ = ["SessionFile", "SessionFileError", "SessionRecorder"]
