"""The classification of a session as rows of text and as CSV or JSON."""

from __future__ import annotations

import csv
import json
from typing import IO, Any

from timingboard.engine.audit import audit_trail
from timingboard.engine.engine import TimingEngine
from timingboard.engine.flag_shown import shown_flag
from timingboard.engine.formatting import format_clock, format_lap
from timingboard.engine.session_end import board_clock_ms, board_moment_ms
from timingboard.engine.stages import stage_results
from timingboard.feeds.live_json import remaining_text
from timingboard.reports.sheet import RESULT_FIELDS, ResultsSheet, build_sheet

RESULT_COLUMNS: tuple[str, ...] = RESULT_FIELDS
JSON_FORMAT = "timingboard-results"
JSON_VERSION = 1

Source = TimingEngine | ResultsSheet


def sheet_of(source: Source) -> ResultsSheet:
    """The sheet itself, or the sheet of an engine's session with no more to say about it."""
    return source if isinstance(source, ResultsSheet) else build_sheet(source)


def result_rows(source: Source) -> list[dict[str, str]]:
    """One dict of formatted fields a car: the classification, then the cars not classified."""
    return [dict(row) for row in sheet_of(source).results]


def class_results(source: Source) -> dict[str, list[dict[str, str]]]:
    """Each class's classified cars in class order, as in :func:`result_rows`."""
    by_class: dict[str, list[dict[str, str]]] = {}
    for row in result_rows(source):
        if row["class"] and row["class_position"]:
            by_class.setdefault(row["class"], []).append(row)
    return by_class


def session_header(engine: TimingEngine) -> dict[str, Any]:
    settings = engine.settings
    best = engine.session_best_lap()
    moment = board_moment_ms(engine)
    flag = shown_flag(engine, moment)
    return {
        "session": settings.name,
        "kind": str(settings.kind),
        "track": settings.track_name,
        "track_length": settings.track_length,
        "length_unit": str(settings.length_unit),
        "speed_unit": settings.length_unit.speed_label,
        # what the board shows once the file is done: its clock (standing at the finish), the
        # flag out (checkered from the distance) and what remains ("Finished", "Checkered")
        "clock": format_clock(board_clock_ms(engine, moment)),
        "flag": str(flag) if flag else "",
        "remaining": remaining_text(engine, moment)[0],
        "session_best": (
            {
                "car": engine.car_label(best[0]),
                "lap": best[1].number,
                "time": format_lap(best[1].duration_ms),
            }
            if best
            else None
        ),
    }


def write_csv(source: Source, out: IO[str]) -> None:
    """The classification as a spreadsheet: one row a car, the fields of :data:`RESULT_COLUMNS`."""
    writer = csv.DictWriter(out, fieldnames=RESULT_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(result_rows(source))


def corrections(engine: TimingEngine) -> list[dict[str, Any]]:
    """The audit of corrections, in log order: ``number`` the event's in the log (as ever),
    ``ordinal`` the "#" the Corrections tab and the sheet show (1, 2, 3 in the order made; what
    "Undo #2" in a correction's words names)."""
    return [
        {
            "number": r.seq,
            "ordinal": r.number,
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
            "order": [{"car": engine.car_label(k), "laps": laps} for k, laps in s.order],
        }
        for s in stage_results(engine)
    ]


def read_csv(text: IO[str]) -> list[dict[str, str]]:
    """Rows of a results CSV as written by :func:`write_csv`."""
    reader = csv.DictReader(text)
    if reader.fieldnames != list(RESULT_COLUMNS):
        raise ValueError("not a timingboard results CSV (the columns differ)")
    return list(reader)


def json_document(source: Source, engine: TimingEngine | None = None) -> dict[str, Any]:
    """The machine-readable result (docs/results-json.md): the sheet, section by section."""
    sheet = sheet_of(source)
    if engine is None and isinstance(source, TimingEngine):
        engine = source
    document: dict[str, Any] = {
        "format": JSON_FORMAT,
        "version": JSON_VERSION,
        **(session_header(engine) if engine is not None else {"session": sheet.header["session"]}),
        "header": sheet.header,
        "status": {
            "status": sheet.status.word,
            "official": sheet.status.official,
            "declared_by": sheet.status.declared_by,
            "declared_at": sheet.status.declared_at,
            "amendments": sheet.status.amendments,
            "line": sheet.status.line,
        },
        "signatures": list(sheet.signatures),
        "results": result_rows(sheet),
        "sections": [
            {
                "key": section.key,
                "title": section.title,
                "note": section.note,
                "columns": [{"field": c.field, "title": c.title} for c in section.columns],
                "rows": section.rows,
            }
            for section in sheet.sections
        ],
    }
    if sheet.status.as_at and "clock" in document:  # the standings at a moment: its clock
        document["clock"] = sheet.status.as_at  # (it read the end's, beside "STANDINGS AT")
    if engine is not None:
        document["classes"] = class_results(sheet)
        document["stages"] = stages(engine)
        document["corrections"] = corrections(engine)
    return document


def write_json(source: Source, out: IO[str], engine: TimingEngine | None = None) -> None:
    json.dump(json_document(source, engine), out, indent=2, ensure_ascii=False)
    out.write("\n")
