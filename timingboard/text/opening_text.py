"""What the window says while a long session is being opened (read in a worker).

The session before is no longer the one on the board, and the one asked for is not open yet:
a number, a flag or a correction typed meanwhile is logged into neither, and kept where it was
typed, never silently dropped.
"""

from __future__ import annotations

APPLICATION = "timingboard"


def opening_line(name: str, replay: bool = False) -> str:
    """The title's, the header's and the Entry panel's word for a session being opened."""
    return f"Opening {name} for replay…" if replay else f"Opening {name}…"


def opening_title(line: str) -> str:
    """The window title while a session is opened: no file, no LIVE (it is neither yet)."""
    return f"{line} · {APPLICATION}"


def opening_refusal(line: str) -> str:
    """Why a number, a flag or a correction is not taken while a session is opened."""
    return (
        f"{line} Not logged: the session before is no longer shown and this one is not open"
        " yet. What you typed stays in the field: press Enter again once it is open."
    )


OPENING_STATUS = (  # opening_refusal in the status bar's words (a long file name cut it)
    "Not logged: the session is still being opened. What you typed stays where it was: "
    "press Enter again once it is open."
)


def kept_after_open(car: str) -> str:
    """The Entry panel's word, the session open, for a number typed while it was opening."""
    return (
        f"The session is open. Car {car} was typed while it was opening and is not logged:"
        " press Enter to log it now, Esc to clear it."
    )
