"""The timing engine: pure Python, no Qt. A session's board is a function of its event log.

Outside this package, read the board through :class:`TimingEngine`'s reading methods (rows,
order, a car's laps, the lap of a passing, laps not seen, time remaining, …) and the names
exported here; the engine's other modules and its attributes are its own (import-linter keeps
the outer layers to the public modules: see pyproject.toml).

How a batch settles
-------------------
:meth:`TimingEngine.apply` takes a batch of logged events; :meth:`TimingEngine.from_log` takes
the whole log as one batch and marks everything to settle. :class:`TimingEngine` is built in
layers, one module each, each building on the ones before:

``state``      what is held (the attributes), and the few reads every layer needs.
``order``      each car's rank key, the board order it gives, the row moves between orders.
``ownership``  who a passing belongs to, after corrections; unknown cars come and go.
``finish``     the start (first green) and the finish (chequered, race laps, race time).
``intake``     each event into the state it belongs to; what it leaves goes in a ``Pending``.
``refresh``    the new order, which rows to read again, the :class:`BoardChange`.
``settle``     the walk below, from ``Pending`` to the published change.
``reading``    the read-only API for the outer layers (every name there only reads).
``engine``     :class:`TimingEngine`: building from the log, copying, applying a batch.

1. *Intake* (``Intake._take``): each event is logged and kept by kind (passing records, flags,
   competitors, reports, sector crossings, corrections). A passing after all of its car's
   others is added to the car's laps at once (``appended``, and ``latest`` or ``not_latest``);
   one that lands among its earlier crossings is ``retimed``. Everything else only marks
   ``Pending``: ``rebuild`` (a car's laps worked out again from all its passings),
   ``rebuild_all`` (settings or the green changed the rules), ``resolve_all`` (the entry list
   changed how passings find their car), ``scope_passings`` (passings a correction reached),
   ``corrections`` (fold the correction tables again), ``reregistered`` (an edited car came
   again), ``sectors`` and ``rekey``.
2. *Settle* (``Settling._settle``), in this order, each step feeding the next:
   the correction tables (``corrections``); the entries of edited cars (``reregistered``);
   owners of passings (``resolve_all``/``scope_passings`` -> ``rebuild``); the rules
   (``rebuild_all`` -> every car in ``rebuild``); the session's end in the rules (when it
   moves, the cars that crossed since are timed again: a crossing after the end counts for
   nothing); each car's laps (``rebuild``, then the lap
   leaders synced for ``rebuild | appended``, in full for ``retimed``); the finish (when it
   moves, the cars that crossed since are timed again); the laps whose time is not known
   (sets ``unknown_laps_changed``: who led those laps is then unknown); sector times
   (``sectors``); rank keys (the cars whose laps changed, plus ``rekey``); the session best.
3. *Publish* (``RowRefresh._publish``): the new order (one car moved into place when only its
   rank changed, else a full sort), the row operations, and the rows marked stale: the cars
   whose laps or rank changed, those whose position changed and the car below each; every row
   when the leader's lap moved everyone's gap (not when it came after every other crossing,
   ``latest``, in a race without time penalties), when the session's time zero moved, or after
   ``corrections``/``rebuild_all``/``resolve_all``/``ended`` (the session's end). Stale rows
   are built when first read.
"""

from timingboard.engine.car import Lap, PassingStatus
from timingboard.engine.engine import UNKNOWN_PREFIX, TimingEngine
from timingboard.engine.events import (
    AssignTransponder,
    BestReported,
    CompetitorSet,
    Correction,
    DeletePassing,
    Disqualify,
    EditEntry,
    EndSession,
    Event,
    Flag,
    FlagChanged,
    InsertPassing,
    InvalidateLap,
    LapPenalty,
    LapsReported,
    LogEntry,
    Passing,
    PitLane,
    PitMark,
    ReassignPassing,
    ResultsDeclared,
    Retire,
    Revert,
    SectorCrossing,
    SessionEnded,
    SettingsChanged,
    Source,
    TimePenalty,
)
from timingboard.engine.settings import LengthUnit, SessionKind, SessionSettings
from timingboard.engine.standings import BoardChange, CarStatus, Gap, RowOp, Standing
from timingboard.engine.validation import InvalidEvent

__all__ = [
    "UNKNOWN_PREFIX",
    "AssignTransponder",
    "BestReported",
    "BoardChange",
    "CarStatus",
    "CompetitorSet",
    "Correction",
    "DeletePassing",
    "Disqualify",
    "EditEntry",
    "EndSession",
    "Event",
    "Flag",
    "FlagChanged",
    "Gap",
    "InsertPassing",
    "InvalidEvent",
    "InvalidateLap",
    "Lap",
    "LapPenalty",
    "LapsReported",
    "LengthUnit",
    "LogEntry",
    "Passing",
    "PassingStatus",
    "PitLane",
    "PitMark",
    "ReassignPassing",
    "ResultsDeclared",
    "Retire",
    "Revert",
    "RowOp",
    "SectorCrossing",
    "SessionEnded",
    "SessionKind",
    "SessionSettings",
    "SettingsChanged",
    "Source",
    "Standing",
    "TimePenalty",
    "TimingEngine",
]
