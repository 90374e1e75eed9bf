"""The one rule for a class's colour, wherever a class is painted (board, scoreboard, chart, lists).

A class the event lists (``event.json``, edited in Classes…) has the colour given there; a class
it does not list takes the next free colour of :data:`PALETTE`, in the order the session's
classes first appear. Names match whatever their case ("GT3" is "gt3"). Text on a class colour
is dark on a light colour and white on a dark one, so any colour chosen stays readable.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol

# light enough for dark text, apart on the dark board and on paper
PALETTE = ("#80cbc4", "#ffcc80", "#b39ddb", "#a5d6a7", "#f48fb1", "#90caf9", "#e6ee9c")
DARK_TEXT = "#111111"
LIGHT_TEXT = "#ffffff"


class NamedColour(Protocol):
    @property
    def name(self) -> str: ...
    @property
    def colour(self) -> str: ...


def next_colour(used: Sequence[str]) -> str:
    """The colour of a class after classes of colours ``used``: the palette's first free one
    (round the palette again once every colour is taken)."""
    taken = {colour.casefold() for colour in used}
    free = [colour for colour in PALETTE if colour not in taken]
    return free[0] if free else PALETTE[len(used) % len(PALETTE)]


def class_colours(listed: Sequence[NamedColour], names: Iterable[str]) -> dict[str, str]:
    """Each class name's colour (by its name folded to lower case): the event's, else the
    next colour (:func:`next_colour`) for each class it does not list, in the order of ``names``.
    """
    colours = {c.name.casefold(): c.colour for c in listed}
    for name in names:
        folded = name.casefold()
        if folded and folded not in colours:
            colours[folded] = next_colour(list(colours.values()))
    return colours


def text_on(colour: str) -> str:
    """The text colour that reads on ``colour`` (#rrggbb): by its relative luminance."""
    try:
        r, g, b = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    except (ValueError, IndexError):
        return DARK_TEXT
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return DARK_TEXT if luminance > 0.45 else LIGHT_TEXT
