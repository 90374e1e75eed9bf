"""The benchmarks' seeded workloads: named by key, and the timed race with classes and pit stops
is one the engine scores as such."""

from __future__ import annotations

from collections import Counter

import pytest

from timingboard.demo.endurance import (
    HOUR_MS,
    SCALE_WORKLOADS,
    WORKLOADS,
    CarClass,
    Workload,
    generate,
    workload_keys,
    workload_named,
)
from timingboard.engine import LogEntry, PitLane, TimingEngine
from timingboard.engine.standings import CarStatus


def test_every_workload_has_its_own_key() -> None:
    keys = workload_keys()
    assert len(set(keys)) == len(keys) == len(WORKLOADS) + len(SCALE_WORKLOADS)
    assert workload_named("200x600").cars == 200
    with pytest.raises(ValueError, match="24h-classes"):
        workload_named("nope")


def test_a_timed_race_with_classes_and_pit_stops() -> None:
    classes = (CarClass("Prototype", 4, 1.0), CarClass("GT", 4, 1.15))
    workload = Workload(
        "2 h", 8, 400, 60_000, 2.0, classes=classes, duration_ms=2 * HOUR_MS, stint_laps=20
    )
    settings, events = generate(workload, seed=2)
    assert settings.race_duration_ms == 2 * HOUR_MS and settings.race_laps is None
    engine = TimingEngine.from_log(settings, [LogEntry(i, e) for i, e in enumerate(events, 1)])
    rows = engine.standings()
    assert {row.status for row in rows} == {CarStatus.FINISHED}  # each took the checkered
    assert [row.car_class for row in rows[:4]] == ["Prototype"] * 4  # the faster class leads
    assert all(row.laps < rows[0].laps for row in rows if row.car_class == "GT")
    stops = Counter(e.key for e in events if isinstance(e, PitLane) and e.entered)
    assert all(row.pit_stops == stops[row.key] > 0 for row in rows)
