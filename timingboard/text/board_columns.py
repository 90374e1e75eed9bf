"""The leaderboard's columns, their headers and tips, and which row fields each column shows."""

from __future__ import annotations

from collections.abc import Sequence
from enum import IntEnum


class Column(IntEnum):
    POSITION = 0
    CAR = 1
    DRIVER = 2
    TEAM = 3
    MAKE = 4
    CLASS = 5
    LAPS = 6
    LAST_LAP = 7
    BEST_LAP = 8
    GAP = 9
    INTERVAL = 10
    SPEED = 11
    LAPS_LED = 12
    GAINED = 13
    STATUS = 14
    OFFICIAL = 15
    CLASS_POSITION = 16
    CLASS_GAP = 17
    PITS = 18
    LAST_PIT_LAP = 19
    PIT_TIME = 20
    S1 = 21
    S2 = 22
    S3 = 23


HEADERS: dict[Column, str] = {
    Column.POSITION: "Pos",
    Column.CAR: "Car",
    Column.DRIVER: "Driver",
    Column.TEAM: "Team",
    Column.MAKE: "Make",
    Column.CLASS: "Class",
    Column.LAPS: "Laps",
    Column.LAST_LAP: "Last lap",
    Column.BEST_LAP: "Best lap",
    Column.GAP: "Gap",
    Column.INTERVAL: "Int.",
    Column.SPEED: "Speed",
    Column.LAPS_LED: "Led",
    Column.GAINED: "+/-",
    Column.STATUS: "Status",
    Column.OFFICIAL: "TS",
    Column.CLASS_POSITION: "PIC",
    Column.CLASS_GAP: "Class gap",
    Column.PITS: "Pits",
    Column.LAST_PIT_LAP: "Pit lap",
    Column.PIT_TIME: "Pit time",
    Column.S1: "S1",
    Column.S2: "S2",
    Column.S3: "S3",
}

HEADER_TIPS: dict[Column, str] = {
    Column.POSITION: "Position in the session",
    Column.CAR: "Car number",
    Column.DRIVER: "Driver (shortened to fit; the full name is in the cell's tooltip)",
    Column.CLASS: "Class; ◆ marks the best lap in the class",
    Column.LAPS: "Laps completed; * when some were counted by the timing system, not seen here",
    Column.LAST_LAP: "Last lap time; green as fast as the car's best, purple the session best",
    Column.BEST_LAP: "Best lap time; purple the session best",
    Column.GAP: "Behind the leader: time, or laps when lapped",
    Column.INTERVAL: "Behind the car ahead",
    Column.SPEED: "Speed on the last lap",
    Column.LAPS_LED: "Laps led",
    Column.GAINED: (
        "Positions gained (▲) or lost (▼) since the start, from the grid (a board following an"
        " RMonitor feed has it only if it was following before the start)"
    ),
    Column.TEAM: "Team (an RMonitor feed sends it in $COMP's additional data)",
    Column.MAKE: "Make, from the entry list (an RMonitor feed has no field for it: empty there)",
    Column.STATUS: "Finished, PIT, DNF, DSQ, penalties",
    Column.OFFICIAL: "The timing system's own position (red where it differs from ours)",
    Column.CLASS_POSITION: "Position in class",
    Column.CLASS_GAP: "Behind the class leader",
    Column.PITS: "Pit stops",
    Column.LAST_PIT_LAP: "Lap of the last pit stop",
    Column.PIT_TIME: "Time in the pit lane at the last stop",
}

CLASS_COLUMNS = (Column.CLASS, Column.CLASS_POSITION, Column.CLASS_GAP)
PIT_COLUMNS = (Column.PITS, Column.LAST_PIT_LAP, Column.PIT_TIME)
SECTOR_COLUMNS = (Column.S1, Column.S2, Column.S3)
SECTOR_OF = {column: index for index, column in enumerate(SECTOR_COLUMNS)}
OPTIONAL_COLUMNS = (Column.TEAM, Column.MAKE, *CLASS_COLUMNS, *PIT_COLUMNS, *SECTOR_COLUMNS)
# When the desk board is short of room, these columns give way (are hidden, and the header and
# View ▸ Columns say so), the least needed first, until the driver's name is readable again;
# position, car, driver and laps always stay (a board ~430 px wide, a narrow pane or window,
# kept Last lap, Gap, Int. and Status and cut the drivers to "FRE" under a scroll bar). They
# come back, most needed first, as room comes back.
GIVE_WAY_ORDER = (
    Column.SPEED,
    Column.TEAM,
    Column.MAKE,
    Column.S3,
    Column.S2,
    Column.S1,
    Column.LAPS_LED,
    Column.GAINED,
    Column.PIT_TIME,
    Column.LAST_PIT_LAP,
    Column.CLASS_GAP,
    Column.BEST_LAP,
    Column.PITS,
    Column.INTERVAL,  # the gap says the same, from the leader
    Column.OFFICIAL,  # the timing system's order: the status bar says where it differs
    Column.LAST_LAP,
    Column.CLASS_POSITION,
    Column.CLASS,
    Column.STATUS,
    Column.GAP,
)


def give_way_order(ranked_by_best_lap: bool) -> tuple[Column, ...]:
    """:data:`GIVE_WAY_ORDER` for a session: where the best lap decides the order (practice,
    qualifying), Best lap never gives way, nor does it lose its place to the laps led."""
    if not ranked_by_best_lap:
        return GIVE_WAY_ORDER
    return tuple(c for c in GIVE_WAY_ORDER if c != Column.BEST_LAP)


COLUMNS = tuple(Column)  # by index: cheaper than Column(n) in data(), called per cell per paint

COLUMN_FIELDS: dict[Column, tuple[str, ...]] = {
    Column.POSITION: ("position", "status"),
    Column.CAR: ("car", "known"),
    Column.DRIVER: ("driver", "known"),
    Column.TEAM: ("team",),
    Column.MAKE: ("make",),
    Column.CLASS: ("car_class", "holds_class_best"),
    Column.LAPS: ("laps", "lap_penalty", "unseen_laps"),
    # the last lap is painted as the session best while its car holds it
    Column.LAST_LAP: ("last_lap_ms", "last_lap_personal_best", "last_speed", "holds_session_best"),
    Column.BEST_LAP: ("best_lap_ms", "holds_session_best", "best_lap_number", "best_speed"),
    Column.GAP: ("gap",),
    Column.INTERVAL: ("interval",),
    Column.SPEED: ("last_speed",),
    Column.LAPS_LED: ("laps_led",),
    Column.GAINED: ("gained",),
    Column.STATUS: (
        "status",
        "result_final",
        "checkered",
        "time_penalty_ms",
        "lap_penalty",
        "in_pit",
    ),
    Column.OFFICIAL: ("position",),
    Column.CLASS_POSITION: ("class_position", "car_class"),
    Column.CLASS_GAP: ("class_gap",),
    Column.PITS: ("pit_stops",),
    Column.LAST_PIT_LAP: ("last_pit_lap",),
    Column.PIT_TIME: ("last_pit_ms", "in_pit"),
    Column.S1: ("sectors", "sector_marks"),
    Column.S2: ("sectors", "sector_marks"),
    Column.S3: ("sectors", "sector_marks"),
}

FIELD_COLUMNS: dict[str, tuple[Column, ...]] = {}
for _column, _fields in COLUMN_FIELDS.items():
    for _field in _fields:
        FIELD_COLUMNS[_field] = (*FIELD_COLUMNS.get(_field, ()), _column)


def given_way_line(hidden: Sequence[Column]) -> str:
    """Which columns are hidden for lack of room, as View ▸ Columns and the header say it."""
    return "Hidden for lack of room: " + ", ".join(HEADERS[c] for c in hidden) if hidden else ""
