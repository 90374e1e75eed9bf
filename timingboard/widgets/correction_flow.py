"""From an operator's request (a menu action on a passing or a car) to a logged correction."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QSettings, QTimer, Signal
from PySide6.QtWidgets import QWidget

from timingboard.engine import PassingStatus
from timingboard.engine.correction_kinds import KINDS
from timingboard.engine.engine import TimingEngine
from timingboard.engine.events import (
    AssignTransponder,
    Correction,
    DeletePassing,
    Disqualify,
    InsertPassing,
    InvalidateLap,
    LapPenalty,
    PitMark,
    ReassignPassing,
    Retire,
    TimePenalty,
)
from timingboard.engine.missed_passing import (
    LapSlot,
    example_ms,
    insert_problem,
    lap_slots,
    lap_time_reference,
    likely_slot,
    outside_slot,
)
from timingboard.qt import user_settings
from timingboard.qt.correction_desk import CorrectionDesk
from timingboard.text.opening_text import correction_closed, offered_elsewhere
from timingboard.text.typed import (
    car_choice_text,
    insert_help,
    insert_time,
    signed_ms,
    whole_laps,
)
from timingboard.widgets.correction_actions import (
    CAR_MENU,
    DOUBLE_READ_REASON,
    PASSING_MENU,
    CarAction,
    Offered,
    PassingAction,
)
from timingboard.widgets.correction_dialog import Builder, CorrectionDialog, Field

# the form, not a time: "13.612, or @0:05:12.345" sat above the hint's example that is taken,
# itself refused whenever the car's last crossing was later (the hint gives one that is)
INSERT_PLACEHOLDER = "a lap time, or @ and a session time (h:mm:ss.mmm)"
_MENU_WORDS = {str(a): text for a, text in (*PASSING_MENU.items(), *CAR_MENU.items())}


class CorrectionFlow(QObject):
    """Opens the right dialog; the operator's name is asked once and kept in settings.

    Signals
    -------
    refused(str)
        A correction asked for was not offered (a session is being opened), or its dialog was
        closed unlogged (another session shown): why, for the status bar.
    """

    refused = Signal(str)

    def __init__(self, desk: CorrectionDesk, settings: QSettings, window: QWidget) -> None:
        super().__init__(window)
        self._desk = desk
        self._settings = settings
        self._window = window
        self.dialog: CorrectionDialog | None = None
        if not desk.operator:  # undo and redo are signed too, also right after a restart
            desk.operator = user_settings.OPERATOR.read(settings)
        desk.controller.session_reset.connect(self._on_controller_session_reset)

    @property
    def _engine(self) -> TimingEngine:
        return self._desk.controller.engine

    # --- requests --------------------------------------------------------------------------------

    def on_passing(
        self, action: str, passing_id: int, offered: Offered | None = None
    ) -> CorrectionDialog | None:
        """The dialog for a :class:`PassingAction` on a passing (None: nothing to ask), asked
        from a menu ``offered`` on a session: refused if another is shown now."""
        if self.refused_while_opening() or self._refused_elsewhere(action, offered):
            return None
        owner = self._engine.passing_owner(passing_id)
        match _passing_action(action):
            case PassingAction.DELETE:  # "double read" offered only where the board saw one
                flagged = self._engine.passing_status(passing_id) is PassingStatus.DOUBLE_READ
                return self._open(
                    KINDS[DeletePassing].title,
                    lambda _: DeletePassing(passing_id=passing_id),
                    reason=DOUBLE_READ_REASON if flagged else "",
                )
            case PassingAction.INVALIDATE:
                return self._open_kind(
                    InvalidateLap, lambda _: InvalidateLap(passing_id=passing_id)
                )
            case PassingAction.REASSIGN:
                choices = [(t, k) for t, k in self._car_choices() if k != owner]
                return self._open_kind(
                    ReassignPassing,
                    lambda values: ReassignPassing(passing_id=passing_id, key=values[0]),
                    fields=[Field("To car", choices=choices)],
                )
            case (PassingAction.INSERT_BEFORE | PassingAction.INSERT_AFTER) as where if (
                owner is not None
            ):
                before = where is PassingAction.INSERT_BEFORE
                reference = lap_time_reference(self._engine, owner, passing_id, before=before)
                # before the car's first crossing: no example (one "now" is after the clicked)
                return self._insert_at_dialog(owner, reference, example=reference is not None)
        return None

    def on_car(
        self, action: str, key: str, offered: Offered | None = None
    ) -> CorrectionDialog | None:
        """The dialog for a :class:`CarAction` on a car (None: nothing to ask, or done at once),
        asked from a menu ``offered`` on a session: refused if another is shown now."""
        if self.refused_while_opening() or self._refused_elsewhere(action, offered):
            return None
        match _car_action(action):
            case CarAction.INSERT:
                return self._insert_in_lap_dialog(key)
            case CarAction.TIME_PENALTY:
                return self._open_kind(
                    TimePenalty,
                    lambda values: TimePenalty(key=key, ms=signed_ms(values[0])),
                    fields=[Field("Seconds (+5 or -2.5)", default="5")],
                )
            case CarAction.LAP_PENALTY:
                return self._open_kind(
                    LapPenalty,
                    lambda values: LapPenalty(key=key, laps=whole_laps(values[0])),
                    fields=[Field("Laps", default="1")],
                )
            case CarAction.DISQUALIFY:
                return self._open_kind(Disqualify, lambda _: Disqualify(key=key))
            case CarAction.RETIRE:
                return self._open_kind(Retire, lambda _: Retire(key=key))
            case CarAction.ASSIGN_TRANSPONDER:
                return self._assign_dialog(key)
            case (CarAction.PIT_IN | CarAction.PIT_OUT) as way:
                # at once, as the car goes by; undo takes it back
                now = self._desk.controller.clock_ms()
                mark = PitMark(key=key, time_ms=now, entered=way is CarAction.PIT_IN)
                self._desk.correct(mark, KINDS[PitMark].default_reason)
        return None

    # --- dialogs -------------------------------------------------------------------------------

    def _assign_dialog(self, key: str) -> CorrectionDialog | None:
        """An unknown transponder's passings, past and to come, to an entered car."""
        transponder = self._engine.unknown_transponder(key)
        if transponder is None:
            return None
        choices = [(t, k) for t, k in self._car_choices() if self._engine.is_entered(k)]
        kind = KINDS[AssignTransponder]
        return self._open(
            f"{kind.title} {transponder}",
            lambda values: AssignTransponder(transponder=transponder, key=values[0]),
            fields=[Field("To car", choices=choices)],
            reason=kind.default_reason,
        )

    def _insert_at_dialog(
        self, key: str, reference_ms: int | None, *, example: bool = True
    ) -> CorrectionDialog:
        """From the passings log: the missed passing goes before or after the one clicked."""

        def build(values: list[str]) -> Correction:
            return self._insertion(key, insert_time(values[0], reference_ms))

        return self._open(
            self._insert_title(key),
            build,
            fields=[Field("Lap time", placeholder=INSERT_PLACEHOLDER)],
            explain=lambda _values: self._insert_help(key, reference_ms if example else None),
            reason=KINDS[InsertPassing].default_reason,
        )

    def _insert_in_lap_dialog(self, key: str) -> CorrectionDialog:
        """From the leaderboard: the missed passing goes into the lap that looks like two."""
        slots = lap_slots(self._engine, key)
        if not slots:
            return self._insert_at_dialog(key, None)
        by_value = {str(i): slot for i, slot in enumerate(slots)}

        def slot_of(values: list[str]) -> LapSlot:
            return by_value.get(values[0], slots[-1])

        def build(values: list[str]) -> Correction:
            slot = slot_of(values)
            time_ms = insert_time(values[1], slot.start_ms)
            typed = values[1].strip()
            problem = outside_slot(slot, time_ms, "" if typed.startswith("@") else typed)
            if problem:
                raise ValueError(problem)
            return self._insertion(key, time_ms)

        return self._open(
            self._insert_title(key),
            build,
            fields=[
                Field(
                    "Missed in",
                    default=str(likely_slot(slots)),
                    choices=[(slot.text, str(i)) for i, slot in enumerate(slots)],
                ),
                Field("Lap time", placeholder=INSERT_PLACEHOLDER),
            ],
            explain=lambda values: self._insert_help(key, slot_of(values).start_ms),
            reason=KINDS[InsertPassing].default_reason,
        )

    def _insertion(self, key: str, time_ms: int) -> InsertPassing:
        """The passing to insert; ValueError saying why not (a lap too short, or after now:
        nothing is logged, the dialog stays open, OK disabled)."""
        problem = insert_problem(self._engine, key, time_ms, self._now_ms())
        if problem:
            raise ValueError(problem)
        return InsertPassing(time_ms=time_ms, key=key)

    def _insert_help(self, key: str, reference_ms: int | None) -> str:
        """The insert dialog's hint, its example one that would be taken now."""
        example = example_ms(self._engine, key, reference_ms, self._now_ms())
        return insert_help(reference_ms, example)

    def _now_ms(self) -> int:
        """Now on the session clock, as a car typed now is stamped (a record's: its last
        event): the latest a missed passing can be (:func:`engine.missed_passing.latest_ms`)."""
        return self._desk.controller.stamp_ms()

    def _insert_title(self, key: str) -> str:
        return f"{KINDS[InsertPassing].title} for car {self._engine.car_label(key)}"

    def _open_kind(
        self, event: type[Correction], build: Builder, *, fields: list[Field] | None = None
    ) -> CorrectionDialog:
        """A correction's dialog under its kind's title, offering its kind's usual reason."""
        kind = KINDS[event]
        return self._open(kind.title, build, fields=fields, reason=kind.default_reason)

    def _open(
        self,
        title: str,
        build: Builder,
        *,
        fields: list[Field] | None = None,
        explain: Callable[[list[str]], str] | None = None,
        reason: str = "",
    ) -> CorrectionDialog:
        operator = self._desk.operator or user_settings.OPERATOR.read(self._settings)
        dialog = CorrectionDialog(
            title,
            self._engine,
            build,
            fields=fields or [],
            explain=explain,
            default_reason=reason,
            operator=operator,
            parent=self._window,
        )
        dialog.accepted.connect(lambda: self._on_dialog_accepted(dialog))
        dialog.finished.connect(dialog.deleteLater)
        dialog.finished.connect(lambda _result: self._on_dialog_finished(dialog))
        self.dialog = dialog
        dialog.open()
        return dialog

    def refused_while_opening(self) -> bool:
        """A session is being opened: a dialog on the board before would close unlogged when
        it lands (the reason typed lost), so none is opened; why is said at once."""
        if self._desk.opening is None:
            return False
        self.refused.emit(self._desk.opening)
        return True

    def _refused_elsewhere(self, action: str, offered: Offered | None) -> bool:
        """The menu was offered on another session than the one shown now (left open while
        another was opened): its passing id or car key is that session's, and here would be
        another's or none, so nothing is opened; why is said at once."""
        if offered is None or offered.is_for(self._desk.controller.recorder):
            return False
        what = _MENU_WORDS.get(str(action), "Correction").rstrip("…")
        self.refused.emit(offered_elsewhere(what, offered.name, self._shown_name()))
        return True

    def _on_controller_session_reset(self) -> None:
        """Another session is shown: a correction worked out on the last one must not go in."""
        dialog, self.dialog = self.dialog, None
        if dialog is not None and dialog.isVisible():
            dialog.reject()
            why = correction_closed(dialog.windowTitle(), self._shown_name())
            # after the window's own word on the session shown ("Session file: …"), said next
            QTimer.singleShot(0, self, lambda: self.refused.emit(why))

    def _shown_name(self) -> str:
        file = self._desk.controller.recorder.file
        return file.path.name if file is not None else "another session"

    def _on_dialog_finished(self, dialog: CorrectionDialog) -> None:
        """Back to the window, where the operator types the next car or Ctrl+Z."""
        if self.dialog is dialog:
            self.dialog = None
        self._window.activateWindow()

    def _on_dialog_accepted(self, dialog: CorrectionDialog) -> None:
        event = dialog.event_()
        if event is None:
            return
        self._desk.operator = dialog.operator()
        user_settings.OPERATOR.write(self._settings, dialog.operator())
        self._desk.correct(event, dialog.reason())

    def _car_choices(self) -> list[tuple[str, str]]:
        engine = self._engine
        return [
            (car_choice_text(engine.car_label(key), engine.competitor_of(key)), key)
            for key in engine.cars()
        ]


def _car_action(action: str) -> CarAction | None:
    try:
        return CarAction(action)
    except ValueError:
        return None


def _passing_action(action: str) -> PassingAction | None:
    try:
        return PassingAction(action)
    except ValueError:
        return None
