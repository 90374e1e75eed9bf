"""Passings typed by an operator: a car number and Enter as the car crosses."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from timingboard.engine.car import PassingStatus
from timingboard.engine.events import CompetitorSet, Flag, FlagChanged, Passing, Source
from timingboard.qt.session_controller import SessionController
from timingboard.store.entry_list import in_number_order
from timingboard.text.typed_passing import (
    EntryOutcome,
    EntryResult,
    check_car_number,
    judge_typed,
)


class ManualEntry(QObject):
    """Turns what the operator types into passings and flags, stamped with the session clock.

    Signals
    -------
    entry_made(EntryResult)
        After every attempt, recorded or not, so the panel can say what happened.
    entry_rejudged(EntryResult)
        The last passing typed counts otherwise now (a crossing logged later came before it:
        what was lap 2 is a double read): what it is now.
    cars_changed()
        The registered cars changed (or another session was loaded).
    session_shown()
        Another session (or the same one afresh) is shown: what was said of the last is moot.
    refused(str)
        A typed passing or a flag was refused because a timing system times the session: why.
    """

    entry_made = Signal(EntryResult)
    entry_rejudged = Signal(EntryResult)
    cars_changed = Signal()
    session_shown = Signal()
    refused = Signal(str)

    def __init__(self, controller: SessionController, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._controller = controller
        self._last: EntryResult | None = None  # the last passing typed, as last told
        self._last_id = 0
        self._last_status = PassingStatus.LAP
        controller.board_changed.connect(self._on_controller_board_changed)
        controller.session_reset.connect(self._on_controller_session_reset)

    def _on_controller_board_changed(self, change: object) -> None:
        if getattr(change, "competitors_changed", False):
            self.cars_changed.emit()
        last = self._last
        if (
            last is not None
            and self._last_id in getattr(change, "passings_touched", ())
            and self._controller.engine.passing_status(self._last_id) is not self._last_status
        ):
            self._last = self._judge(self._last_id, last.car, last.time_ms or 0)
            self.entry_rejudged.emit(self._last)

    def _on_controller_session_reset(self) -> None:
        self._last = None
        self.cars_changed.emit()
        self.session_shown.emit()

    def car_labels(self) -> list[tuple[str, str]]:
        """(car number, driver) of every registered car, in car-number order."""
        cars = in_number_order(self._controller.engine.entry_list().values())
        return [(c.car, c.driver) for c in cars]

    def has_entry_list(self) -> bool:
        """Cars were registered with names (an entry list), not only numbers typed in by hand."""
        return any(
            c.driver or c.team or c.transponders or c.grid is not None
            for c in self._controller.engine.entry_list().values()
        )

    def known_cars(self) -> dict[str, str]:
        """Car number to registration key of every car in the session."""
        engine = self._controller.engine
        return {c.car: key for key, c in engine.entry_list().items()}

    def enter(self, text: str, accept_new: bool = False) -> EntryResult:
        """Record a crossing for car ``text`` now; an unknown number needs ``accept_new``."""
        car = text.strip()
        refusal = self.refusal()
        if refusal is not None:
            refused = EntryResult(EntryOutcome.INVALID, car, refusal)
            self.refused.emit(refusal)
            self.entry_made.emit(refused)
            return refused
        result = check_car_number(car)
        if result is None and car not in self.known_cars():
            if not accept_new and self.has_entry_list():
                result = EntryResult(
                    EntryOutcome.UNKNOWN,
                    car,
                    f"{car}? NOT ON THE ENTRY LIST — Enter again to add it, Esc to fix it.",
                    loud=True,
                )
            elif not accept_new:
                result = EntryResult(
                    EntryOutcome.UNKNOWN,
                    car,
                    f"Car {car} is not in this session. Enter again to add it, Esc to correct.",
                )
            elif not self._controller.submit([CompetitorSet(key=car, car=car)]):
                result = EntryResult(EntryOutcome.INVALID, car, f"Car {car} could not be added.")
        if result is None:
            result = self._record(car)
        self.entry_made.emit(result)
        return result

    def refusal(self) -> str | None:
        """Why nothing typed is taken now (a timing system times the session), or None."""
        producer = self._controller.producer
        return producer.hand_timing_refusal() if producer is not None else None

    def throw_flag(self, flag: Flag) -> bool:
        refusal = self.refusal()
        if refusal is not None:
            self.refused.emit(refusal)
            return False
        return self._controller.submit(
            [FlagChanged(time_ms=self._controller.stamp_ms(), flag=flag)]
        )

    def _record(self, car: str) -> EntryResult:
        time_ms = self._controller.stamp_ms()
        key = self.known_cars().get(car, car)
        if not self._controller.submit([Passing(time_ms=time_ms, key=key, source=Source.MANUAL)]):
            return EntryResult(EntryOutcome.INVALID, car, f"Car {car}: the passing was refused.")
        self._last_id = self._controller.engine.seq  # the passing just logged is the latest
        self._last = self._judge(self._last_id, car, time_ms)
        return self._last

    def _judge(self, passing_id: int, car: str, time_ms: int) -> EntryResult:
        engine = self._controller.engine
        self._last_status = engine.passing_status(passing_id)
        return judge_typed(engine, passing_id, car, time_ms, self.known_cars().get(car, car))
