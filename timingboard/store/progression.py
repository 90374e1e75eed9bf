"""The next session(s) of an event, from the results of finished ones, with their grids.

Sessions of one event live in one folder; ``event.json`` there records which session was made
from which, and by what rule.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from timingboard.engine.engine import TimingEngine
from timingboard.engine.events import CompetitorSet
from timingboard.engine.lineups import LineupRequest, LineupRule, build
from timingboard.engine.settings import SessionKind, SessionSettings
from timingboard.store.names import slug
from timingboard.store.recorder import SessionRecorder
from timingboard.store.session_file import SessionFileError

MANIFEST = "event.json"


def finishing_order(engine: TimingEngine) -> list[str]:
    """Registered cars in board order (unknown cars have no place on a grid)."""
    return [key for key in engine.order() if key in engine.competitors]


def plan_next(
    sources: list[TimingEngine],
    request: LineupRequest,
    name: str,
    kind: SessionKind = SessionKind.RACE,
    race_laps: int | None = None,
) -> list[tuple[SessionSettings, list[CompetitorSet]]]:
    """Settings and grid-ordered competitors of each new session (one a heat for a split)."""
    grids = build(request, [finishing_order(engine) for engine in sources])
    first = sources[0].settings
    competitors = {key: c for engine in sources for key, c in engine.competitors.items()}
    plans = []
    for index, grid in enumerate(grids, start=1):
        title = f"{name} {index}" if len(grids) > 1 else name
        settings = dataclasses.replace(
            first,
            name=title,
            kind=kind,
            race_laps=race_laps,
            race_duration_ms=None,
            stage_laps=(),
        )
        field = [
            dataclasses.replace(competitors[key], grid=slot)
            for slot, key in enumerate(grid, start=1)
        ]
        plans.append((settings, field))
    return plans


def write_next(
    sources: list[tuple[Path, TimingEngine]],
    request: LineupRequest,
    name: str,
    folder: Path,
    kind: SessionKind = SessionKind.RACE,
    race_laps: int | None = None,
) -> list[Path]:
    """Create the new session files in ``folder`` and record them in its event manifest."""
    plans = plan_next([e for _, e in sources], request, name, kind, race_laps)
    paths = [folder / f"{slug(settings.name)}.tbs" for settings, _ in plans]
    for path in paths:
        if path.exists():
            raise SessionFileError(f"{path} already exists; choose another name")
    for path, (settings, field) in zip(paths, plans, strict=True):
        recorder = SessionRecorder.create(path, settings)
        recorder.submit(field)
        recorder.close()
    _record(folder, paths, [p for p, _ in sources], request)
    return paths


def _record(folder: Path, made: list[Path], sources: list[Path], request: LineupRequest) -> None:
    manifest = folder / MANIFEST
    try:
        event = json.loads(manifest.read_text()) if manifest.exists() else {"sessions": []}
    except (OSError, ValueError):
        event = {"sessions": []}
    for path in made:
        event["sessions"].append(
            {
                "file": path.name,
                "made_from": [s.name for s in sources],
                "rule": request.describe(),
            }
        )
    manifest.write_text(json.dumps(event, indent=2) + "\n")


def parse_rule(text: str) -> LineupRequest:
    """``straight``, ``split:4``, ``invert:8`` or ``transfer:4``."""
    rule, _, count = text.partition(":")
    try:
        request = LineupRequest(LineupRule(rule), int(count) if count else 0)
    except ValueError:
        raise ValueError(
            f"{text!r} is not a rule: straight, split:N, invert:N or transfer:N"
        ) from None
    if request.rule is not LineupRule.STRAIGHT and request.count < 1:
        raise ValueError(f"{rule} needs a number, as in {rule}:4")
    return request
