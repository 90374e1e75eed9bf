"""What the window says while a long session is being opened (read in a worker).

The session before is no longer the one on the board, and the one asked for is not open yet:
a number, a flag or a correction typed meanwhile is logged into neither, and kept where it was
typed, never silently dropped.
"""

from __future__ import annotations

APPLICATION = "timingboard"
WHY_HELD = "the session before is no longer shown and this one is not open yet"


def opening_line(name: str, replay: bool = False) -> str:
    """The title's, the header's and the Entry panel's word for a session being opened."""
    return f"Opening {name} for replay…" if replay else f"Opening {name}…"


def dropped_line(name: str, shown: str) -> str:
    """The status bar's word once an open is dropped for another session shown: its
    "Opening NAME…" no longer true (it stayed for good)."""
    return f"Not opening {name}: {shown} is shown."


def opening_title(line: str) -> str:
    """The window title while a session is opened: no file, no LIVE (it is neither yet)."""
    return f"{line} · {APPLICATION}"


def opening_refusal(line: str) -> str:
    """Why a number typed is not taken while a session is opened (kept in the field)."""
    return (
        f"{line} Not logged: {WHY_HELD}. What you typed stays in the field: press Enter again"
        " once it is open."
    )


def opening_flag_refusal(line: str, flag_name: str, key: str) -> str:
    """Why a flag key (or button) is not taken while a session is opened: the flag named,
    and its key to press again (the typed number's words, "press Enter again", misled)."""
    return f"{line} {flag_name} not shown: {WHY_HELD}. Press {key} again once it is open."


def opening_undo_refusal(name: str, redo: bool = False) -> str:
    """Why Ctrl+Z (``redo``: Ctrl+Shift+Z) does nothing while a session is opened: its undo
    list is the session before's, no longer shown (said in the status bar: short, to read whole
    at 1280 px). Redo said nothing at all."""
    verb = "redo" if redo else "undo"
    return (
        f"{verb.capitalize()} waits until {name} is open: "
        f"what it would {verb} is the session before's."
    )


OPENING_STATUS = (  # opening_refusal in the status bar's words (a long file name cut it)
    "Not logged: the session is still being opened. What you typed stays where it was: "
    "press Enter again once it is open."
)


def opening_flag_status(flag_name: str, key: str) -> str:
    """:func:`opening_flag_refusal` in the status bar's words (read whole at 1280 px)."""
    return (
        f"{flag_name} not shown: the session is still being opened."
        f" Press {key} again once it is open."
    )


ENTRY_OPENING_STATUS = (  # why the Entries list takes no car or change while a session is opened
    "Not added or changed: the session is still being opened. Make it again once it is open."
)


CORRECTION_OPENING_STATUS = (  # why a correction is not logged while a session is opened
    "Correction not logged: the session is still being opened. Make it again once it is open."
)


def correction_closed(title: str, shown: str) -> str:
    """Why a correction dialog closed by itself: another session was shown meanwhile, and what
    it worked out on the one before must not go into this one (it vanished unsaid)."""
    return f"{title}: closed, not logged, as {shown} is now shown. Make it again on this one."


def kept_after_open(car: str) -> str:
    """The Entry panel's word, the session open, for a number typed while it was opening."""
    return (
        f"The session is open. Car {car} was typed while it was opening and is not logged:"
        " press Enter to log it now, Esc to clear it."
    )


def dropped_after_open(car: str) -> str:
    """The Entry panel's word, after what the session opened says of itself (a replay, a
    read-only session: it takes no number), for a number typed while it was opening: let go,
    and said (the panel said "press Enter to log it now", and Enter did nothing)."""
    return f"Car {car}, typed while it was opening, is not logged."


def offered_elsewhere(what: str, offered: str, shown: str) -> str:
    """Why a correction asked from a menu left open is not opened: the menu was offered on
    another session than the one shown now (its passing or car there is not this one's)."""
    return (
        f"{what}: not opened, as that menu was for {offered} and {shown} is now shown."
        " Right-click it again on this one."
    )
