"""What each cell of the leaderboard says, and its tooltip: formatting only, no race logic."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from timingboard.engine.engine import UNKNOWN_DRIVER
from timingboard.engine.formatting import format_gap, format_lap, format_speed, status_words
from timingboard.engine.standings import (
    PERSONAL_BEST,
    SESSION_BEST,
    CarStatus,
    Standing,
    best_lap_mark,
    last_lap_mark,
)
from timingboard.text.board_columns import SECTOR_OF, Column
from timingboard.text.typed_passing import MAX_CAR_NUMBER

ELLIPSIS = "…"
# Why right-click ▸ Assign this transponder to a car cannot be used on a row: (in the menu, tip)
ASSIGN_NOT_UNKNOWN = (
    "not an unknown transponder",
    "Only on an unknown transponder's row: a car the P3 decoder reads that is not on the"
    " entry list (shown by its transponder number)",
)
ASSIGN_NO_ENTRIES = (
    "no entered car to give it to",
    "No car is on the entry list to give this transponder to: add the car on the Entries"
    " tab (type its number in Add car #), then right-click this row again",
)
CLASS_BEST_MARK = " ◆"  # after the class of the car that holds the best lap in it
# A car the timing system knows only by its transponder: RMonitor sends "Tx4667026" where it
# has no car number (longer than any car number: those are 8 characters at most)
_TRANSPONDER_CAR = re.compile(r"Tx(\d+)")
TRANSPONDER_CAR = "Tx"  # its Car cell: as narrow as a car number; the Driver cell says which
TRANSPONDER_NAMED = " (transponder)"  # after the number in its Driver cell


def transponder_of(car: str) -> str | None:
    """The transponder of a car shown by it ("Tx4667026": "4667026"), None for a car number."""
    found = _TRANSPONDER_CAR.fullmatch(car)
    return found.group(1) if found is not None and len(car) > MAX_CAR_NUMBER else None


def car_text(car: str) -> str:
    """The Car cell: the car number whole (never cut: a cut number is another car's). A car
    known only by its transponder reads "Tx", so the column stays as narrow as the real cars'
    numbers (a "Tx4667026" made it 100 px wide, and cut every driver's name); its transponder
    is in its Driver cell (it has no driver yet) and, whole, in the Car cell's tooltip."""
    return car if transponder_of(car) is None else TRANSPONDER_CAR


def transponder_named(car: str) -> str:
    """Which transponder a car known only by it is ("4667026 (transponder)"), the number first:
    a cell too narrow for the words still shows it; "" for a car number."""
    transponder = transponder_of(car)
    return "" if transponder is None else f"{transponder}{TRANSPONDER_NAMED}"


def driver_text(row: Standing) -> str:
    """The Driver cell: the driver; for a car known only by its transponder and with no driver
    named, which transponder it is (its Car cell only reads "Tx")."""
    named = transponder_named(row.car)
    if named and not (row.known and row.driver):
        return named
    return row.driver if row.known else UNKNOWN_DRIVER


def car_tooltip(car: str) -> str | None:
    """The whole transponder of a car the Car cell shows short; None for a car number."""
    transponder = transponder_of(car)
    if transponder is None:
        return None
    return f"{car}: transponder {transponder}, no car number known for it"


def display_text(row: Standing, column: Column) -> str:
    """The text of one cell."""
    match column:
        case Column.POSITION:  # a car that never started has no place, as on the sheet
            return "" if row.status is CarStatus.DNS else str(row.position)
        case Column.CAR:
            return car_text(row.car)
        case Column.DRIVER:
            return driver_text(row)
        case Column.TEAM:
            return row.team
        case Column.MAKE:
            return row.make
        case Column.LAPS:
            return f"{row.laps}*" if row.unseen_laps else str(row.laps)
        case Column.LAST_LAP:
            return format_lap(row.last_lap_ms)
        case Column.BEST_LAP:
            return format_lap(row.best_lap_ms)
        case Column.GAP:
            return format_gap(row.gap)
        case Column.INTERVAL:
            return format_gap(row.interval)
        case Column.SPEED:
            return format_speed(row.last_speed)
        case Column.LAPS_LED:
            return str(row.laps_led) if row.laps_led else ""
        case Column.GAINED:
            return _gained_text(row.gained)
        case Column.STATUS:
            return _status_text(row)
        case Column.OFFICIAL:
            return ""
        case Column.CLASS_POSITION:
            return str(row.class_position) if row.class_position else ""
        case Column.CLASS_GAP:
            return format_gap(row.class_gap) if row.class_position else ""
        case Column.PITS:
            return str(row.pit_stops) if row.pit_stops else ""
        case Column.LAST_PIT_LAP:
            return str(row.last_pit_lap) if row.last_pit_lap else ""
        case Column.PIT_TIME:
            return _pit_time_text(row)
        case Column.CLASS:
            return row.car_class + CLASS_BEST_MARK if row.holds_class_best else row.car_class
        case Column.S1 | Column.S2 | Column.S3:
            index = SECTOR_OF[column]
            return format_lap(row.sectors[index]) if index < len(row.sectors) else ""
    return ""


def time_mark(row: Standing, column: Column) -> str:
    """What a time cell is marked as: :data:`SESSION_BEST` (purple), :data:`PERSONAL_BEST`
    (green) or "". The laps' rule is the engine's (``last_lap_mark``, ``best_lap_mark``: a lap
    as fast as the car's best is green, purple only for the session best's holder, the first
    to set it); sectors carry their own marks."""
    if column == Column.BEST_LAP:
        return best_lap_mark(row)
    if column == Column.LAST_LAP:
        return last_lap_mark(row)
    if column in SECTOR_OF and SECTOR_OF[column] < len(row.sector_marks):
        mark = row.sector_marks[SECTOR_OF[column]]
        return {"session": SESSION_BEST, "personal": PERSONAL_BEST}.get(mark, "")
    return ""


def _pit_time_text(row: Standing) -> str:
    if row.in_pit:
        return "in pit"
    return format_lap(row.last_pit_ms) if row.last_pit_ms is not None else ""


def _gained_text(gained: int | None) -> str:
    if not gained:
        return ""
    return f"▲{gained}" if gained > 0 else f"▼{-gained}"


def _status_text(row: Standing) -> str:
    return status_words(row)


def tooltip_text(row: Standing, column: Column) -> str | None:
    if column == Column.BEST_LAP and row.best_lap_ms is not None:
        mark = " (session best)" if row.holds_session_best else ""
        return f"Lap {row.best_lap_number}, {format_speed(row.best_speed)}{mark}"
    if column == Column.LAST_LAP and row.last_lap_personal_best:
        return "Session best" if time_mark(row, column) == SESSION_BEST else "Personal best"
    if column == Column.CAR and (whole := car_tooltip(row.car)) is not None:
        return whole if row.known else f"{whole}. Passing for a car that is not registered"
    if column in (Column.CAR, Column.DRIVER) and not row.known:
        return "Passing for a car that is not registered"
    if column == Column.DRIVER and row.driver:
        return " · ".join(t for t in (row.driver, row.team, row.make) if t)
    if column == Column.LAPS and row.unseen_laps:
        return "Counted by the timing system, not seen here: " + unseen_text(row.unseen_laps)
    if column == Column.CLASS and row.holds_class_best:
        return f"Best lap in {row.car_class}"
    if column == Column.STATUS and row.in_pit:
        return "In the pit lane"
    return None


def unseen_text(ranges: tuple[tuple[int, int], ...]) -> str:
    """``laps 1 to 52, 60`` from the ranges of laps the board did not see."""
    parts = [str(a) if a == b else f"{a} to {b}" for a, b in ranges]
    return ("lap " if parts == [str(ranges[0][0])] else "laps ") + ", ".join(parts)


# Words that mark a team, a car or a club rather than a person: such a name is never turned
# into initials ("North Loop Motorsport" is not "N. L. Motorsport" nor "MOTORSPORT").
_NOT_A_PERSON_WORDS = frozenset(
    [
        "racing",
        "motorsport",
        "motorsports",
        "motor",
        "motors",
        "team",
        "autosport",
        "autosports",
        "associates",
        "engineering",
        "competition",
        "competitions",
        "performance",
        "sport",
        "sports",
        "works",
        "garage",
        "club",
        "inc",
        "inc.",
        "llc",
        "ltd",
        "ltd.",
        "gmbh",
        "srl",
        # the board's own labels for a car not on the entry list ("unknown car", never "u. car")
        "car",
        "unknown",
        "transponder",
    ]
)
_PERSON_WORD = re.compile(r"(?:[^\W\d_]+['\u2019.\-]?)+")  # letters, with O'Neil, Jr., Jean-Éric


def is_person_name(full: str) -> bool:
    """Whether ``full`` reads as one person's name (two to four words of letters), so that
    it may shorten to initials and a surname. A feed often sends a team and a car in the
    name fields ("Flatout Racing 2009 Mazda Miata (silver)", "van Oord / Neiman"): those
    keep their words and shorten only at the end. Nor is a name all in lower case a person's
    (a label, as the board's "unknown car" for a car not entered)."""
    words = full.split()
    return (
        2 <= len(words) <= 4
        and all(_PERSON_WORD.fullmatch(w) for w in words)
        and not any(w.lower() in _NOT_A_PERSON_WORDS for w in words)
        and not full.islower()
    )


_SUFFIXES = frozenset(["jr", "jr.", "sr", "sr.", "ii", "iii", "iv"])  # kept with the surname


def _given_and_surname(words: list[str]) -> tuple[list[str], str]:
    """("Ricky", "Stenhouse Jr.") of "Ricky Stenhouse Jr.": a suffix stays with the surname."""
    last = len(words) - 1
    if last > 1 and words[last].lower() in _SUFFIXES:
        last -= 1
    return words[:last], " ".join(words[last:])


def name_forms(full: str) -> list[str]:
    """A driver's name from longest to shortest: "Justin Haley", "J. Haley", "HALEY", "HAL".

    A name that is not a person's keeps its first words whole, cut after a word
    ("Flatout Racing 2009…", "Flatout Racing…", "Flatout…"). The board shows the longest form
    that fits its cell; the full name is in the tooltip.
    """
    words = full.split()
    if full.endswith(TRANSPONDER_NAMED) and words[0].isdigit():  # a car known by its transponder
        return [full, words[0]]  # the number whole, never "4667…" (nor cut to "466")
    if len(words) < 2:
        forms = [full, full.upper(), full.upper()[:3]] if full else [full]
    elif is_person_name(full):
        given, surname = _given_and_surname(words)
        initials = " ".join(f"{w[0]}." for w in given)
        forms = [full, f"{initials} {surname}", surname.upper(), surname.upper()[:3]]
    else:
        cuts = [n for n in range(len(words) - 1, 0, -1) if any(c.isalnum() for c in words[n - 1])]
        forms = [full] + [" ".join(words[:n]) + ELLIPSIS for n in cuts]
    return list(dict.fromkeys(forms))  # in order, without repeats


def button_name(driver: str) -> str:
    """The name under a car's number on a hand-scoring button: a person's surname
    ("Haley", "Stenhouse Jr."), else a team's or car's first word."""
    words = driver.split()
    if not words:
        return ""
    if is_person_name(driver):
        return _given_and_surname(words)[1]
    return words[0] if len(words) == 1 else words[0] + ELLIPSIS


def button_names(drivers: list[str]) -> list[str]:
    """:func:`button_name` of each, but where two differing names cut to their first word come
    out alike, the whole name (a 24-hour field's "Driver 7", "Driver 8" all read "Driver…":
    nothing told them apart). Surnames alike stay (two Dillons: a person's surname is read)."""
    short = [button_name(d) for d in drivers]
    wholes: dict[str, set[str]] = {}
    for name, driver in zip(short, drivers, strict=True):
        wholes.setdefault(name, set()).add(driver)
    return [
        driver if name.endswith(ELLIPSIS) and len(wholes[name]) > 1 else name
        for name, driver in zip(short, drivers, strict=True)
    ]


def readable_forms(full: str) -> list[str]:
    """The forms of a name that a board read across a room still shows: a person's whole
    surname ("J. Haley", "HALEY"; not "HAL"); a team's or car's first two words."""
    forms = name_forms(full)
    if len(full.split()) >= 2 and not is_person_name(full):
        return forms[: max(1, len(forms) - 1)]
    return forms[:-1] if len(forms) > 2 else forms


def short_class(name: str) -> str:
    """A class as the wall scoreboard shows it, five characters at most.

    "GT4" stays; "GT3 Pro-Am" is "GT3PA" (a short first word kept, initials after it);
    "Pro Am" is "ProA"; a single long word is cut to four ("Touring" -> "Tour").
    """
    words = [w for w in name.replace("-", " ").replace("_", " ").split() if w]
    if len(name) <= 5 or not words:
        return name
    if len(words) == 1:
        return name[:4]
    first, rest = words[0], words[1:]
    initials = "".join(w[0] for w in rest).upper()
    if len(first) <= 3 or any(c.isdigit() for c in first):
        return (first + initials)[:5]
    return (first[0] + initials).upper()[:5]


def short_class_cell(text: str) -> str:
    """The class cell as the wall scoreboard shows it: the short class, its best-lap mark kept."""
    best = text.endswith(CLASS_BEST_MARK)
    return short_class(text.removesuffix(CLASS_BEST_MARK)) + (CLASS_BEST_MARK if best else "")


WALL_SHORT_TITLES = {Column.CLASS: "Cl", Column.STATUS: "St"}  # where names need the room
_WALL_STATUS = {"Finished": "Fin"}  # PIT, DNF, DSQ and the penalties are short already


def wall_status(text: str, short: bool) -> str:
    """The status cell on the wall: "Fin" for "Finished" where names need the room."""
    if not short:
        return text
    first, _, rest = text.partition(" ")
    return " ".join(w for w in (_WALL_STATUS.get(first, first), rest) if w)


def wall_class_cell(text: str, short: bool) -> str:
    """The class cell on the wall (:func:`short_class_cell`); its mark closed up to it
    ("GTU◆") where names need the room."""
    cell = short_class_cell(text)
    return cell.replace(CLASS_BEST_MARK, CLASS_BEST_MARK.strip()) if short else cell


def shared_forms(names: Iterable[str]) -> set[str]:
    """The shortened forms that more than one of these (different) names has: "FPRS…" of
    "FPRS Motorsports" and "FPRS Racing". A board that showed one would read two cars alike."""
    seen: dict[str, str] = {}
    shared: set[str] = set()
    for name in set(names):
        for form in name_forms(name):
            if form == name:
                continue
            if seen.setdefault(form, name) != name:
                shared.add(form)
    return shared | (set(seen) & set(names))  # nor a form that is another car's whole name


def distinct_forms(full: str, shared: set[str]) -> list[str]:
    """:func:`name_forms` without those another name has too (see :func:`shared_forms`):
    two cars never read the same cut name when their names differ."""
    return [form for form in name_forms(full) if form == full or form not in shared]


def fitting_form(forms: list[str], width: int, advance: Callable[[str], int]) -> str:
    """The longest of ``forms`` (longest first) whose ``advance`` (its width in the cell's
    font) fits ``width``, else the shortest."""
    for form in forms:
        if advance(form) <= width:
            return form
    return forms[-1]
