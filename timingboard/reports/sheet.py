"""The results sheet: one model of what is published, which every writer (CSV, JSON, HTML, PDF)
renders, so the same numbers appear in all of them.

Values are text, formatted once here. Gaps are those of a classification (laps down are the
difference in laps now; the time on the same lap is the difference of totals), never negative,
and only where the times are known; laps led count only the laps whose leader is known (the laps
a board joining late did not see have none).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from timingboard.engine.audit import audit_trail
from timingboard.engine.corrections import in_force
from timingboard.engine.engine import TimingEngine
from timingboard.engine.events import Disqualify, Retire, Revert
from timingboard.engine.formatting import (
    format_clock,
    format_gap,
    format_lap,
    format_session_time,
    format_speed,
    penalty_parts,
)
from timingboard.engine.pits import pit_summary
from timingboard.engine.session_end import over_at
from timingboard.engine.stages import stage_results
from timingboard.engine.standings import CarStatus, Gap, Standing
from timingboard.reports.cautions import CAUTION_FIELDS, caution_note, caution_rows

DEFAULT_SIGNATURES = ("Chief timekeeper", "Clerk of the course")
PROVISIONAL = "PROVISIONAL"
OFFICIAL = "OFFICIAL"


@dataclass(frozen=True, slots=True)
class Column:
    """A column of a section: the field of its rows, its title, and whether it holds a number."""

    field: str
    title: str
    numeric: bool = False


@dataclass(frozen=True, slots=True)
class Section:
    """One table of the sheet; ``note`` is a line printed under its title."""

    key: str
    title: str
    columns: tuple[Column, ...]
    rows: list[dict[str, str]]
    note: str = ""


@dataclass(frozen=True, slots=True)
class SheetStatus:
    """PROVISIONAL until an operator declares the results official; then OFFICIAL, with the
    corrections made since listed as amendments."""

    official: bool
    declared_by: str = ""
    declared_at: str = ""
    amendments: int = 0
    as_at: str = ""  # a sheet of the standings at a moment of the session
    standing: str = ""  # not over yet: "after lap 12 of 30 at 14:03:22"

    @property
    def word(self) -> str:
        if self.as_at:
            return f"STANDINGS AT {self.as_at}"
        return OFFICIAL if self.official else PROVISIONAL

    @property
    def line(self) -> str:
        if self.as_at:
            return f"{self.word} (session time): not the results"
        if not self.official and self.standing:
            return f"{PROVISIONAL} — standing {self.standing}: the session is not over"
        if not self.official:
            return f"{PROVISIONAL}: subject to the declaration of the results"
        text = f"{OFFICIAL}: declared by {self.declared_by} at {self.declared_at}"
        if self.amendments:
            text += f"; {self.amendments} amendment(s) since, listed below"
        return text


@dataclass(frozen=True, slots=True)
class SheetOptions:
    """What the session file does not hold: the event, the weather, who signs, when printed.

    ``origin``: wall-clock time (epoch seconds) of session time zero, for the date and times.
    ``as_at_ms``: the sheet shows the standings at this session time.
    """

    event: str = ""
    weather: str = ""
    signatures: tuple[str, ...] = DEFAULT_SIGNATURES
    origin: float | None = None
    printed_at: datetime | None = None
    as_at_ms: int | None = None


@dataclass(frozen=True, slots=True)
class ResultsSheet:
    """Everything a results sheet shows, in print order.

    ``results``: one row a car with every field of :data:`RESULT_FIELDS`, classified cars in
    order then the others (no position): what CSV and JSON carry.
    """

    header: dict[str, str]  # field -> value; see HEADER_TITLES
    status: SheetStatus
    sections: list[Section]
    signatures: tuple[str, ...]
    results: list[dict[str, str]] = field(default_factory=list)
    session_best: dict[str, str] | None = None

    def section(self, key: str) -> Section | None:
        return next((s for s in self.sections if s.key == key), None)

    @property
    def title(self) -> str:
        event, session = self.header.get("event", ""), self.header["session"]
        return f"{event} · {session}" if event else session


HEADER_TITLES = {
    "event": "Event",
    "session": "Session",
    "kind": "Kind",
    "track": "Track",
    "length": "Length",
    "date": "Date",
    "start": "Start",
    "end": "End",
    "weather": "Weather",
    "printed_at": "Printed at",
}

RESULT_FIELDS: tuple[str, ...] = (
    "position",
    "car",
    "driver",
    "team",
    "make",
    "class",
    "class_position",
    "class_gap",
    "laps",
    "total_time",
    "gap",
    "interval",
    "last_lap",
    "best_lap",
    "best_lap_number",
    "best_speed",
    "reported_best",
    "laps_led",
    "gained",
    "penalties",
    "pit_stops",
    "laps_not_seen",
    "status",
)

C = Column
RACE_COLUMNS = (
    C("position", "Pos", True),
    C("car", "Car", True),
    C("driver", "Driver"),
    C("team", "Team"),
    C("class", "Class"),
    C("laps", "Laps", True),
    C("total_time", "Total", True),
    C("gap", "Gap", True),
    C("interval", "Interval", True),
    C("best_lap", "Best lap", True),
    C("best_lap_number", "on lap", True),
    C("best_speed", "Speed", True),
    C("laps_led", "Led", True),
    C("pit_stops", "Pits", True),
    C("penalties", "Penalty"),
    C("status", "Status"),
)
BEST_LAP_COLUMNS = (
    C("position", "Pos", True),
    C("car", "Car", True),
    C("driver", "Driver"),
    C("team", "Team"),
    C("class", "Class"),
    C("laps", "Laps", True),
    C("best_lap", "Best lap", True),
    C("best_lap_number", "on lap", True),
    C("reported_best", "Reported best", True),
    C("gap", "Gap", True),
    C("interval", "Interval", True),
    C("best_speed", "Speed", True),
    C("penalties", "Penalty"),
    C("status", "Status"),
)
FASTEST_COLUMNS = (
    C("scope", "Fastest of"),
    C("car", "Car", True),
    C("driver", "Driver"),
    C("best_lap", "Lap time", True),
    C("best_lap_number", "on lap", True),
    C("best_speed", "Speed", True),
)
LEADER_COLUMNS = (
    C("car", "Car", True),
    C("driver", "Driver"),
    C("from_lap", "From lap", True),
    C("to_lap", "To lap", True),
    C("laps", "Laps", True),
)
CORRECTION_COLUMNS = (
    C("number", "#", True),
    C("at", "When"),
    C("operator", "By"),
    C("correction", "Correction"),
    C("reason", "Reason"),
)
AMENDMENT_COLUMNS = (*CORRECTION_COLUMNS, C("state", "State"))
PIT_COLUMNS = (
    C("car", "Car", True),
    C("driver", "Driver"),
    C("stops", "Stops", True),
    C("last_lap", "Last on lap", True),
    C("last_stop", "Last stop", True),
    C("total", "Time in lane", True),
)
NOT_CLASSIFIED_COLUMNS = (
    C("car", "Car", True),
    C("driver", "Driver"),
    C("laps", "Laps", True),
    C("status", "Status"),
    C("reason", "Reason"),
)
REPORTED_COLUMNS = (
    C("car", "Car", True),
    C("driver", "Driver"),
    C("reported_best", "Reported best", True),
    C("best_lap", "Best seen here", True),
)
STAGE_COLUMNS = (
    C("position", "Pos", True),
    C("car", "Car", True),
    C("driver", "Driver"),
    C("laps", "Laps", True),
)


def parse_signatures(text: str | None) -> tuple[str, ...]:
    """Signature lines typed as ``Chief timekeeper; Clerk of the course``; None: the default."""
    if text is None:
        return DEFAULT_SIGNATURES
    return tuple(part.strip() for part in text.split(";") if part.strip())


# --- building the sheet --------------------------------------------------------------------------


def build_sheet(engine: TimingEngine, options: SheetOptions | None = None) -> ResultsSheet:
    """The results sheet of ``engine``'s session as it stands."""
    options = options or SheetOptions()
    standings = engine.standings()
    classified = [s for s in standings if _classified(engine, s)]
    has_classes = len({s.car_class for s in standings if s.car_class}) > 1
    leaders = engine.lap_leaders()
    laps_led = dict(engine.known_laps_led())
    in_class = _class_places(engine, classified)
    rows = _classification(engine, classified, laps_led, in_class)
    columns = _columns(engine, has_classes, rows)
    sections = [Section("classification", "Classification", columns, rows, _unseen_bests(rows))]
    if has_classes:
        sections += _class_sections(engine, classified, columns, laps_led, in_class)
    sections.append(_fastest(engine, standings, has_classes))
    placed = {s.key for s in classified}
    others = [
        _car_row(engine, s, None, None, None, laps_led, {})
        for s in standings
        if s.key not in placed
    ]
    reported = _reported_section([*rows, *others])
    if reported is not None:
        sections.append(reported)
    if engine.settings.is_race:
        sections.append(_leaders_section(engine, leaders))
        runs = engine.caution_laps()
        cautions = caution_rows(runs)  # a race run green throughout has no such table
        if cautions:
            caution_columns = tuple(Column(*f) for f in CAUTION_FIELDS)
            note = caution_note(engine, runs)
            sections.append(Section("cautions", "Cautions", caution_columns, cautions, note))
    status = _status(engine, options)
    sections.append(_corrections_section(engine, status))
    sections.append(_pits_section(engine, standings))
    sections.append(_not_classified(engine, standings))
    sections += _stages(engine)
    if status.official:
        sections.append(_amendments(engine))
    best = engine.session_best_lap()
    return ResultsSheet(
        header=_header(engine, options),
        status=status,
        sections=sections,
        signatures=tuple(options.signatures),
        results=[*rows, *others],
        session_best=(
            {
                "car": engine.car_label(best[0]),
                "lap": str(best[1].number or ""),
                "time": format_lap(best[1].duration_ms),
            }
            if best
            else None
        ),
    )


def _status_word(s: Standing, unplaced: bool) -> str:
    """A car's status as the sheet says it: the engine's (:func:`engine.rows.status_of`, the
    board's too). A car with no place that may still start (the session goes on) is not DNS
    yet: the board says nothing of it, and neither does the sheet."""
    if unplaced and s.status is CarStatus.RUNNING:
        return ""
    return str(s.status)


def _classified(engine: TimingEngine, s: Standing) -> bool:
    if s.status in (CarStatus.DNF, CarStatus.DSQ):
        return False
    return s.laps > 0 if engine.settings.is_race else s.best_lap_ms is not None


OPTIONAL_FIELDS = {"team", "pit_stops", "penalties", "reported_best"}  # left out when none has


def _columns(
    engine: TimingEngine, has_classes: bool, rows: list[dict[str, str]]
) -> tuple[Column, ...]:
    columns = RACE_COLUMNS if engine.settings.is_race else BEST_LAP_COLUMNS
    return tuple(
        c
        for c in columns
        if (c.field != "class" or has_classes)
        and (c.field not in OPTIONAL_FIELDS or any(row[c.field] for row in rows))
    )


ClassPlaces = dict[str, tuple[int, str]]  # key -> position in class, gap to the class leader


def _class_places(engine: TimingEngine, classified: list[Standing]) -> ClassPlaces:
    places: ClassPlaces = {}
    leaders: dict[str, tuple[str, int]] = {}
    for s in classified:
        if not s.car_class:
            continue
        leader, count = leaders.get(s.car_class, (s.key, 0))
        leaders[s.car_class] = (leader, count + 1)
        to_leader = "" if leader == s.key else format_gap(engine.gap(s.key, leader, True))
        places[s.key] = (count + 1, to_leader)
    return places


def _classification(
    engine: TimingEngine,
    cars: list[Standing],
    laps_led: dict[str, int],
    in_class: ClassPlaces,
) -> list[dict[str, str]]:
    rows = []
    for place, s in enumerate(cars, start=1):
        first, ahead = cars[0].key, cars[place - 2].key if place > 1 else None
        rows.append(
            _car_row(
                engine,
                s,
                place,
                engine.gap(s.key, first, classification=True) if ahead else None,
                engine.gap(s.key, ahead, classification=True) if ahead else None,
                laps_led,
                in_class,
            )
        )
    return rows


def _car_row(
    engine: TimingEngine,
    s: Standing,
    place: int | None,
    to_first: Gap | None,
    to_ahead: Gap | None,
    laps_led: dict[str, int],
    in_class: ClassPlaces,
) -> dict[str, str]:
    unseen = s.laps_not_seen
    race = engine.settings.is_race
    grid = engine.competitor_of(s.key)
    gained = ""
    if race and place is not None and grid is not None and grid.grid is not None:
        gained = f"{grid.grid - place:+d}"
    class_place = in_class.get(s.key)
    status = _status_word(s, place is None)
    return {
        "position": "" if place is None else str(place),
        "car": s.car,
        "driver": s.driver or ("(unknown car)" if not s.known else ""),
        "team": s.team,
        "make": s.make,
        "class": s.car_class,
        "class_position": str(class_place[0]) if class_place else "",
        "class_gap": class_place[1] if class_place else "",
        "laps": str(s.laps),
        "total_time": format_lap(s.total_ms) if race else "",
        "gap": format_gap(to_first),
        "interval": format_gap(to_ahead),
        "last_lap": format_lap(s.last_lap_ms),
        "best_lap": format_lap(s.best_lap_ms),
        "best_lap_number": str(s.best_lap_number) if s.best_lap_number else "",
        "best_speed": format_speed(s.best_speed),
        "reported_best": _reported_best(s),
        "laps_led": str(laps_led.get(s.key, 0)) if race else "",
        "gained": gained,
        "penalties": penalty_text(s),
        "pit_stops": str(s.pit_stops) if s.pit_stops else "",
        "laps_not_seen": str(unseen) if unseen else "",
        "status": status,
    }


def _reported_best(s: Standing) -> str:
    """The timing system's best lap where it is better than any lap timed here: "1:23.456",
    with its lap when known ("1:23.456 (lap 12)")."""
    if s.reported_best_ms is None:
        return ""
    lap = f" (lap {s.reported_best_number})" if s.reported_best_number else ""
    return f"{format_lap(s.reported_best_ms)}{lap}"


def _unseen_bests(rows: list[dict[str, str]]) -> str:
    """The classification's footnote when the timing system reports better laps than seen here."""
    count = sum(1 for row in rows if row["reported_best"])
    if not count:
        return ""
    cars = "1 car has" if count == 1 else f"{count} cars have"
    return (
        f"Best laps are laps timed here. {cars} a better lap reported by the timing system, "
        "not seen here: see Best laps not seen here."
    )


def _reported_section(results: list[dict[str, str]]) -> Section | None:
    """The timing system's best laps that are better than any lap seen here, as what they are."""
    rows = [
        {
            "car": row["car"],
            "driver": row["driver"],
            "reported_best": row["reported_best"],
            "best_lap": row["best_lap"],
        }
        for row in results
        if row["reported_best"]
    ]
    if not rows:
        return None
    note = "Reported by the timing system; never counted as a personal or session best."
    return Section("reported_bests", "Best laps not seen here", REPORTED_COLUMNS, rows, note)


def penalty_text(s: Standing) -> str:
    """``+5.000 s``, ``-1 lap``: the penalties in force on a car, in the board's words
    (:func:`penalty_parts`)."""
    return ", ".join(penalty_parts(s.time_penalty_ms, s.lap_penalty))


def _class_sections(
    engine: TimingEngine,
    classified: list[Standing],
    columns: tuple[Column, ...],
    laps_led: dict[str, int],
    in_class: ClassPlaces,
) -> list[Section]:
    by_class: dict[str, list[Standing]] = {}
    for s in classified:
        by_class.setdefault(s.car_class or "(no class)", []).append(s)
    class_columns = tuple(
        Column("position", "PIC", True) if c.field == "position" else c
        for c in columns
        if c.field != "class"
    )
    sections = []
    for name, cars in by_class.items():
        rows = _classification(engine, cars, laps_led, in_class)
        sections.append(Section(f"class:{name}", f"Class {name}", class_columns, rows))
    return sections


def _fastest(engine: TimingEngine, standings: list[Standing], has_classes: bool) -> Section:
    timed = [s for s in standings if s.best_lap_ms is not None and s.status is not CarStatus.DSQ]
    groups: list[tuple[str, list[Standing]]] = [("Session", timed)]
    if has_classes:
        classes = dict.fromkeys(s.car_class for s in standings if s.car_class)
        groups += [(f"Class {c}", [s for s in timed if s.car_class == c]) for c in classes]
    rows = []
    for scope, cars in groups:
        if not cars:
            continue
        best = min(cars, key=lambda s: (s.best_lap_ms, _best_time(engine, s.key)))
        rows.append(
            {
                "scope": scope,
                "car": best.car,
                "driver": best.driver,
                "best_lap": format_lap(best.best_lap_ms),
                "best_lap_number": str(best.best_lap_number) if best.best_lap_number else "",
                "best_speed": format_speed(best.best_speed),
            }
        )
    unseen = [s for s in standings if s.reported_best_ms is not None]
    note = ""
    if unseen and (
        not timed
        or min(s.reported_best_ms or 0 for s in unseen) < min(s.best_lap_ms or 0 for s in timed)
    ):
        quickest = min(unseen, key=lambda s: s.reported_best_ms or 0)
        note = (
            f"The timing system reports a faster lap, not seen here: car {quickest.car} "
            f"{_reported_best(quickest)}."
        )
    return Section("fastest", "Fastest laps", FASTEST_COLUMNS, rows, note)


def _best_time(engine: TimingEngine, key: str) -> int:
    best = engine.best_lap(key)
    return best.time_ms if best else 0


def _leaders_section(engine: TimingEngine, leaders: list[tuple[int, str | None]]) -> Section:
    runs: list[list] = []  # [key, from, to]
    for lap, key in leaders:
        if runs and runs[-1][0] == key and runs[-1][2] == lap - 1:
            runs[-1][2] = lap
        else:
            runs.append([key, lap, lap])
    rows = []
    unknown = []
    for key, first, last in runs:
        if key is None:
            unknown.append(f"{first}-{last}" if first != last else str(first))
            continue
        rows.append(
            {
                "car": engine.car_label(key),
                "driver": _driver(engine, key),
                "from_lap": str(first),
                "to_lap": str(last),
                "laps": str(last - first + 1),
            }
        )
    note = f"Leader not known (laps not seen here): {', '.join(unknown)}" if unknown else ""
    return Section("lap_leaders", "Lap leaders", LEADER_COLUMNS, rows, note)


def _status(engine: TimingEngine, options: SheetOptions) -> SheetStatus:
    if options.as_at_ms is not None:
        return SheetStatus(False, as_at=format_clock(options.as_at_ms))
    first = engine.first_declaration()
    if first is None:
        return SheetStatus(False, standing=_standing(engine, options))
    seq, declared = first
    corrected = sum(1 for s in engine.logged_corrections() if s > seq)
    amendments = corrected + len(_passings_after(engine, seq))
    return SheetStatus(True, declared.operator, _when(declared.at), amendments)


def _standing(engine: TimingEngine, options: SheetOptions) -> str:
    """Where the standings of a session not over are taken: "after lap 12 of 30 at 14:03:22"
    (the leader's laps, the time of the latest data); "" once its finish is reached or it was
    ended (the timing system's end, or the operator's: its results are final)."""
    if engine.over:
        return ""
    at_ms = engine.clock_ms
    when = ""
    if options.origin:
        when = _clock(datetime.fromtimestamp(options.origin).astimezone(), at_ms, past_only=True)
    if not when:
        when = f"session time {format_clock(at_ms)}"
    settings = engine.settings
    if not settings.is_race:
        return f"at {when}"
    of = f" of {settings.race_laps}" if settings.race_laps else ""
    return f"after lap {engine.leader_laps()}{of} at {when}"


def _passings_after(engine: TimingEngine, seq: int) -> list[int]:
    """Passings logged after the declaration (typed or fed): they change the results too."""
    return sorted(pid for pid in engine.passing_ids() if pid > seq)


def _passing_rows(engine: TimingEngine, seq: int) -> list[tuple[int, dict[str, str]]]:
    rows = []
    for pid in _passings_after(engine, seq):
        record = engine.passing(pid)
        owner = engine.passing_owner(pid) or record.key
        car = engine.entry_list()[owner].car if engine.is_entered(owner) else record.car
        at = format_session_time(record.time_ms)
        row = {
            "number": str(pid),
            "at": f"session {at}",
            "operator": record.source,
            "correction": f"passing of car {car or owner} logged after the declaration",
            "reason": "",
            "state": str(engine.passing_status(pid)),
        }
        rows.append((pid, row))
    return rows


def _correction_rows(engine: TimingEngine, records: list) -> list[dict[str, str]]:
    return [
        {
            "number": str(r.number),  # as the Corrections tab numbers it: 1, 2, 3 as made
            "at": _when(r.at),
            "operator": r.operator,
            "correction": r.action,
            "reason": r.reason,
            "state": "in force" if r.in_force else "undone",
        }
        for r in records
    ]


def _corrections_section(engine: TimingEngine, status: SheetStatus) -> Section:
    """Penalties and corrections in force (an undo takes its correction out, and is not shown)."""
    records = [
        r
        for r in audit_trail(engine)
        if r.in_force and not isinstance(engine.logged_corrections()[r.seq], Revert)
    ]
    return Section(
        "corrections",
        "Penalties and corrections in force",
        CORRECTION_COLUMNS,
        _correction_rows(engine, records),
    )


def _amendments(engine: TimingEngine) -> Section:
    declared = engine.first_declaration()
    assert declared is not None, "only official results have amendments"
    seq = declared[0]
    records = [r for r in audit_trail(engine) if r.seq > seq]
    corrections = [
        (r.seq, row) for r, row in zip(records, _correction_rows(engine, records), strict=True)
    ]
    rows = [row for _, row in sorted(corrections + _passing_rows(engine, seq))]
    return Section(
        "amendments",
        "Amendments since the results were declared official",
        AMENDMENT_COLUMNS,
        rows,
    )


def _pits_section(engine: TimingEngine, standings: list[Standing]) -> Section:
    rows = []
    for s in standings:
        events = engine.pit_crossings(s.key)
        if not events:
            continue
        summary = pit_summary(events)
        rows.append(
            {
                "car": s.car,
                "driver": s.driver,
                "stops": str(summary.stops),
                "last_lap": str(s.last_pit_lap) if s.last_pit_lap else "",
                "last_stop": format_lap(summary.last_stop_ms)
                if summary.in_pit_since is None
                else "in the pit lane",
                "total": format_lap(summary.total_ms) if summary.total_ms else "",
            }
        )
    return Section("pit_stops", "Pit stops", PIT_COLUMNS, rows)


def _not_classified(engine: TimingEngine, standings: list[Standing]) -> Section:
    reasons: dict[str, str] = {}
    standing = in_force(engine.logged_corrections())
    for seq, c in sorted(engine.logged_corrections().items()):
        if seq in standing and isinstance(c, Retire | Disqualify):
            reasons[c.key] = c.reason
    for s in standings:  # out at the start (engine.rows.out_at_start): it took the start
        if s.status is CarStatus.DNF and not s.laps and s.key not in reasons:
            reasons[s.key] = "took the start, no lap completed"
    rows = []
    for s in standings:
        if _classified(engine, s):
            continue
        status = _status_word(s, unplaced=True)
        reason = reasons.get(s.key, "")
        if s.status is CarStatus.DNS and engine.settings.is_race:  # one seen at the start: DNF
            reason = "never seen"
        elif s.status in (CarStatus.DNS, CarStatus.RUNNING):  # not started, or not yet
            reason = "no lap completed" if engine.settings.is_race else "no time set"
            reason += "" if status else " yet"
        rows.append(
            {
                "car": s.car,
                "driver": s.driver or ("(unknown car)" if not s.known else ""),
                "laps": str(s.laps),
                "status": status,
                "reason": reason,
            }
        )
    return Section("not_classified", "Not classified", NOT_CLASSIFIED_COLUMNS, rows)


def _stages(engine: TimingEngine) -> list[Section]:
    sections = []
    for stage in stage_results(engine):
        title = f"Stage {stage.stage} (lap {stage.end_lap})"
        rows = [
            {
                "position": str(i),
                "car": engine.car_label(key),
                "driver": _driver(engine, key),
                "laps": str(laps),
            }
            for i, (key, laps) in enumerate(stage.order, start=1)
        ]
        note = "" if stage.ended_ms is not None else "Not over yet."
        sections.append(Section(f"stage:{stage.stage}", title, STAGE_COLUMNS, rows, note))
    return sections


def _driver(engine: TimingEngine, key: str) -> str:
    return engine.driver_label(key, unknown="(unknown car)")


# --- the header ------------------------------------------------------------------------------


def _header(engine: TimingEngine, options: SheetOptions) -> dict[str, str]:
    settings = engine.settings
    length = ""
    if settings.track_length:
        length = f"{settings.track_length:g} {settings.length_unit}"
    start_ms = engine.start_ms if engine.start_ms is not None else engine.first_crossing_ms()
    end_ms = _end_ms(engine, options)
    header = {
        "event": options.event,
        "session": settings.name,
        "kind": str(settings.kind).capitalize(),
        "track": settings.track_name,
        "length": length,
        "date": "",
        "start": "",
        "end": "",
        "weather": options.weather,
        "printed_at": _stamp(options.printed_at or datetime.now().astimezone()),
    }
    if options.origin:
        zero = datetime.fromtimestamp(options.origin).astimezone()
        header["date"] = zero.strftime("%Y-%m-%d")
        if start_ms is not None:
            header["start"] = _clock(zero, start_ms, past_only=True)
        if end_ms is not None:
            header["end"] = _clock(zero, end_ms, past_only=True)
    return header


def _end_ms(engine: TimingEngine, options: SheetOptions) -> int | None:
    """The header's End: the moment the sheet is as at (``--at``); else, once the session is
    over, when it was (:func:`~timingboard.engine.session_end.over_at`: the last car still out
    took the flag, or it was ended — by the timing system's end of session or Flag ▸ End
    session…, also with no lap completed, or cars still out: End was blank or the last lap's
    time); a car still out at the checkered, the last lap completed so far. None while it runs
    (not over yet: no end time until its finish or its end)."""
    if options.as_at_ms is not None:
        return options.as_at_ms
    if not engine.over:
        return None
    over = over_at(engine)
    return over if over is not None else engine.last_lap_completed_ms()


def _clock(zero: datetime, ms: int, past_only: bool = False) -> str:
    """``zero`` plus session time as a time of day; ``past_only``: "" for a moment still to
    come. A session dated by the moment of its import (a capture that gave no date) would
    otherwise end in the future: a time no clock showed is not printed."""
    moment = zero + timedelta(milliseconds=ms)
    if past_only and moment > datetime.now().astimezone():
        return ""
    return moment.strftime("%H:%M:%S")


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def _when(iso: str) -> str:
    """An ISO 8601 wall-clock time as the sheet prints it; kept as it is if it is not one."""
    try:
        moment = datetime.fromisoformat(iso)
    except ValueError:
        return iso
    if moment.tzinfo is not None:
        moment = moment.astimezone()
    return _stamp(moment)


__all__ = [
    "DEFAULT_SIGNATURES",
    "HEADER_TITLES",
    "RESULT_FIELDS",
    "Column",
    "ResultsSheet",
    "Section",
    "SheetOptions",
    "SheetStatus",
    "build_sheet",
    "parse_signatures",
]
