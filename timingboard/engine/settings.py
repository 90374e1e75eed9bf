"""A session's settings: what kind of session, where, and by which rules it is timed."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class SessionKind(StrEnum):
    PRACTICE = "practice"
    QUALIFYING = "qualifying"
    RACE = "race"


class LengthUnit(StrEnum):
    MILES = "mi"
    KILOMETRES = "km"

    @property
    def speed_label(self) -> str:
        return "mph" if self is LengthUnit.MILES else "km/h"


NEW_SESSION_MIN_LAP_MS = 5000
"""The shortest lap a session made here starts with (File ▸ New session and ``timingboard new``
alike): a car typed twice a second apart is a double read, not a 1 s lap. A session read from a
timing system keeps its own (0: the timing system already filtered its reads)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class SessionSettings:
    """Rules of one session.

    ``first_crossing_completes_lap``: after the green, does a car's first crossing complete lap 1
    (timed from the green, as at a standing start behind the line) or only start its clock?
    """

    name: str
    kind: SessionKind = SessionKind.RACE
    track_name: str = ""
    track_length: float = 0.0
    length_unit: LengthUnit = LengthUnit.MILES
    race_laps: int | None = None
    race_duration_ms: int | None = None
    min_lap_ms: int = 0
    first_crossing_completes_lap: bool = False
    stage_laps: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        # Kind and unit are enums whatever hands them in: a plain "race" (as QComboBox.currentData,
        # JSON or a command line give it) would otherwise rank a race as qualifying.
        object.__setattr__(self, "kind", SessionKind(self.kind))
        object.__setattr__(self, "length_unit", LengthUnit(self.length_unit))

    @property
    def is_race(self) -> bool:
        return self.kind is SessionKind.RACE

    def speed(self, lap_ms: int | None) -> float | None:
        """Average speed over a lap of ``lap_ms``, in mph or km/h; None if it cannot be known."""
        if not lap_ms or lap_ms <= 0 or self.track_length <= 0:
            return None
        return self.track_length * 3_600_000 / lap_ms
