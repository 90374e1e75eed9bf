"""The one error a user sees for a file that cannot be used or written: a sentence, no traceback."""

from __future__ import annotations


class SessionFileError(Exception):
    """A file that cannot be used as a session, or written; the message says why, for the user."""
