"""An entry (a registered car) as the entry list editor shows it, and a cell typed anew.

The columns split the driver's name into first and last as a race secretary types them; an
edit's summary names the fields it changed, for the audit log.
"""

from __future__ import annotations

import dataclasses
from enum import IntEnum

from timingboard.engine.events import CompetitorSet
from timingboard.store.entry_list import (
    driver_name,
    first_name_only,
    parse_grid,
    split_driver,
    split_transponders,
)


class EntryColumn(IntEnum):
    NUMBER = 0
    FIRST = 1
    LAST = 2
    TEAM = 3
    MAKE = 4
    CLASS = 5
    TRANSPONDERS = 6
    GRID = 7


ENTRY_HEADERS = {
    EntryColumn.NUMBER: "No",
    EntryColumn.FIRST: "First name",
    EntryColumn.LAST: "Last name",
    EntryColumn.TEAM: "Team",
    EntryColumn.MAKE: "Make",
    EntryColumn.CLASS: "Class",
    EntryColumn.TRANSPONDERS: "Transponders",
    EntryColumn.GRID: "Grid",
}


def cell_text(entry: CompetitorSet, column: EntryColumn) -> str:
    first, last = split_driver(entry.driver, entry.first_name_only)
    match column:
        case EntryColumn.NUMBER:
            return entry.car
        case EntryColumn.FIRST:
            return first
        case EntryColumn.LAST:
            return last
        case EntryColumn.TEAM:
            return entry.team
        case EntryColumn.MAKE:
            return entry.make
        case EntryColumn.CLASS:
            return entry.car_class
        case EntryColumn.TRANSPONDERS:
            return " ".join(entry.transponders)
        case EntryColumn.GRID:
            return "" if entry.grid is None else str(entry.grid)


def named(entry: CompetitorSet, first: str, last: str) -> CompetitorSet:
    """The entry with its driver typed as first and last name: a first name typed alone stays
    the first name (a single name is otherwise read as the last)."""
    return dataclasses.replace(
        entry, driver=driver_name(first, last), first_name_only=first_name_only(first, last)
    )


def edited(entry: CompetitorSet, column: EntryColumn, text: str) -> CompetitorSet | str:
    """The entry with one cell typed anew, or why the text cannot go there."""
    text = text.strip()
    first, last = split_driver(entry.driver, entry.first_name_only)
    match column:
        case EntryColumn.NUMBER:
            return dataclasses.replace(entry, car=text)
        case EntryColumn.FIRST:
            return named(entry, text, last)
        case EntryColumn.LAST:
            return named(entry, first, text)
        case EntryColumn.TEAM:
            return dataclasses.replace(entry, team=text)
        case EntryColumn.MAKE:
            return dataclasses.replace(entry, make=text)
        case EntryColumn.CLASS:
            return dataclasses.replace(entry, car_class=text)
        case EntryColumn.TRANSPONDERS:
            return dataclasses.replace(entry, transponders=split_transponders(text))
        case EntryColumn.GRID:
            if not text:
                return dataclasses.replace(entry, grid=None)
            slot = parse_grid(text)
            if slot is None:
                return f"{text!r} is not a grid slot (1 to 999)."
            return dataclasses.replace(entry, grid=slot)


FIELDS = {
    "car": "number",
    "driver": "driver",
    "team": "team",
    "make": "make",
    "car_class": "class",
    "transponders": "transponders",
    "grid": "grid",
}


def what_changed(before: CompetitorSet, after: CompetitorSet) -> str:
    """The fields an edit changes, in words: "number 31 → 3, driver"."""
    words = []
    for name, word in FIELDS.items():
        old, new = getattr(before, name), getattr(after, name)
        if old != new:
            words.append(f"number {old} → {new}" if name == "car" else word)
    return ", ".join(words) or "nothing"
