"""What the desk says when a file it is asked to write is refused.

The rule is the store's (timingboard.store.atomic.unsafe_output, shared with the commands);
the commands word a refusal for a shell (``-o``, "this command reads"), the desk for the
operator at a file dialog: the file named, why it is kept, what to do.
"""

from __future__ import annotations

from pathlib import Path

from timingboard.store.atomic import UnsafeOutput

TYPE_ANOTHER = "Type another file name."


def refusal_text(refusal: UnsafeOutput) -> str:
    """A refused output in the desk's words."""
    path = refusal.path
    name = _named(path)
    if refusal.reason == UnsafeOutput.FOLDER:
        return f"{path} is a folder. Type a file name in it."
    if refusal.reason == UnsafeOutput.READ:
        what = "the session open on this board" if _is_session(refusal.owner) else "being read"
        return f"{name} is {what}: it is never written over. {TYPE_ANOTHER}"
    if refusal.reason == UnsafeOutput.EVENT:
        return (
            f"{name} is the event's record of its sessions and what each was made from: it is "
            f"never written over. {TYPE_ANOTHER}"
        )
    if refusal.reason == UnsafeOutput.SIDE and refusal.owner is not None:
        return (
            f"{name} belongs to the session {refusal.owner.name}: it is never written "
            f"over. {TYPE_ANOTHER}"
        )
    return f"{name} is a session file: a session is never written over. {TYPE_ANOTHER}"


def _named(path: Path) -> str:
    """The file's name; a symlink's with the file it leads to, which is what would be written."""
    if not path.is_symlink():
        return path.name
    return f"{path.name} (a link to {path.resolve().name})"


def exists_text(path: Path, what: str) -> str:
    """A name taken, for what is never written over an existing file (``what``: a copy)."""
    return f"{path.name} already exists: {what} is never saved over a file. {TYPE_ANOTHER}"


def _is_session(path: Path | None) -> bool:
    return path is not None and path.suffix.lower() == ".tbs"


def home_refused(event_folder: Path) -> str:
    """A new session saved straight in the home folder: it is no event (its Event view would
    be the whole home folder's), so the session's own folder is offered instead."""
    return (
        "Your home folder is not an event folder: a new session goes in its event's folder, "
        f"with the event's other sessions. Save it in {event_folder} or another folder of its own."
    )
