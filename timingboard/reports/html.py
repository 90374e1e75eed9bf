"""Results as an HTML document: what the PDF is printed from, and a page in its own right.

Written for Qt's rich text as well as browsers: table widths and padding are attributes.
"""

from __future__ import annotations

from html import escape

from timingboard.engine.engine import TimingEngine
from timingboard.engine.stages import stage_results
from timingboard.reports.results import class_results, corrections, result_rows, session_header

Column = tuple[str, str, int]  # field, title, width in percent

RACE_COLUMNS: tuple[Column, ...] = (
    ("position", "Pos", 5),
    ("car", "Car", 5),
    ("driver", "Driver", 17),
    ("team", "Team", 14),
    ("laps", "Laps", 5),
    ("total_time", "Total", 9),
    ("gap", "Gap", 8),
    ("best_lap", "Best lap", 8),
    ("best_lap_number", "Lap", 4),
    ("best_speed", "Speed", 7),
    ("laps_led", "Led", 4),
    ("penalties", "Pen.", 6),
    ("status", "Status", 8),
)
BEST_LAP_COLUMNS: tuple[Column, ...] = (
    ("position", "Pos", 6),
    ("car", "Car", 6),
    ("driver", "Driver", 22),
    ("team", "Team", 20),
    ("laps", "Laps", 6),
    ("best_lap", "Best lap", 10),
    ("best_lap_number", "Lap", 5),
    ("gap", "Gap", 9),
    ("best_speed", "Speed", 8),
    ("penalties", "Pen.", 8),
)
AUDIT_COLUMNS: tuple[Column, ...] = (
    ("number", "#", 5),
    ("at", "When", 17),
    ("operator", "Operator", 12),
    ("correction", "Correction", 40),
    ("reason", "Reason", 17),
    ("state", "State", 9),
)
STAGE_COLUMNS: tuple[Column, ...] = (
    ("position", "Pos", 10),
    ("car", "Car", 10),
    ("driver", "Driver", 60),
    ("laps", "Laps", 20),
)
NUMERIC = {
    "position",
    "class_position",
    "class_gap",
    "laps",
    "total_time",
    "gap",
    "best_lap",
    "best_lap_number",
    "best_speed",
    "laps_led",
    "number",
}
STYLE = """
body { font-family: 'DejaVu Sans', Arial, sans-serif; font-size: 7pt; color: #111; }
h1 { font-size: 13pt; } h2 { font-size: 9pt; }
p.meta { color: #444; }
th { background-color: #222; color: #fff; }
"""


def results_html(engine: TimingEngine) -> str:
    header = session_header(engine)
    columns = RACE_COLUMNS if engine.settings.is_race else BEST_LAP_COLUMNS
    parts = [
        f"<html><head><meta charset='utf-8'><title>{escape(header['session'])}</title>",
        f"<style>{STYLE}</style></head><body>",
        f"<h1>{escape(header['session'])}</h1>",
        f"<p class='meta'>{escape(_meta(header))}</p>",
        "<h2>Classification</h2>",
        _table(columns, result_rows(engine)),
        *_classes(engine, columns),
        *_stages(engine),
        "<h2>Corrections</h2>",
    ]
    audit = corrections(engine)
    if audit:
        rows = [{**c, "state": "in force" if c["in_force"] else "undone"} for c in audit]
        parts.append(_table(AUDIT_COLUMNS, rows))
    else:
        parts.append("<p>None.</p>")
    parts.append("</body></html>")
    return "\n".join(parts)


def _classes(engine: TimingEngine, columns: tuple[Column, ...]) -> list[str]:
    """Each class on its own: position in class, and the gap to the class leader."""
    in_class = tuple(
        ("class_position", "PIC", width)
        if name == "position"
        else ("class_gap", "Gap", width)
        if name == "gap"
        else (name, title, width)
        for name, title, width in columns
    )
    parts = []
    for name, rows in class_results(engine).items():
        parts.append(f"<h2>Class {escape(name)}</h2>")
        parts.append(_table(in_class, rows))
    return parts


def _meta(header: dict) -> str:
    meta = [header["kind"].capitalize(), header["track"]]
    if header["track_length"]:
        meta.append(f"{header['track_length']:g} {header['length_unit']}")
    best = header["session_best"]
    if best:
        meta.append(f"session best {best['time']} by #{best['car']} on lap {best['lap']}")
    return " · ".join(m for m in meta if m)


def _stages(engine: TimingEngine) -> list[str]:
    parts = []
    for stage in stage_results(engine):
        parts.append(f"<h2>Stage {stage.stage} (lap {stage.end_lap})</h2>")
        if stage.ended_ms is None:
            parts.append("<p>Not over yet.</p>")
            continue
        rows = [
            {
                "position": str(i),
                "car": engine.entries[key].label,
                "driver": _driver(engine, key),
                "laps": str(laps),
            }
            for i, (key, laps) in enumerate(stage.order, start=1)
        ]
        parts.append(_table(STAGE_COLUMNS, rows))
    return parts


def _driver(engine: TimingEngine, key: str) -> str:
    competitor = engine.entries[key].competitor
    return competitor.driver if competitor else "(unknown car)"


def _table(columns: tuple[Column, ...], rows: list[dict]) -> str:
    def align(name: str) -> str:
        return "right" if name in NUMERIC else "left"

    head = "".join(
        f"<th width='{width}%' align='{align(name)}'>{escape(title)}</th>"
        for name, title, width in columns
    )
    body = "".join(
        "<tr>"
        + "".join(
            f"<td align='{align(name)}'>{escape(str(row.get(name, '')))}</td>"
            for name, _, _ in columns
        )
        + "</tr>"
        for row in rows
    )
    return f"<table width='100%' cellspacing='0' cellpadding='3'><tr>{head}</tr>{body}</table>"
