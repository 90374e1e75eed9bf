"""The corrections an operator asks for from a context menu: on a car (the leaderboard) or on a
passing (the passings log), each with its menu text.

The views emit these (``StrEnum``: the same text as before, so a saved test or a queued signal
that says ``"time_penalty"`` still means it); :class:`widgets.correction_flow.CorrectionFlow`
opens the dialog each one needs.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol


class CarAction(StrEnum):
    INSERT = "insert"
    TIME_PENALTY = "time_penalty"
    LAP_PENALTY = "lap_penalty"
    DISQUALIFY = "disqualify"
    RETIRE = "retire"
    PIT_IN = "pit_in"
    PIT_OUT = "pit_out"
    ASSIGN_TRANSPONDER = "assign_transponder"


CAR_MENU: dict[CarAction, str] = {  # in the menu's order
    CarAction.INSERT: "Insert a missed lap…",
    CarAction.TIME_PENALTY: "Time penalty…",
    CarAction.LAP_PENALTY: "Lap penalty…",
    CarAction.DISQUALIFY: "Disqualify…",
    CarAction.RETIRE: "Retire (DNF)…",
    CarAction.PIT_IN: "Into the pit lane now",
    CarAction.PIT_OUT: "Out of the pit lane now",
    CarAction.ASSIGN_TRANSPONDER: "Assign this transponder to a car…",
}


class PassingAction(StrEnum):
    DELETE = "delete"
    INSERT_BEFORE = "insert_before"
    INSERT_AFTER = "insert_after"
    REASSIGN = "reassign"
    INVALIDATE = "invalidate"


PASSING_MENU: dict[PassingAction, str] = {
    PassingAction.DELETE: "Delete passing…",  # a passing the board flagged: DOUBLE_READ_DELETE
    PassingAction.INSERT_BEFORE: "Insert a missed passing before…",
    PassingAction.INSERT_AFTER: "Insert a missed passing after…",
    PassingAction.REASSIGN: "Reassign to another car…",
    PassingAction.INVALIDATE: "Invalidate this lap",  # named once the lap is known
}

# Only a passing the board flagged a double read is offered for deletion as one (a real lap
# deleted "as a double read" would log a false reason in the audit).
DOUBLE_READ_DELETE = "Delete passing (double read)"
DOUBLE_READ_REASON = "double read"


class _Named(Protocol):
    @property
    def name(self) -> str: ...


@dataclass(frozen=True)
class Offered:
    """The session a correction's menu was offered on: what is asked from it goes into that
    session only (a menu left open over a long File ▸ Open corrected the session shown next:
    its passing #8, or another car's). The session is held weakly: a menu left open keeps no
    session alive."""

    name: str
    _session: Callable[[], object | None]

    @classmethod
    def on(cls, session: _Named) -> Offered:
        return cls(session.name, weakref.ref(session))

    def is_for(self, session: object) -> bool:
        return self._session() is session
