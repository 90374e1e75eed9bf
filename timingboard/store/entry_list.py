"""The entry list: the cars registered for an event, read from and written to CSV.

Registration systems export CSV in many shapes, so columns are known by their header (any
order, several spellings), the text may be UTF-8 (with or without a BOM) or Windows-1252, and
the separator a comma or a semicolon. A row that cannot be an entry is listed with the reason;
nothing is loaded from a file until the caller has chosen to take all its good rows or none.

Every entry is a :class:`CompetitorSet` keyed by its car number, the same event that manual
entry and the feeds submit, so an entry list reaches the board like any other event.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TextIO

from timingboard.engine.events import CompetitorSet
from timingboard.store.class_colours import next_colour
from timingboard.store.file_kind import sqlite_kind

MAX_NUMBER_LENGTH = 8
MAX_GRID = 999


class Column(StrEnum):
    """What a CSV column holds."""

    NUMBER = "number"
    FIRST = "first"
    LAST = "last"
    DRIVER = "driver"
    TEAM = "team"
    MAKE = "make"
    CLASS = "class"
    TRANSPONDERS = "transponders"
    GRID = "grid"
    IGNORE = "ignore"


# Header spellings, compared lower-case with spaces, dots, dashes and underscores removed.
HEADER_NAMES: dict[str, Column] = {
    **dict.fromkeys(
        ("number", "num", "no", "nr", "#", "car", "carno", "carnumber", "carnum", "car#",
         "startnr", "no#", "startnumber", "startnummer", "racenumber", "bib", "kart",
         "kartnumber", "nummer", "numero"), Column.NUMBER),
    **dict.fromkeys(
        ("first", "firstname", "givenname", "forename", "driverfirstname", "vorname", "prenom"),
        Column.FIRST),
    **dict.fromkeys(
        ("last", "lastname", "surname", "familyname", "driverlastname", "nachname", "nom"),
        Column.LAST),
    **dict.fromkeys(("driver", "name", "drivername", "driver1", "fahrer", "pilote"), Column.DRIVER),
    **dict.fromkeys(("team", "teamname", "entrant", "club", "sponsor"), Column.TEAM),
    **dict.fromkeys(
        ("make", "vehicle", "manufacturer", "carmake", "brand", "chassis", "marke"), Column.MAKE),
    **dict.fromkeys(("class", "carclass", "category", "division", "klasse", "classe"),
                    Column.CLASS),
    **dict.fromkeys(
        ("transponder", "transponders", "transponder(s)", "tx", "chip", "transponderid",
         "transpondernumber", "transponderno", "decoderid", "transponder1"), Column.TRANSPONDERS),
    **dict.fromkeys(
        ("grid", "gridslot", "gridposition", "startingposition", "startpos", "start", "pos",
         "position", "startplatz"), Column.GRID),
}  # fmt: skip

EXPORT_HEADER = ("Number", "First name", "Last name", "Team", "Make", "Class", "Transponders",
                 "Grid")  # fmt: skip


class EntryListError(Exception):
    """A file that cannot be read as an entry list at all; the message is for the user."""


def header_key(text: str) -> str:
    """A header as compared: ``Car No.`` → ``carno``."""
    return re.sub(r"[\s._\-]+", "", text.strip().lower())


@dataclass(frozen=True, slots=True)
class CarClass:
    """A class run on the track: its name, its colour on the board and its place in lists."""

    name: str
    colour: str
    order: int


@dataclass(frozen=True, slots=True)
class RowProblem:
    """A row that is not an entry: its line in the file, its number as written, and why."""

    line: int
    number: str
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}"


@dataclass(slots=True)
class EntryList:
    """Entries in number order, and the classes they run in."""

    entries: list[CompetitorSet] = field(default_factory=list)
    classes: list[CarClass] = field(default_factory=list)

    def by_number(self) -> dict[str, CompetitorSet]:
        return {entry.car: entry for entry in self.entries}

    def add_classes(self, names: Iterable[str]) -> list[CarClass]:
        """Create the classes not known yet (in the order named); returns those created."""
        known = {c.name.casefold() for c in self.classes}
        made: list[CarClass] = []
        for name in names:
            if name and name.casefold() not in known:
                known.add(name.casefold())
                colour = next_colour([c.colour for c in self.classes + made])
                made.append(CarClass(name, colour, len(self.classes) + len(made) + 1))
        self.classes.extend(made)
        return made


@dataclass(slots=True)
class CsvImport:
    """What a CSV holds: its good entries, its bad rows, and the columns it did not know."""

    entries: list[CompetitorSet]
    problems: list[RowProblem]
    columns: dict[int, Column]  # column index: what it holds (IGNORE for unknown ones)
    unknown_headers: list[str]
    class_names: list[str]  # in the order they first appear

    def summary(self) -> str:
        """One line: how many entries, how many bad rows and why."""
        text = plural(len(self.entries), "entry", "entries")
        if self.problems:
            reasons = "; ".join(str(p) for p in self.problems[:5])
            more = f"; {len(self.problems) - 5} more" if len(self.problems) > 5 else ""
            text += f", {plural(len(self.problems), 'bad row')} ({reasons}{more})"
        return text


def plural(count: int, one: str, many: str = "") -> str:
    return f"{count} {one if count == 1 else many or one + 's'}"


def decode_text(data: bytes) -> str:
    """UTF-8 (a BOM is dropped), else Windows-1252, which is what spreadsheets on Windows save.
    A session file (or another SQLite file) given as a list is said to be one."""
    kind = sqlite_kind(data[:100])
    if kind is not None:
        raise EntryListError(f"this is {kind}, not a CSV entry list")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise EntryListError("the file is neither UTF-8 nor Windows-1252 text") from None


def _delimiter(header_line: str) -> str:
    counts = {sep: header_line.count(sep) for sep in (",", ";", "\t")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] else ","


def read_header(data: bytes) -> list[str]:
    """The header row of a CSV, as written (for the mapping dialog)."""
    rows = _rows(decode_text(data))
    return next((row for _, row in rows), [])


def read_samples(data: bytes) -> dict[str, str]:
    """Each header with the value under it in the first row (to show what a column holds)."""
    rows = iter(_rows(decode_text(data)))
    header = next(rows, (0, []))[1]
    first = next(rows, (0, []))[1]
    return {name: first[i] if i < len(first) else "" for i, name in enumerate(header)}


def _rows(text: str) -> Iterable[tuple[int, list[str]]]:
    """Non-blank rows with their line numbers (1-based, as an editor shows them)."""
    if "\x00" in text:
        raise EntryListError("the file is not text (it holds NUL bytes)")
    first = next((line for line in text.splitlines() if line.strip()), "")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first))
    try:
        for row in reader:
            if any(cell.strip() for cell in row):
                yield reader.line_num, [cell.strip() for cell in row]
    except csv.Error as exc:
        raise EntryListError(f"line {reader.line_num}: {exc}") from None


def recognise(
    header: Sequence[str], mapping: Mapping[str, Column] | None = None
) -> dict[int, Column]:
    """What each column holds, from its header; ``mapping`` (header key: column) comes first."""
    chosen = {header_key(k): v for k, v in (mapping or {}).items()}
    columns: dict[int, Column] = {}
    for index, name in enumerate(header):
        key = header_key(name)
        column = chosen.get(key) or HEADER_NAMES.get(key) or Column.IGNORE
        if column is not Column.IGNORE and column in columns.values():
            column = Column.IGNORE  # a second "Name" column: the first one counts
        columns[index] = column
    return columns


def unknown_headers(
    header: Sequence[str], mapping: Mapping[str, Column] | None = None
) -> list[str]:
    """Headers neither recognised nor mapped (mapping one to IGNORE makes it known)."""
    chosen = {header_key(k) for k in (mapping or {})}
    return [
        name
        for name in header
        if name and header_key(name) not in HEADER_NAMES and header_key(name) not in chosen
    ]


def parse_csv(data: bytes, mapping: Mapping[str, Column] | None = None) -> CsvImport:
    """Read an entry list; raises :class:`EntryListError` if no row could ever be an entry."""
    rows = iter(_rows(decode_text(data)))
    first = next(rows, None)
    if first is None:
        raise EntryListError("the file is empty")
    header = first[1]
    columns = recognise(header, mapping)
    if Column.NUMBER not in columns.values():
        raise EntryListError(
            f"no car number column (headers: {', '.join(h for h in header if h) or 'none'}); "
            "name one Number, Car, No or #"
        )
    entries: list[CompetitorSet] = []
    problems: list[RowProblem] = []
    seen: dict[str, int] = {}
    grids: dict[int, str] = {}
    for line, row in rows:
        values = {column: row[i] if i < len(row) else "" for i, column in columns.items()}
        number = values.get(Column.NUMBER, "")
        reason = _row_problem(number, values, seen, grids)
        if reason:
            problems.append(RowProblem(line, number, reason))
            continue
        entry = entry_from(values)
        seen[number] = line
        if entry.grid is not None:
            grids[entry.grid] = number
        entries.append(entry)
    names = list(dict.fromkeys(e.car_class for e in entries if e.car_class))
    return CsvImport(entries, problems, columns, unknown_headers(header, mapping), names)


def _row_problem(
    number: str, values: Mapping[Column, str], seen: Mapping[str, int], grids: Mapping[int, str]
) -> str:
    if not number:
        return "empty number"
    if len(number) > MAX_NUMBER_LENGTH or not re.fullmatch(r"[0-9A-Za-z]+", number):
        return f"{number!r} is not a car number (letters and digits, at most {MAX_NUMBER_LENGTH})"
    if number in seen:
        return f"duplicate number {number} (first on line {seen[number]})"
    grid = values.get(Column.GRID, "")
    if grid:
        slot = parse_grid(grid)
        if slot is None:
            return f"grid {grid!r} is not a slot from 1 to {MAX_GRID}"
        if slot in grids:
            return f"grid slot {slot} is taken by {grids[slot]}"
    return ""


def parse_grid(text: str) -> int | None:
    """A grid slot as typed (``3``, ``P3``), or None."""
    match = re.fullmatch(r"[Pp]?\s*(\d{1,4})", text.strip())
    slot = int(match.group(1)) if match else 0
    return slot if 1 <= slot <= MAX_GRID else None


def split_transponders(text: str) -> tuple[str, ...]:
    """``1031 / 2031``, ``1031;2031``, ``1031 2031``: each transponder once, in order."""
    return tuple(dict.fromkeys(t for t in re.split(r"[\s,;/|+]+", text) if t))


def driver_name(first: str, last: str) -> str:
    return " ".join(part for part in (first.strip(), last.strip()) if part)


def entry_from(values: Mapping[Column, str]) -> CompetitorSet:
    number = values[Column.NUMBER]
    first, last = values.get(Column.FIRST, ""), values.get(Column.LAST, "")
    driver = values.get(Column.DRIVER, "") or driver_name(first, last)
    grid = values.get(Column.GRID, "")
    return CompetitorSet(
        key=number,
        car=number,
        driver=driver,
        team=values.get(Column.TEAM, ""),
        make=values.get(Column.MAKE, ""),
        car_class=values.get(Column.CLASS, ""),
        transponders=split_transponders(values.get(Column.TRANSPONDERS, "")),
        grid=parse_grid(grid) if grid else None,
        first_name_only=not values.get(Column.DRIVER, "") and first_name_only(first, last),
    )


def read_csv(path: str | Path, mapping: Mapping[str, Column] | None = None) -> CsvImport:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise EntryListError(f"cannot read {path}: {exc.strerror}") from None
    try:
        return parse_csv(data, mapping)
    except EntryListError as exc:
        raise EntryListError(f"{path}: {exc}") from None


def split_driver(driver: str, first_only: bool = False) -> tuple[str, str]:
    """``Justin Haley`` → (``Justin``, ``Haley``); a single name is the last name, unless it was
    typed as the first name alone (``first_only``: "Ty", the last name still to come)."""
    if first_only and " " not in driver.strip():
        return driver.strip(), ""
    first, _, last = driver.strip().rpartition(" ")
    return first, last


def first_name_only(first: str, last: str) -> bool:
    """Whether a name typed as ``first`` and ``last`` is a first name alone."""
    return bool(first.strip()) and not last.strip()


def number_order(number: str) -> tuple[int, int, str]:
    """Car numbers as a person sorts them: 2 before 10, 08 after 8, 31X after 31."""
    match = re.match(r"\d+", number)
    return (int(match.group()) if match else 1 << 30, len(number), number)


def in_number_order(entries: Iterable[CompetitorSet]) -> list[CompetitorSet]:
    return sorted(entries, key=lambda e: number_order(e.car))


def write_csv(entries: Iterable[CompetitorSet], out: TextIO) -> None:
    """The entries as CSV (UTF-8, comma), in number order, readable back by :func:`parse_csv`."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(EXPORT_HEADER)
    for entry in in_number_order(entries):
        first, last = split_driver(entry.driver, entry.first_name_only)
        writer.writerow(
            [entry.car, first, last, entry.team, entry.make, entry.car_class,
             " ".join(entry.transponders), "" if entry.grid is None else entry.grid]
        )  # fmt: skip


FIELDS_OF: dict[Column, tuple[str, ...]] = {
    Column.FIRST: ("driver",),
    Column.LAST: ("driver",),
    Column.DRIVER: ("driver",),
    Column.TEAM: ("team",),
    Column.MAKE: ("make",),
    Column.CLASS: ("car_class",),
    Column.TRANSPONDERS: ("transponders",),
    Column.GRID: ("grid",),
}


def changes(
    current: Mapping[str, CompetitorSet],
    incoming: Iterable[CompetitorSet],
    present: Iterable[Column] | None = None,
) -> list[CompetitorSet]:
    """The events that bring ``current`` (by key) to ``incoming``: new and changed entries only.

    An entry already registered under another key (a feed's registration) keeps its key; with
    ``present`` (the columns a CSV has), what the CSV does not hold is kept as it was.
    """
    by_car = {c.car: c for c in current.values()}
    given = None if present is None else {f for c in present for f in FIELDS_OF.get(c, ())}
    events = []
    for entry in incoming:
        old = current.get(entry.key) or by_car.get(entry.car)
        if old is not None:
            kept = {} if given is None else {
                name: getattr(old, name) for names in FIELDS_OF.values() for name in names
                if name not in given
            }  # fmt: skip
            entry = dataclasses.replace(entry, key=old.key, **kept)
        if old != entry:
            events.append(entry)
    return events
