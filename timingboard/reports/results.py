"""The classification of a session as rows of text and as CSV or JSON."""

from __future__ import annotations

import csv
import json
from typing import IO, Any

from timingboard.engine.audit import audit_trail
from timingboard.engine.engine import TimingEngine
from timingboard.engine.formatting import format_clock, format_gap, format_lap, format_speed
from timingboard.engine.stages import stage_results
from timingboard.engine.standings import Standing

RESULT_COLUMNS: tuple[str, ...] = (
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
    "laps_led",
    "gained",
    "penalties",
    "pit_stops",
    "laps_not_seen",
    "status",
)


def result_rows(engine: TimingEngine) -> list[dict[str, str]]:
    """One dict of formatted fields a car, in board order."""
    return [_row(s) for s in engine.standings()]


def _row(s: Standing) -> dict[str, str]:
    penalties = []
    if s.time_penalty_ms:
        penalties.append(f"+{format_lap(s.time_penalty_ms)} s")
    if s.lap_penalty:
        penalties.append(f"-{s.lap_penalty} lap" + ("s" if s.lap_penalty != 1 else ""))
    return {
        "position": str(s.position),
        "car": s.car,
        "driver": s.driver or ("(unknown car)" if not s.known else ""),
        "team": s.team,
        "make": s.make,
        "class": s.car_class,
        "class_position": str(s.class_position) if s.class_position else "",
        "class_gap": format_gap(s.class_gap) if s.class_position else "",
        "laps": str(s.laps),
        "total_time": format_lap(s.total_ms),
        "gap": format_gap(s.gap),
        "interval": format_gap(s.interval),
        "last_lap": format_lap(s.last_lap_ms),
        "best_lap": format_lap(s.best_lap_ms),
        "best_lap_number": "" if s.best_lap_number is None else str(s.best_lap_number),
        "best_speed": format_speed(s.best_speed),
        "laps_led": str(s.laps_led),
        "gained": "" if s.gained is None else f"{s.gained:+d}",
        "penalties": "; ".join(penalties),
        "pit_stops": str(s.pit_stops) if s.pit_stops else "",
        "laps_not_seen": str(sum(last - first + 1 for first, last in s.unseen_laps) or ""),
        "status": str(s.status),
    }


def class_results(engine: TimingEngine) -> dict[str, list[dict[str, str]]]:
    """Each class's cars in class order, as in :func:`result_rows`; empty without classes."""
    by_class: dict[str, list[dict[str, str]]] = {}
    for s in engine.standings():
        if s.car_class and s.class_position:
            by_class.setdefault(s.car_class, []).append(_row(s))
    return by_class


def session_header(engine: TimingEngine) -> dict[str, Any]:
    settings = engine.settings
    best = engine.session_best
    return {
        "session": settings.name,
        "kind": str(settings.kind),
        "track": settings.track_name,
        "track_length": settings.track_length,
        "length_unit": str(settings.length_unit),
        "speed_unit": settings.length_unit.speed_label,
        "clock": format_clock(engine.clock_ms),
        "flag": str(engine.flag) if engine.flag else "",
        "session_best": (
            {
                "car": engine.entries[best[0]].label,
                "lap": best[1].number,
                "time": format_lap(best[1].duration_ms),
            }
            if best
            else None
        ),
    }


def write_csv(engine: TimingEngine, out: IO[str]) -> None:
    writer = csv.DictWriter(out, fieldnames=RESULT_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(result_rows(engine))


def corrections(engine: TimingEngine) -> list[dict[str, Any]]:
    """The audit of corrections, in log order."""
    return [
        {
            "number": r.seq,
            "at": r.at,
            "operator": r.operator,
            "correction": r.action,
            "reason": r.reason,
            "in_force": r.in_force,
        }
        for r in audit_trail(engine)
    ]


def stages(engine: TimingEngine) -> list[dict[str, Any]]:
    return [
        {
            "stage": s.stage,
            "end_lap": s.end_lap,
            "over": s.ended_ms is not None,
            "order": [{"car": engine.entries[k].label, "laps": laps} for k, laps in s.order],
        }
        for s in stage_results(engine)
    ]


def read_csv(text: IO[str]) -> list[dict[str, str]]:
    """Rows of a results CSV as written by :func:`write_csv`."""
    reader = csv.DictReader(text)
    if reader.fieldnames != list(RESULT_COLUMNS):
        raise ValueError("not a timingboard results CSV (the columns differ)")
    return list(reader)


def write_json(engine: TimingEngine, out: IO[str]) -> None:
    document = {
        **session_header(engine),
        "results": result_rows(engine),
        "classes": class_results(engine),
        "stages": stages(engine),
        "corrections": corrections(engine),
    }
    json.dump(document, out, indent=2, ensure_ascii=False)
    out.write("\n")
