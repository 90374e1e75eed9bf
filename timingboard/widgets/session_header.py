"""The strip above the board: session, flag, clock, what remains, session best, passings."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from timingboard.engine.events import Flag
from timingboard.engine.formatting import format_clock, format_lap, format_speed
from timingboard.qt.session_controller import SessionController
from timingboard.qt.theme import DARK, Theme

CLOCK_REFRESH_MS = 250
FLAG_TEXT = {
    None: "NO FLAG",
    Flag.GREEN: "GREEN",
    Flag.YELLOW: "YELLOW",
    Flag.RED: "RED",
    Flag.WHITE: "WHITE",
    Flag.CHECKERED: "CHECKERED",
}


class SessionHeader(QWidget):
    """Reads the controller; refreshes on its signals, and the clock four times a second."""

    def __init__(self, controller: SessionController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sessionHeader")
        self._controller = controller
        self._theme = DARK
        self.session = self._label("session", bold=True)
        self.flag = self._label("flag", bold=True)
        self.clock = self._label("clock", bold=True)
        self.remaining = self._label("remaining")
        self.best = self._label("best")
        self.passings = self._label("passings")
        self.class_shown = self._label("classShown", bold=True)
        self.unseen = self._label("unseen")
        self.unseen.setToolTip(
            "Laps the timing system counted while this board was not connected: "
            "they count for position, but have no lap time (marked * in Laps)"
        )
        rows = QVBoxLayout(self)
        rows.setContentsMargins(10, 6, 10, 6)
        self._first_row = QHBoxLayout()
        self._second_row = QHBoxLayout()
        for row in (self._first_row, self._second_row):
            row.setSpacing(18)
            rows.addLayout(row)
        for widget in (self.session, self.flag, self.clock, self.remaining):
            self._first_row.addWidget(widget)
        self._first_row.addStretch(1)
        self._second_row.addWidget(self.best)
        self._second_row.addWidget(self.class_shown)
        self._second_row.addStretch(1)
        self._second_row.addWidget(self.unseen)
        self._second_row.addWidget(self.passings)
        self._timer = QTimer(self, interval=CLOCK_REFRESH_MS)
        self._timer.timeout.connect(self._refresh_clock)
        self._timer.start()
        controller.board_changed.connect(self._on_controller_board_changed)
        controller.session_reset.connect(self.refresh)
        self.set_large_type(False)
        self.refresh()

    def set_theme(self, theme: Theme) -> None:
        self._theme = theme
        self._show_flag()

    def set_large_type(self, large: bool) -> None:
        size = 22 if large else 12
        for label in self.findChildren(QLabel):
            font = QFont(label.font())
            font.setPointSize(size)
            label.setFont(font)

    def refresh(self) -> None:
        engine = self._controller.engine
        self.session.setText(engine.settings.name)
        self._show_flag()
        self._refresh_clock()
        self._show_best()
        self.passings.setText(f"{len(engine.passings)} passings")
        unseen = sum(
            last - first + 1 for e in engine.entries.values() for first, last in e.timing.unseen
        )
        self.unseen.setText(f"{unseen} laps not seen here *" if unseen else "")

    def set_class_filter(self, car_class: str) -> None:
        """Say which class the board shows, when it shows one only."""
        self.class_shown.setText(f"Class {car_class} only" if car_class else "")

    def _on_controller_board_changed(self, _change: object) -> None:
        self.refresh()

    def _label(self, name: str, bold: bool = False) -> QLabel:
        label = QLabel(self)
        label.setObjectName(name)
        if bold:
            font = label.font()
            font.setBold(True)
            label.setFont(font)
        return label

    def _show_flag(self) -> None:
        flag = self._controller.engine.flag
        background, text = self._theme.flags[flag]
        self.flag.setText(f" {FLAG_TEXT[flag]} ")
        self.flag.setStyleSheet(
            f"background:{background}; color:{text}; border-radius:4px; padding:2px 10px;"
        )

    def _refresh_clock(self) -> None:
        engine = self._controller.engine
        settings = engine.settings
        start = engine.start_ms or 0
        now = self._controller.clock_ms()
        if engine.finish_ms is not None:
            now = min(now, engine.finish_ms)  # race time stands at the finish
        self.clock.setText(format_clock(now - start))
        leader = engine.standing(engine.board_order[0]) if engine.board_order else None
        told = self._controller.reported_laps_to_go
        if engine.finish_ms is not None:
            self.remaining.setText("Finished")
        elif told is not None and not settings.race_laps:
            self.remaining.setText(f"{told} laps to go (timing system)")
        elif settings.race_laps and settings.is_race:
            done = leader.laps if leader else 0
            text = f"{max(0, settings.race_laps - done)} laps to go"
            stage = next((lap for lap in settings.stage_laps if lap > done), None)
            if stage is not None:
                number = settings.stage_laps.index(stage) + 1
                text += f" · stage {number} ends in {stage - done}"
            self.remaining.setText(text)
        elif settings.race_duration_ms and engine.start_ms is not None:
            left = start + settings.race_duration_ms - now
            self.remaining.setText(f"{format_clock(left)} to go")
        else:
            self.remaining.setText("")

    def _show_best(self) -> None:
        engine = self._controller.engine
        best = engine.session_best
        if best is None:
            self.best.setText("Session best: —")
            return
        key, lap = best
        entry = engine.entries[key]
        who = entry.competitor.driver if entry.competitor else "unknown car"
        speed = format_speed(engine.settings.speed(lap.duration_ms))
        unit = engine.settings.length_unit.speed_label
        self.best.setText(
            f"Session best: #{entry.label} {who}  {format_lap(lap.duration_ms)}  {speed} {unit}"
        )
