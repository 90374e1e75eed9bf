"""Stage results: a race's order at set laps, each car classified as it crossed after the leader.

A stage ends when the leader completes the stage's last lap; every other car is classified at its
next crossing, like at a finish, and ranked by laps then by who crossed first.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from timingboard.engine.engine import TimingEngine


@dataclass(frozen=True, slots=True)
class StageResult:
    stage: int
    end_lap: int
    ended_ms: int | None  # when the leader completed the stage; None while it is not over
    order: list[tuple[str, int]]  # (key, laps at the stage's end)


def stage_results(engine: TimingEngine) -> list[StageResult]:
    results = []
    for number, end_lap in enumerate(engine.settings.stage_laps, start=1):
        ended = engine.leaders.first_time(end_lap)
        if ended is None:
            results.append(StageResult(number, end_lap, None, []))
            continue
        ranked = []
        for key in engine.board_order:
            entry = engine.entries[key]
            if key in engine.tables.disqualified or not entry.timing.lap_times:
                continue
            lap_times = entry.timing.lap_times
            index = bisect.bisect_left(lap_times, ended)  # first crossing at or after the end
            if index < len(lap_times):
                ranked.append((-(index + 1), lap_times[index], key))
            else:
                ranked.append((-len(lap_times), lap_times[-1], key))
        ranked.sort()
        order = [(key, -laps) for laps, _, key in ranked]
        results.append(StageResult(number, end_lap, ended, order))
    return results
