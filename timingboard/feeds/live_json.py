"""The board as JSON for followers: a snapshot of everything, then numbered deltas.

A follower (the live timing page, a broker's subscribers, another board) starts from a snapshot
and applies each delta whose ``base`` is the ``seq`` it holds; one that missed a delta (its
``base`` is not what the follower holds) asks for a snapshot again. Texts are formatted here, as
the board formats them, so every follower shows the same figures; raw milliseconds ride along
for followers that compute.

Message shapes (``v`` 1)::

    {"v": 1, "type": "snapshot", "seq": 7, "session": {...}, "status": {...}, "rows": [row, ...]}
    {"v": 1, "type": "delta", "seq": 8, "base": 7, "status": {...},
     "order": ["31", "8", ...], "rows": {"31": row, ...}}

A delta's ``order`` is the full running order by key (present only when it changed); its
``rows`` holds only the rows that changed; ``status`` (flag, clock, what remains, session best)
is repeated in every message, since it is small.

Each row also carries the board's own row, whole (``standing``), and the session its settings,
so that another desktop board following through the broker (``timingboard follow``) shows
every column and the header exactly as the publishing board does.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from timingboard.engine.engine import UNKNOWN_DRIVER, TimingEngine
from timingboard.engine.flag_shown import shown_flag
from timingboard.engine.formatting import (
    format_clock,
    format_distance_left,
    format_gap,
    format_lap,
    format_speed,
    status_words,
)
from timingboard.engine.session_end import board_clock_ms
from timingboard.engine.settings import SessionSettings
from timingboard.engine.standings import (
    CarStatus,
    Gap,
    Standing,
    best_lap_mark,
    last_lap_mark,
)

VERSION = 1
Row = dict[str, Any]
Message = dict[str, Any]


def row_of(row: Standing) -> Row:
    """One car as followers show it."""
    return {
        "key": row.key,
        "pos": row.position,
        "car": row.car,
        "driver": row.driver if row.known else UNKNOWN_DRIVER,
        "team": row.team,
        "class": row.car_class,
        "class_pos": row.class_position,
        "laps": row.laps,
        "laps_text": f"{row.laps}*" if row.unseen_laps else str(row.laps),
        "last": format_lap(row.last_lap_ms),
        "last_ms": row.last_lap_ms,
        "last_pb": row.last_lap_personal_best,
        "last_mark": last_lap_mark(row),  # "session" (purple), "personal" (green) or ""
        "best": format_lap(row.best_lap_ms),
        "best_ms": row.best_lap_ms,
        "session_best": row.holds_session_best,
        "best_mark": best_lap_mark(row),
        "gap": format_gap(row.gap),
        "interval": format_gap(row.interval),
        "speed": format_speed(row.best_speed),
        "status": status_words(row),  # the board's words
        "pits": row.pit_stops,
        "in_pit": row.in_pit,
        "standing": standing_json(row),
    }


_GAPS = ("gap", "interval", "class_gap")
_PAIRS = ("unseen_laps",)
_TUPLES = ("sectors", "sector_marks")


def standing_json(row: Standing) -> dict[str, Any]:
    """The board's row, whole, in JSON's own types (gaps as ``[laps, ms]``)."""
    out: dict[str, Any] = {}
    for f in fields(Standing):
        value = getattr(row, f.name)
        if f.name in _GAPS:
            value = None if value is None else [value.laps, value.ms]
        elif f.name in _PAIRS:
            value = [list(pair) for pair in value]
        elif f.name in _TUPLES:
            value = list(value)
        elif f.name == "status":
            value = str(value)
        out[f.name] = value
    return out


def standing_from_json(data: Mapping[str, Any]) -> Standing:
    """The row :func:`standing_json` made (raises ``KeyError``/``ValueError``/``TypeError`` on
    anything else)."""
    values: dict[str, Any] = {}
    for f in fields(Standing):
        if f.name not in data:
            continue
        value = data[f.name]
        if f.name in _GAPS:
            value = None if value is None else Gap(int(value[0]), int(value[1]))
        elif f.name in _PAIRS:
            value = tuple((int(a), int(b)) for a, b in value)
        elif f.name in _TUPLES:
            value = tuple(value)
        elif f.name == "status":
            value = CarStatus(value)
        values[f.name] = value
    return Standing(**values)


def settings_json(settings: SessionSettings) -> dict[str, Any]:
    out = asdict(settings)
    out["kind"], out["length_unit"] = str(settings.kind), str(settings.length_unit)
    out["stage_laps"] = list(settings.stage_laps)
    return out


def settings_from_json(data: Mapping[str, Any]) -> SessionSettings:
    known = {f.name for f in fields(SessionSettings)}
    values = {k: v for k, v in data.items() if k in known}
    values["stage_laps"] = tuple(int(lap) for lap in values.get("stage_laps", ()))
    return SessionSettings(**values)


def remaining_text(engine: TimingEngine, now_ms: int) -> tuple[str, int | None]:
    """What is left of the session, and the laps to go when it runs to laps, as the board's
    header says it: "Finished" once every car is in after the finish or the session is ended,
    "Checkered" from the finish while a car is still out."""
    if engine.over:
        return (
            "Finished" if engine.all_in else "Checkered",
            0 if engine.settings.race_laps else None,
        )
    laps = engine.laps_to_go()
    if laps is not None and engine.settings.race_laps:
        return format_distance_left(engine.settings.race_laps, engine.leader_laps()), laps
    time_left = engine.time_to_go_ms(now_ms)
    if time_left is not None:
        return f"{format_clock(time_left)} to go", None
    return "", None


def status_of(
    engine: TimingEngine, now_ms: int, clock_running: bool, told_laps_to_go: int | None = None
) -> dict[str, Any]:
    """Flag, clock, what remains and the session best: the header of every message.

    ``now_ms``, ``start_ms`` and ``finish_ms`` (session times) and ``told_laps_to_go`` (what a
    followed timing system said) let a following board run its clock as the publisher does."""
    clock_ms = board_clock_ms(engine, now_ms)  # the board's: it stands at the finish
    remaining, laps_to_go = remaining_text(engine, now_ms)
    best = engine.session_best_lap()
    best_info = None
    if best is not None:
        key, lap = best
        best_info = {
            "key": key,
            "car": engine.car_label(key),
            "driver": engine.driver_label(key),
            "lap": format_lap(lap.duration_ms),
            "lap_ms": lap.duration_ms,
            "lap_number": lap.number,
            "at_ms": lap.time_ms,
        }
    flag = shown_flag(engine, now_ms)  # white and checkered from the distance, as the board
    return {
        "flag": str(flag) if flag is not None else None,
        "clock_ms": clock_ms,
        "clock": format_clock(clock_ms),
        "clock_running": clock_running and not engine.over,
        "remaining": remaining,
        "laps_to_go": laps_to_go,
        "best": best_info,
        "now_ms": now_ms,
        "start_ms": engine.start_ms,
        "finish_ms": engine.finish_ms,
        # the session's end (the timing system's or the operator's): every result is final
        "ended_ms": engine.ended_ms,
        "told_laps_to_go": told_laps_to_go,
        # the header's count, shown by a following board
        "passings": engine.passing_count() - engine.deleted_passing_count(),
    }


def session_of(engine: TimingEngine, session_id: str) -> dict[str, Any]:
    settings = engine.settings
    classes = sorted(engine.car_classes())
    return {
        "id": session_id,
        "name": settings.name,
        "kind": str(settings.kind),
        "track": settings.track_name,
        "classes": [c for c in classes if c],
        "speed_unit": settings.length_unit.speed_label,
        "settings": settings_json(settings),
    }


@dataclass
class LiveBoard:
    """What followers were last sent, to make the next delta (pure; one per published session).

    A snapshot is always the state the last delta reached, never a fresh look at the engine:
    a follower that took snapshot N and one that applied deltas up to N hold the same board.
    """

    session_id: str
    seq: int = 0
    _rows: dict[str, Row] = field(default_factory=dict)
    _order: list[str] = field(default_factory=list)
    _session: dict[str, Any] = field(default_factory=dict)
    _status: dict[str, Any] = field(default_factory=dict)

    def update(
        self, engine: TimingEngine, now_ms: int, running: bool, told: int | None = None
    ) -> Message:
        """What changed since the last message, numbered one on from it."""
        rows = [row_of(s) for s in engine.standings()]
        order = [row["key"] for row in rows]
        changed = {row["key"]: row for row in rows if self._rows.get(row["key"]) != row}
        status = status_of(engine, now_ms, running, told)
        message: Message = {
            "v": VERSION,
            "type": "delta",
            "seq": self.seq + 1,
            "base": self.seq,
            "status": status,
            "rows": changed,
        }
        if order != self._order:
            message["order"] = order
        session = session_of(engine, self.session_id)
        if session != self._session:
            message["session"] = session
        self.seq += 1
        self._rows = {row["key"]: row for row in rows}
        self._order = order
        self._session = session
        self._status = status
        return message

    def snapshot(self) -> Message:
        """The board as the last delta left it."""
        return {
            "v": VERSION,
            "type": "snapshot",
            "seq": self.seq,
            "session": self._session,
            "status": self._status,
            "rows": [self._rows[key] for key in self._order],
        }


@dataclass
class Follower:
    """A follower's copy of the board: a snapshot, with deltas applied in turn (pure).

    ``apply`` returns False when a delta does not follow on from what is held: the follower
    must ask for a snapshot again (and drops deltas until it has one).
    """

    seq: int | None = None
    session: dict[str, Any] = field(default_factory=dict)
    status: dict[str, Any] = field(default_factory=dict)
    rows: dict[str, Row] = field(default_factory=dict)
    order: list[str] = field(default_factory=list)

    def apply(self, message: Mapping[str, Any]) -> bool:
        kind = message.get("type")
        if kind == "snapshot":
            self.seq = int(message["seq"])
            self.session = dict(message["session"])
            self.status = dict(message["status"])
            self.rows = {row["key"]: dict(row) for row in message["rows"]}
            self.order = [row["key"] for row in message["rows"]]
            return True
        if kind != "delta" or self.seq is None:
            return False
        if int(message.get("seq", 0)) <= self.seq:
            return True  # one already applied (a broker may deliver twice): nothing to do
        if message.get("base") != self.seq:
            return False
        self.seq = int(message["seq"])
        self.status = dict(message["status"])
        if "session" in message:
            self.session = dict(message["session"])
        for key, row in message["rows"].items():
            self.rows[key] = dict(row)
        if "order" in message:
            self.order = list(message["order"])
            self.rows = {key: self.rows[key] for key in self.order if key in self.rows}
        return True

    def board(self) -> list[Row]:
        """The rows in running order."""
        return [self.rows[key] for key in self.order if key in self.rows]

    def snapshot(self) -> Message:
        """What is held, as a snapshot for a follower that joins now (None before the first)."""
        return {
            "v": VERSION,
            "type": "snapshot",
            "seq": self.seq if self.seq is not None else 0,
            "session": self.session,
            "status": self.status,
            "rows": self.board(),
        }
