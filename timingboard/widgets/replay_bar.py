"""Replay controls: play/pause, speed, steps, and a timeline with the flag periods on it."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QStyle, QToolButton, QWidget

from timingboard.engine.events import Flag
from timingboard.engine.formatting import format_clock
from timingboard.qt.replay_driver import AS_FAST_AS_POSSIBLE, SPEEDS, ReplayDriver
from timingboard.qt.theme import DARK

TIMELINE_HEIGHT = 26


def position_text(position_ms: int, duration_ms: int) -> str:
    """ "session time 0:12:04 / 2:01:09": said to be session time, since the header's clock
    beside it counts from the green (a green 0.6 s in read 0:12:03 there, unexplained)."""
    return f"session time {format_clock(position_ms)} / {format_clock(duration_ms)}"


class TimelineSlider(QWidget):
    """Session time from start to end; flag periods coloured; drag to scrub.

    Signals
    -------
    scrubbed(int)
        The user dragged or clicked to this session time (ms).
    """

    scrubbed = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("timeline")
        self.setMinimumHeight(TIMELINE_HEIGHT)
        self.setMouseTracking(True)
        self.duration_ms = 0
        self.position_ms = 0
        self.periods: list[tuple[int, int, Flag]] = []

    def set_timeline(self, duration_ms: int, periods: list[tuple[int, int, Flag]]) -> None:
        self.duration_ms, self.periods = duration_ms, periods
        self.update()

    def set_position(self, position_ms: int) -> None:
        self.position_ms = position_ms
        self.update()

    def time_at(self, x: float) -> int:
        """The session time a click at ``x`` stands for; the pixels at either end are its start
        and its end (one pixel inside the right end read the end's second but stood a few ms
        before it: the last correction was left out)."""
        width = max(1, self.width() - 2)
        fraction = (x - 1) / width
        if fraction >= 1 - 1.5 / width:
            return self.duration_ms
        return int(max(0.0, fraction) * self.duration_ms)

    def x_of(self, time_ms: int) -> float:
        if not self.duration_ms:
            return 1.0
        return 1 + (self.width() - 2) * time_ms / self.duration_ms

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        groove = QRectF(0, 6, self.width(), self.height() - 12)
        painter.fillRect(groove, QColor(DARK.alternate))
        for start, end, flag in self.periods:
            left, right = self.x_of(start), self.x_of(end)
            colour = QColor(DARK.flags[flag][0])
            painter.fillRect(
                QRectF(left, groove.top(), max(1.0, right - left), groove.height()), colour
            )
        x = self.x_of(self.position_ms)
        painter.setPen(QPen(QColor("#ffffff"), 2))
        painter.drawLine(QPointF(x, 1), QPointF(x, self.height() - 1))

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.scrubbed.emit(self.time_at(event.position().x()))

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        time_ms = self.time_at(event.position().x())
        self.setToolTip(format_clock(time_ms))
        if event.buttons() & Qt.MouseButton.LeftButton:
            self.scrubbed.emit(time_ms)


class ReplayBar(QWidget):
    """The controls of a :class:`ReplayDriver`; keys: Space, ←/→ passing, Shift+←/→ leader lap."""

    def __init__(self, driver: ReplayDriver, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("replayBar")
        self._driver = driver
        icons = QStyle.StandardPixmap
        self.play_button = self._button(icons.SP_MediaPlay, "Play / pause (Space)", driver.toggle)
        self.previous_lap = self._button(
            icons.SP_MediaSkipBackward,
            "Leader's previous lap (Shift+←)",
            lambda: driver.step_leader_lap(-1),
        )
        self.previous_passing = self._button(
            icons.SP_MediaSeekBackward, "Previous passing (←)", lambda: driver.step_passing(-1)
        )
        self.next_passing = self._button(
            icons.SP_MediaSeekForward, "Next passing (→)", lambda: driver.step_passing(1)
        )
        self.next_lap = self._button(
            icons.SP_MediaSkipForward,
            "Leader's next lap (Shift+→)",
            lambda: driver.step_leader_lap(1),
        )
        self.speed = QComboBox(self)
        for speed in SPEEDS:
            self.speed.addItem(
                "as fast as possible" if speed == AS_FAST_AS_POSSIBLE else f"{speed:g}×",  # noqa: RUF001
                speed,
            )
        self.speed.setCurrentIndex(SPEEDS.index(1.0))
        self.speed.currentIndexChanged.connect(lambda _: driver.set_speed(self.speed.currentData()))
        self.speed.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.timeline = TimelineSlider(self)
        self.time_label = QLabel(position_text(0, 0), self)
        self.time_label.setToolTip(
            "Session time of the board shown, of the session's length: the time the passings "
            "log and --at count (the header's clock counts from the green flag)"
        )
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 2, 6, 2)
        for widget in (
            self.previous_lap,
            self.previous_passing,
            self.play_button,
            self.next_passing,
            self.next_lap,
            self.speed,
        ):
            layout.addWidget(widget)
        layout.addWidget(self.timeline, 1)
        layout.addWidget(self.time_label)
        self.timeline.scrubbed.connect(driver.scrub)
        driver.loaded.connect(self._on_driver_loaded)
        driver.position_changed.connect(self._on_driver_position_changed)
        driver.playing_changed.connect(self._on_driver_playing_changed)

    def _button(self, icon: QStyle.StandardPixmap, tip: str, slot) -> QToolButton:
        button = QToolButton(self)
        button.setIcon(self.style().standardIcon(icon))
        button.setToolTip(tip)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        button.clicked.connect(slot)
        return button

    def _on_driver_loaded(self, duration_ms: int, periods: list) -> None:
        self.timeline.set_timeline(duration_ms, periods)

    def _on_driver_position_changed(self, position_ms: int) -> None:
        self.timeline.set_position(position_ms)
        self.time_label.setText(position_text(position_ms, self._driver.duration_ms))

    def _on_driver_playing_changed(self, playing: bool) -> None:
        icon = (
            QStyle.StandardPixmap.SP_MediaPause if playing else QStyle.StandardPixmap.SP_MediaPlay
        )
        self.play_button.setIcon(self.style().standardIcon(icon))
        self.play_button.setProperty("playing", playing)
