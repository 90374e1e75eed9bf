"""The timing engine: pure Python, no Qt. A session's board is a function of its event log."""

from timingboard.engine.car import Lap, PassingStatus
from timingboard.engine.engine import UNKNOWN_PREFIX, TimingEngine
from timingboard.engine.events import (
    CompetitorSet,
    Correction,
    DeletePassing,
    Disqualify,
    Event,
    Flag,
    FlagChanged,
    InsertPassing,
    InvalidateLap,
    LapPenalty,
    LogEntry,
    Passing,
    ReassignPassing,
    Retire,
    Revert,
    SettingsChanged,
    Source,
    TimePenalty,
)
from timingboard.engine.settings import LengthUnit, SessionKind, SessionSettings
from timingboard.engine.standings import BoardChange, CarStatus, Gap, RowOp, Standing
from timingboard.engine.validation import InvalidEvent

__all__ = [
    "UNKNOWN_PREFIX",
    "BoardChange",
    "CarStatus",
    "CompetitorSet",
    "Correction",
    "DeletePassing",
    "Disqualify",
    "Event",
    "Flag",
    "FlagChanged",
    "Gap",
    "InsertPassing",
    "InvalidEvent",
    "InvalidateLap",
    "Lap",
    "LapPenalty",
    "LengthUnit",
    "LogEntry",
    "Passing",
    "PassingStatus",
    "ReassignPassing",
    "Retire",
    "Revert",
    "RowOp",
    "SessionKind",
    "SessionSettings",
    "SettingsChanged",
    "Source",
    "Standing",
    "TimePenalty",
    "TimingEngine",
]
