"""The corrections an operator asks for from a context menu: on a car (the leaderboard) or on a
passing (the passings log), each with its menu text.

The views emit these (``StrEnum``: the same text as before, so a saved test or a queued signal
that says ``"time_penalty"`` still means it); :class:`widgets.correction_flow.CorrectionFlow`
opens the dialog each one needs. Each is also a command of the window (Edit ▸ Selected car,
Edit ▸ Selected passing): its text is the action registry's, one text for both menus.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from timingboard.qt.action_registry import ACTIONS, ActionId


class CarAction(StrEnum):
    INSERT = "insert"
    TIME_PENALTY = "time_penalty"
    LAP_PENALTY = "lap_penalty"
    DISQUALIFY = "disqualify"
    RETIRE = "retire"
    PIT_IN = "pit_in"
    PIT_OUT = "pit_out"
    ASSIGN_TRANSPONDER = "assign_transponder"


CAR_ACTION_IDS: dict[CarAction, ActionId] = {  # in the menu's order (the registry's CAR_ITEMS)
    CarAction.INSERT: ActionId.CAR_INSERT,
    CarAction.TIME_PENALTY: ActionId.CAR_TIME_PENALTY,
    CarAction.LAP_PENALTY: ActionId.CAR_LAP_PENALTY,
    CarAction.DISQUALIFY: ActionId.CAR_DISQUALIFY,
    CarAction.RETIRE: ActionId.CAR_RETIRE,
    CarAction.PIT_IN: ActionId.CAR_PIT_IN,
    CarAction.PIT_OUT: ActionId.CAR_PIT_OUT,
    CarAction.ASSIGN_TRANSPONDER: ActionId.CAR_ASSIGN_TRANSPONDER,
}
CAR_MENU: dict[CarAction, str] = {a: ACTIONS[i].text for a, i in CAR_ACTION_IDS.items()}


class PassingAction(StrEnum):
    DELETE = "delete"
    INSERT_BEFORE = "insert_before"
    INSERT_AFTER = "insert_after"
    REASSIGN = "reassign"
    INVALIDATE = "invalidate"


PASSING_ACTION_IDS: dict[PassingAction, ActionId] = {  # the registry's PASSING_ITEMS
    PassingAction.DELETE: ActionId.PASSING_DELETE,  # one the board flagged: DOUBLE_READ_DELETE
    PassingAction.INSERT_BEFORE: ActionId.PASSING_INSERT_BEFORE,
    PassingAction.INSERT_AFTER: ActionId.PASSING_INSERT_AFTER,
    PassingAction.REASSIGN: ActionId.PASSING_REASSIGN,
    PassingAction.INVALIDATE: ActionId.PASSING_INVALIDATE,  # named once the lap is known
}
PASSING_MENU: dict[PassingAction, str] = {a: ACTIONS[i].text for a, i in PASSING_ACTION_IDS.items()}

# Only a passing the board flagged a double read is offered for deletion as one (a real lap
# deleted "as a double read" would log a false reason in the audit).
DOUBLE_READ_DELETE = "&Delete passing (double read)"
DOUBLE_READ_REASON = "double read"


def plain(text: str) -> str:
    """A menu text as read, without its mnemonic's "&"."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")


def with_mnemonic(text: str) -> str:
    """A text made elsewhere (the lap an invalidation names) given its first letter as its
    mnemonic, as the registry's text had ("&Invalidate this lap")."""
    return text if "&" in text else f"&{text}"


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
