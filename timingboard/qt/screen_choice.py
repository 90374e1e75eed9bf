"""Which screen the wall scoreboard goes to: pure rules, the screens named by the caller."""

from __future__ import annotations


def choose_screen(screens: list[str], remembered: str, desk: str) -> int:
    """The index of the screen for the scoreboard.

    The one chosen last time if it is still there; else the first that is not the desk's (the
    wall, not the operator's screen); else the desk's own (a single screen).
    """
    if not screens:
        raise ValueError("no screen to show the scoreboard on")
    if remembered in screens:
        return screens.index(remembered)
    for index, name in enumerate(screens):
        if name != desk:
            return index
    return 0


def screen_label(index: int, name: str, width: int, height: int, desk: bool) -> str:
    """How a screen reads in the menu: "Screen 2: HDMI-1 (1920 x 1080)", marked if the desk's."""
    mark = " — the desk's" if desk else ""
    return f"Screen {index + 1}: {name or 'unnamed'} ({width} x {height}){mark}"


def desk_screen(screens: list[str], primary: str, wall: str, window_on: str = "") -> int:
    """The index of the desk's screen, for what opens before the window (the start chooser).

    The screen the window was last closed on (``window_on``), if it is still there and is not
    the wall's; else the primary screen unless the wall scoreboard goes there; else the first
    that is not the wall's; else the first (a single screen is the desk's and the wall's).
    """
    if not screens:
        raise ValueError("no screen to open on")
    for name in (window_on, primary):
        if name in screens and (name != wall or len(screens) == 1):
            return screens.index(name)
    for index, name in enumerate(screens):
        if name != wall:
            return index
    return 0
