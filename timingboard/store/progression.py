"""The next session(s) of an event, from the results of finished ones, with their grids.

Sessions of one event live in one folder; ``event.json`` there records which session was made
from which, and by what rule.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from timingboard.engine.engine import TimingEngine
from timingboard.engine.events import CompetitorSet
from timingboard.engine.lineups import LineupRequest, LineupRule, build, misfit
from timingboard.engine.settings import SessionKind, SessionSettings
from timingboard.store.atomic import EVENT_RECORD, new_files, refuse_unsafe_output, write_text
from timingboard.store.names import slug
from timingboard.store.recorder import SessionRecorder
from timingboard.store.session_file import SessionFileError

MANIFEST = EVENT_RECORD


def finishing_order(engine: TimingEngine) -> list[str]:
    """Registered cars in board order (unknown cars have no place on a grid)."""
    return [key for key in engine.order() if engine.is_entered(key)]


def session_names(name: str, sessions: int) -> list[str]:
    """``Heat 1``, ``Heat 2``… for a split's heats; the name as it is for one session."""
    return [f"{name} {index}" for index in range(1, sessions + 1)] if sessions > 1 else [name]


def file_name(session_name: str) -> str:
    """``heat-1.tbs``: where a new session of the event is written, named after it."""
    return f"{slug(session_name)}.tbs"


def plan_next(
    sources: list[TimingEngine],
    request: LineupRequest,
    name: str,
    kind: SessionKind = SessionKind.RACE,
    race_laps: int | None = None,
) -> list[tuple[SessionSettings, list[CompetitorSet]]]:
    """Settings and grid-ordered competitors of each new session (one a heat for a split);
    a request the field cannot fill (more heats than cars) is a ValueError saying why."""
    orders = [finishing_order(engine) for engine in sources]
    refused = misfit(request, max((len(order) for order in orders), default=0))
    if refused:
        raise ValueError(refused)
    grids = build(request, orders)
    first = sources[0].settings
    competitors = {key: c for engine in sources for key, c in engine.entry_list().items()}
    plans = []
    for title, grid in zip(session_names(name, len(grids)), grids, strict=True):
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
    origins: Sequence[float] | None = None,
) -> list[Path]:
    """Create the new session files in ``folder`` and record them in its event manifest.

    ``origins``: each new session's time zero (epoch seconds), when it is known to be later
    than now (the demo's heats, run one after another); else it is now, when the file is made
    (:meth:`SessionFile.create`)."""
    plans = plan_next([e for _, e in sources], request, name, kind, race_laps)
    zeros: list[float | None] = list(origins) if origins is not None else [None] * len(plans)
    if len(zeros) != len(plans):
        raise ValueError(f"{len(zeros)} time zeros for {len(plans)} sessions")
    paths = [folder / file_name(settings.name) for settings, _ in plans]
    for path in paths:
        if path.exists():
            raise SessionFileError(f"{path} already exists; choose another name")
    read = [p for p, _ in sources]
    manifest = folder / MANIFEST
    refuse_unsafe_output(manifest, read, event_record=True)
    event = read_manifest(manifest)  # checked before anything is written
    with new_files(paths, reads=read) as temps:
        for temp, (settings, field), origin in zip(temps, plans, zeros, strict=True):
            recorder = SessionRecorder.create(temp, settings, origin)
            try:
                recorder.submit(field)
            finally:
                recorder.close()
    _record(manifest, event, paths, read, request)
    return paths


def read_manifest(manifest: Path) -> dict[str, Any]:
    """The event's record of its sessions; one that is not as timingboard writes it is refused
    (it is never replaced: it holds earlier sessions' records)."""
    if not manifest.exists():
        return {"sessions": []}
    try:
        event = json.loads(manifest.read_bytes().decode("utf-8"))
    except OSError as exc:
        raise SessionFileError(f"cannot read {manifest}: {exc.strerror or exc}") from None
    except ValueError as exc:
        raise SessionFileError(
            f"{manifest} is not valid JSON ({exc}); nothing was written: fix or move it"
        ) from None
    sessions = event.get("sessions") if isinstance(event, dict) else None
    if not isinstance(sessions, list) or not all(
        isinstance(item, dict)
        and isinstance(item.get("file"), str)
        and isinstance(item.get("made_from", []), list)
        for item in sessions
    ):
        raise SessionFileError(
            f'{manifest} is not a timingboard event record (it needs a "sessions" list of '
            '{"file": …} entries); nothing was written: fix or move it'
        )
    return event


def recorded_source(folder: Path, source: Path) -> str:
    """How ``event.json`` in ``folder`` names a session a new one was made from: relative to
    the event folder when it is in it (``q.tbs``), else its full path (an earlier session of
    another folder, or of the demo's, which goes at exit), so the Event view can find it."""
    where = source.resolve()
    try:
        return where.relative_to(folder.resolve()).as_posix()
    except ValueError:
        return str(where)


def source_path(folder: Path, recorded: str) -> Path:
    """Where a ``made_from`` name of ``event.json`` in ``folder`` is (see recorded_source)."""
    return Path(folder) / recorded  # an absolute one stays as it is


def _record(
    manifest: Path,
    event: dict[str, Any],
    made: list[Path],
    sources: list[Path],
    request: LineupRequest,
) -> None:
    for path in made:
        event["sessions"].append(
            {
                "file": path.name,
                "made_from": [recorded_source(manifest.parent, s) for s in sources],
                "rule": request.describe(),
            }
        )
    write_text(manifest, json.dumps(event, indent=2) + "\n", reads=sources, event_record=True)


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
        raise ValueError(f"{rule} needs a number of 1 or more, as in {rule}:4")
    return request
