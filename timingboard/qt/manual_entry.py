"""Passings typed by an operator: a car number and Enter as the car crosses."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from timingboard.engine.events import CompetitorSet, Event, Flag, FlagChanged, Passing, Source
from timingboard.engine.formatting import FLAG_NAMES
from timingboard.qt import session_clock
from timingboard.qt.action_registry import FLAG_KEYS
from timingboard.qt.session_controller import SessionController
from timingboard.store.entry_list import in_number_order
from timingboard.text.opening_text import (
    OPENING_STATUS,
    opening_flag_refusal,
    opening_flag_status,
    opening_refusal,
)
from timingboard.text.session_text import (
    branched_refusal,
    branched_status,
    finished_crossing_refusal,
    finished_crossing_status,
    finished_flag_refusal,
    finished_flag_status,
    moment_text,
    recorded_refusal,
    recorded_status,
)
from timingboard.text.typed_passing import (
    EntryOutcome,
    EntryResult,
    check_car_number,
    judge_typed,
)


def unknown_number_text(car: str, time_ms: int, start_ms: int | None) -> str:
    """The loud warning for a number not on the entry list (the longest thing the panel says:
    its room is sized for it, see :class:`widgets.entry_panel.EntryPanel`); its time on the
    header's clock (:func:`moment_text`)."""
    return (
        f"{car}? NOT ON THE ENTRY LIST — Enter again to add it (crossed "
        f"{moment_text(start_ms, time_ms)}), Esc to retype the number."
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
        A typed passing or a flag was refused (a timing system times the session, it is being
        opened, it is a record of the past, or it is finished: ended, or its results
        official): why, in the status bar's words
        (:meth:`status_refusal`; the Entry panel says it at length, :meth:`refusal`).
    opening_changed()
        A session began being opened, or the open ended (:meth:`hold_for_opening`): nothing
        typed is taken meanwhile (:meth:`refusal`).
    refusal_lifted()
        After a refusal, the timing system let the session go (Feed ▸ Disconnect), or the
        end of a session finished was undone (Ctrl+Z of End session): typed numbers are taken
        again, and what was said of the refusal is moot.
    finished_began()
        The session shown became finished as it was watched (Flag ▸ End session…, its redo,
        its results declared official): typed numbers are refused from now on, to be said
        before one is typed (:meth:`finished_refusal`), as a session opened finished says it.
    hold_changed()
        A crossing was held for an unknown number, or one held was logged, set aside to be
        retyped or dropped (:meth:`held`, :meth:`retyping`).
    """

    entry_made = Signal(EntryResult)
    entry_rejudged = Signal(EntryResult)
    cars_changed = Signal()
    session_shown = Signal()
    refused = Signal(str)
    refusal_lifted = Signal()
    finished_began = Signal()
    hold_changed = Signal()
    opening_changed = Signal()

    def __init__(self, controller: SessionController, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._controller = controller
        self._last: EntryResult | None = None  # the last passing typed, as last told
        self._last_id = 0
        self._held: dict[str, int] = {}  # unknown numbers typed once: when each car crossed
        self._retyping: tuple[str, int] | None = None  # a held crossing, its number retyped
        controller.board_changed.connect(self._on_controller_board_changed)
        controller.session_reset.connect(self._on_controller_session_reset)
        controller.producer_changed.connect(self._on_controller_producer_changed)
        self._refused_since = False  # a refusal was told, and nothing since lifted it
        self._opening: str | None = None  # why nothing is taken while a session is opened
        # how the session shown is finished, as the panel was last told (from the start, a
        # session opened ended or official; or as it ended, was redone or declared): the
        # end undone lifts it (refusal_lifted), a new end says it (finished_began)
        self._finished_told = self._finished(None)
        self.refused.connect(self._on_self_refused)

    def _on_self_refused(self, _why: str) -> None:
        self._refused_since = True

    def _on_controller_producer_changed(self, *_: object) -> None:
        if self._refused_since and self.refusal() is None:
            self._refused_since = False
            self.refusal_lifted.emit()

    def _on_controller_board_changed(self, change: object) -> None:
        if getattr(change, "competitors_changed", False):
            self.cars_changed.emit()
        how = self._finished(None)
        if how != self._finished_told:
            self._finished_told = how
            if how is not None:  # ended, its end redone, or its results declared
                self.finished_began.emit()
            elif self.refusal() is None:  # the end undone
                self.refusal_lifted.emit()
        last = self._last
        if last is not None and self._last_id in getattr(change, "passings_touched", ()):
            # a correction of the car (its status, or the lap it now completes: a missed lap
            # inserted before it) is told as it now stands
            judged = self._judge(self._last_id, last.car, last.time_ms or 0)
            if judged != last:
                self._last = judged
                self.entry_rejudged.emit(judged)

    def _on_controller_session_reset(self) -> None:
        self._last = None
        self._finished_told = self._finished(None)  # said as it is shown
        if self._held or self._retyping is not None:
            self._held, self._retyping = {}, None  # the crossings of the session left
            self.hold_changed.emit()
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
        """Record a crossing for car ``text``, stamped as Enter is pressed.

        Without an entry list a new number is a new car at once (the operator is naming the
        field as it crosses). With one, an unknown number is likely a typo: its crossing is
        held with the time of this Enter until the number is typed again (logged at that
        time, the car added) or retyped after Esc (:meth:`set_aside`); another number typed
        meanwhile is logged on its own and the held crossing stays held (:meth:`held`).
        ``accept_new`` adds an unknown number without holding it.
        """
        car = text.strip()
        refusal = self.refusal()
        held = self._retyping is not None or car in self._held
        if refusal is not None and refusal == self.finished_refusal() and held:
            refusal = None  # it crossed before the end (held since): logged at its time
        if refusal is not None:
            refused = EntryResult(EntryOutcome.INVALID, car, refusal)
            self.refused.emit(self.status_refusal() or refusal)
            self.entry_made.emit(refused)
            return refused
        time_ms = self._controller.stamp_ms()  # the crossing is now, whatever is said of it
        result = check_car_number(car)
        confirmed = False
        if result is None:
            time_ms, confirmed = self._crossing_time(car, time_ms)
        if result is None and car not in self.known_cars():
            if not (accept_new or confirmed) and self.has_entry_list():
                self._held[car] = time_ms
                self.hold_changed.emit()
                result = EntryResult(
                    EntryOutcome.UNKNOWN,
                    car,
                    unknown_number_text(car, time_ms, self.start_ms()),
                    time_ms,
                    loud=True,
                )
            else:  # the car and its passing in one batch: a refused passing adds no car
                result = self._record(car, time_ms, added=True)
        if result is None:
            result = self._record(car, time_ms)
        self.entry_made.emit(result)
        return result

    def start_ms(self) -> int | None:
        """The session's green (None before it): what the header's clock counts from, and so
        the times said of typed crossings (:func:`moment_text`)."""
        return self._controller.engine.start_ms

    def held(self) -> list[tuple[str, int]]:
        """(number as typed, crossing time) of each crossing held for an unknown number."""
        return list(self._held.items())

    def pending(self) -> list[tuple[str, int]]:
        """Every crossing not logged yet: those held and the one being retyped (as typed), in
        the order they crossed."""
        waiting = self.held() + ([self._retyping] if self._retyping is not None else [])
        return sorted(waiting, key=lambda crossing: crossing[1])

    def log_pending(self) -> list[EntryResult]:
        """Each crossing not logged yet logged at its time, its number added as a car (the
        operator said so: the session is being left)."""
        waiting = self.pending()
        self._held, self._retyping = dict(waiting), None
        return [self.enter(car) for car, _ms in waiting]  # typed again: added, at its time

    def drop_pending(self) -> None:
        """The crossings not logged yet let go (the operator said so)."""
        if self._held or self._retyping is not None:
            self._held, self._retyping = {}, None
            self.hold_changed.emit()

    def retyping(self) -> tuple[str, int] | None:
        """The held crossing whose number is being retyped (after Esc), or None."""
        return self._retyping

    def set_aside(self) -> str | None:
        """Esc: the latest held crossing is retyped (the next number typed is logged at its
        time); Esc while retyping drops it, and says so. None: nothing was held."""
        if self._retyping is not None:
            car, time_ms = self._retyping
            self._retyping = None
            self.hold_changed.emit()
            at = moment_text(self.start_ms(), time_ms)
            return f"Dropped the crossing typed as {car} at {at}."
        if not self._held:
            return None
        car = next(reversed(self._held))
        self._retyping = (car, self._held.pop(car))
        self.hold_changed.emit()
        at = moment_text(self.start_ms(), self._retyping[1])
        return (
            f"Type the right number for the crossing at {at} (typed as {car}), then Enter. "
            "Esc again drops it."
        )

    def _crossing_time(self, car: str, now_ms: int) -> tuple[int, bool]:
        """When the car typed crossed: now, the crossing being retyped, or the first Enter of a
        held number typed again; and whether it was typed again (confirmed: added, not held)."""
        if self._retyping is not None:  # a number held too is taken as confirmed: not held
            crossed_ms = self._retyping[1]  # again over its own first Enter
            self._retyping = None
            self.hold_changed.emit()
            return crossed_ms, car in self._held
        if car in self._held:
            crossed_ms = self._held.pop(car)
            self.hold_changed.emit()
            return crossed_ms, True
        return now_ms, False

    @property
    def opening(self) -> str | None:
        """What is said of a session being opened ("Opening 24h.tbs…"), or None."""
        return self._opening

    def hold_for_opening(self, why: str | None) -> None:
        """While a session is opened (``why``: what is said of it), nothing typed is taken:
        the session still the controller's is no longer the one shown (None: the open ended)."""
        if why != self._opening:
            self._opening = why
            self.opening_changed.emit()

    def refusal(self) -> str | None:
        """Why nothing typed is taken now, or None: a session is being opened, a timing
        system times the session, it is a record of the past
        (:meth:`SessionController.recorded_origin`), or it is finished
        (:meth:`finished_refusal`)."""
        if self._opening is not None:
            return opening_refusal(self._opening)
        producer = self._controller.producer
        if producer is not None:
            return producer.hand_timing_refusal()
        return self.standing_refusal()

    def standing_refusal(self) -> str | None:
        """Why no number typed is taken in the session shown, said from the moment it is
        shown (not only once a number is typed): it is a record of the past, or finished
        (ended, or its results official); None when numbers are taken. The words of the
        refusal of a number typed (:meth:`refusal`)."""
        return self.past_refusal() or self.finished_refusal()

    def finished_refusal(self) -> str | None:
        """Why a crossing typed now is not taken in a finished session (ended, or its results
        official: every result is final), or None. A crossing held for an unknown number
        before the end is still logged at its time (:meth:`enter`)."""
        how = self._finished(None)
        return finished_crossing_refusal(how) if how is not None else None

    def status_refusal(self, flag: Flag | None = None) -> str | None:
        """:meth:`refusal` (of a number, or of ``flag`` thrown) in the status bar's words,
        read whole in its room at 1280 px; None when nothing is refused."""
        if self._opening is not None:
            if flag is None:
                return OPENING_STATUS
            return opening_flag_status(FLAG_NAMES[flag], FLAG_KEYS[flag])
        producer = self._controller.producer
        why = producer.hand_timing_refusal() if producer is not None else None
        if why is not None or (producer is not None and flag is None):  # as refusal() says
            return why
        origin = self._controller.recorded_origin()
        if origin is None:
            how = self._finished(flag)
            if how is None:
                return None
            if flag is None:
                return finished_crossing_status(how)
            return finished_flag_status(flag, how)
        branched = self._controller.branched_from()
        if branched is not None:
            return branched_status(branched, flag)
        return recorded_status(origin, session_clock.wall(), flag)

    def past_refusal(self, flag: Flag | None = None) -> str | None:
        """Why nothing typed (or ``flag`` thrown) is taken in a record of the past (its day
        long gone, or a copy branched to correct a session), or None."""
        origin = self._controller.recorded_origin()
        if origin is None:
            return None
        branched = self._controller.branched_from()
        if branched is not None:
            return branched_refusal(branched, flag)
        return recorded_refusal(origin, session_clock.wall(), flag)

    def flag_refusal(self, flag: Flag) -> str | None:
        """Why ``flag`` is not taken now, in words said whole (a session being opened, a
        record of the past, a finished session), or None."""
        if self._opening is not None:  # the session still the controller's is not the one shown
            return opening_flag_refusal(self._opening, FLAG_NAMES[flag], FLAG_KEYS[flag])
        past = self.past_refusal(flag)
        how = self._finished(flag)
        if past is None and how is not None:  # as End session: nothing left to run
            return finished_flag_refusal(flag, how)
        return past

    def _finished(self, flag: Flag | None) -> str | None:
        """How the session is over, if ``flag`` (None: a crossing typed now) is not taken in
        it (None: it is taken): the one home of that rule, for flags and crossings. Its results
        official, or it was ended, take no flag and no crossing (every result is final: a
        crossing after the end counts for nothing, ``engine.car``); once every car took the
        flag (FINISHED) only the green, which reopens the race (a mistaken checkered, a race
        that goes on: :mod:`engine.flag_shown`), and any crossing (logged "after finish").
        While CHECKERED, a car still out, race control may still show any flag."""
        engine = self._controller.engine
        if engine.results_declared():
            return "official"
        if engine.ended_ms is not None:
            return "ended"
        if flag is not None and engine.all_in and flag is not Flag.GREEN:
            return "finished"
        return None

    def throw_flag(self, flag: Flag) -> str | None:
        """The flag shown now; None, or why it was not taken (for the operator)."""
        producer = self._controller.producer
        refusal = None if producer is None or self._opening else producer.hand_timing_refusal()
        if refusal is None:
            refusal = self.flag_refusal(flag)
        if refusal is not None:
            self.refused.emit(self.status_refusal(flag) or refusal)
            return refusal
        return self._controller.submit_why(
            [FlagChanged(time_ms=self._controller.stamp_ms(), flag=flag)]
        )

    def _record(self, car: str, time_ms: int, added: bool = False) -> EntryResult:
        """The passing logged (``added``: its car registered with it); refused, it says why."""
        key = self.known_cars().get(car, car)
        events: list[Event] = [CompetitorSet(key=car, car=car)] if added else []
        events.append(Passing(time_ms=time_ms, key=key, source=Source.MANUAL))
        why = self._controller.submit_why(events)
        if why is not None:
            told = f"Car {car}: the passing was refused: {why}."  # and a new car not added
            return EntryResult(EntryOutcome.INVALID, car, told)
        self._last_id = self._controller.engine.seq  # the passing just logged is the latest
        self._last = self._judge(self._last_id, car, time_ms)
        return self._last

    def _judge(self, passing_id: int, car: str, time_ms: int) -> EntryResult:
        engine = self._controller.engine
        return judge_typed(engine, passing_id, car, time_ms, self.known_cars().get(car, car))
