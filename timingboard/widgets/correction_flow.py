"""From an operator's request (a menu action on a passing or a car) to a logged correction."""

from __future__ import annotations

from PySide6.QtCore import QObject, QSettings
from PySide6.QtWidgets import QWidget

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
from timingboard.engine.formatting import parse_lap
from timingboard.qt.correction_desk import CorrectionDesk
from timingboard.widgets.correction_dialog import Builder, CorrectionDialog

INSERT_HELP = "Lap time after the previous passing (13.612), or @ and a session time (@0:05:12.345)"


class CorrectionFlow(QObject):
    """Opens the right dialog; the operator's name is asked once and kept in settings."""

    def __init__(self, desk: CorrectionDesk, settings: QSettings, window: QWidget) -> None:
        super().__init__(window)
        self._desk = desk
        self._settings = settings
        self._window = window
        self.dialog: CorrectionDialog | None = None

    @property
    def _engine(self):
        return self._desk.controller.engine

    # --- requests --------------------------------------------------------------------------------

    def on_passing(self, action: str, passing_id: int) -> CorrectionDialog | None:
        owner = self._engine.passing_owner(passing_id)
        if action == "delete":
            return self._open(
                "Delete passing",
                lambda _: DeletePassing(passing_id=passing_id),
                reason="double read",
            )
        if action == "invalidate":
            return self._open(
                "Invalidate lap",
                lambda _: InvalidateLap(passing_id=passing_id),
                reason="track limits",
            )
        if action == "reassign":
            choices = [(t, k) for t, k in self._car_choices() if k != owner]
            return self._open(
                "Reassign passing",
                lambda key: ReassignPassing(passing_id=passing_id, key=key),
                choices=choices,
                label="To car",
                reason="wrong transponder",
            )
        if action in ("insert_before", "insert_after") and owner is not None:
            reference = self._reference_time(owner, passing_id, before=action == "insert_before")
            return self._insert_dialog(owner, reference)
        return None

    def on_car(self, action: str, key: str) -> CorrectionDialog | None:
        if action == "insert":
            passings = self._engine.entries[key].timing.passings
            return self._insert_dialog(key, passings[-1][0] if passings else None)
        if action == "time_penalty":
            return self._open(
                "Time penalty",
                lambda text: TimePenalty(key=key, ms=_signed_ms(text)),
                label="Seconds (+5 or -2.5)",
                default="5",
                reason="",
            )
        if action == "lap_penalty":
            return self._open(
                "Lap penalty",
                lambda text: LapPenalty(key=key, laps=_laps(text)),
                label="Laps",
                default="1",
                reason="",
            )
        if action == "disqualify":
            return self._open("Disqualify", lambda _: Disqualify(key=key), reason="")
        if action == "retire":
            return self._open("Retire (DNF)", lambda _: Retire(key=key), reason="mechanical")
        if action == "assign_transponder":
            return self._assign_dialog(key)
        if action in ("pit_in", "pit_out"):  # at once, as the car goes by; undo takes it back
            now = self._desk.controller.clock_ms()
            mark = PitMark(key=key, time_ms=now, entered=action == "pit_in")
            self._desk.correct(mark, "marked by the operator")
        return None

    # --- dialogs -------------------------------------------------------------------------------

    def _assign_dialog(self, key: str) -> CorrectionDialog | None:
        """An unknown transponder's passings, past and to come, to an entered car."""
        transponder = self._engine.unknown_transponder(key)
        if transponder is None:
            return None
        choices = [(t, k) for t, k in self._car_choices() if k in self._engine.competitors]
        return self._open(
            f"Assign transponder {transponder}",
            lambda car: AssignTransponder(transponder=transponder, key=car),
            choices=choices,
            label="To car",
            reason="transponder not in the entry list",
        )

    def _insert_dialog(self, key: str, reference_ms: int | None) -> CorrectionDialog:
        def build(text: str) -> Correction:
            return InsertPassing(time_ms=_insert_time(text, reference_ms), key=key)

        return self._open(
            f"Insert a missed passing for car {self._engine.entries[key].label}",
            build,
            label=INSERT_HELP,
            default="",
            reason="missed transponder read",
        )

    def _open(
        self,
        title: str,
        build: Builder,
        *,
        label: str | None = None,
        default: str = "",
        choices: list[tuple[str, str]] | None = None,
        reason: str = "",
    ) -> CorrectionDialog:
        operator = self._desk.operator or str(self._settings.value("operator/name", ""))
        dialog = CorrectionDialog(
            title,
            self._engine,
            build,
            input_label=label,
            default_input=default,
            choices=choices,
            default_reason=reason,
            operator=operator,
            parent=self._window,
        )
        dialog.accepted.connect(lambda: self._on_dialog_accepted(dialog))
        dialog.finished.connect(dialog.deleteLater)
        self.dialog = dialog
        dialog.open()
        return dialog

    def _on_dialog_accepted(self, dialog: CorrectionDialog) -> None:
        event = dialog.event_()
        if event is None:
            return
        self._desk.operator = dialog.operator()
        self._settings.setValue("operator/name", dialog.operator())
        self._desk.correct(event, dialog.reason())

    def _car_choices(self) -> list[tuple[str, str]]:
        return [
            (f"{e.label} — {e.competitor.driver if e.competitor else 'unknown car'}", key)
            for key, e in self._engine.entries.items()
        ]

    def _reference_time(self, owner: str, passing_id: int, before: bool) -> int | None:
        passings = self._engine.entries[owner].timing.passings
        times = [t for t, pid in passings if pid == passing_id]
        if not before:
            return times[0] if times else None
        earlier = [t for t, pid in passings if times and t < times[0]]
        return earlier[-1] if earlier else None


def _insert_time(text: str, reference_ms: int | None) -> int:
    text = text.strip()
    if text.startswith("@"):
        return parse_lap(text[1:])
    if reference_ms is None:
        raise ValueError("no earlier passing to time from: give @ and a session time")
    if not text:
        raise ValueError("give the lap time, or @ and a session time")
    return reference_ms + parse_lap(text)


def _signed_ms(text: str) -> int:
    text = text.strip()
    sign = -1 if text.startswith("-") else 1
    return sign * parse_lap(text.lstrip("+-"))


def _laps(text: str) -> int:
    try:
        return int(text.strip())
    except ValueError:
        raise ValueError(f"{text!r} is not a whole number of laps") from None
