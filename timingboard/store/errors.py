"""The one error a user sees for a file that cannot be used or written: a sentence, no traceback."""

from __future__ import annotations

import os
from pathlib import Path


class SessionFileError(Exception):
    """A file that cannot be used as a session, or written; the message says why, for the user."""


def missing(path: Path) -> str:
    """Why ``path`` cannot be read because it is not there: a link whose target is gone says
    which target (the link itself is there: "heat.tbs does not exist" read as nonsense beside
    the file listed in its folder)."""
    if path.is_symlink():
        try:
            target = os.readlink(path)
        except OSError:
            target = "a file"
        return f"{path} is a link to {target}, which does not exist"
    return f"{path} does not exist"


def no_folder(folder: Path) -> str:
    """Why a new file cannot go into ``folder``, or "" when it can: one that is not there is
    said so, a file in its place is not a folder ("ev is not a folder; make it first" was said
    of a folder that did not exist, and read as if ``ev`` were something else)."""
    if folder.is_dir():
        return ""
    if not folder.exists():
        return f"{folder} does not exist; make the folder first"
    return f"{folder} is not a folder; make it first"


def refuse_dangling(path: Path) -> None:
    """A new file is not made through a link whose target is gone: the link's name was said to
    exist already (an import), or the file was made quietly at the target (``new``)."""
    if path.is_symlink() and not path.exists():
        raise SessionFileError(missing(path))
