"""The strip above the board: session, flag, clock, what remains, session best, passings."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QFont, QFontMetrics, QResizeEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from timingboard.engine.engine import TimingEngine
from timingboard.engine.events import Flag
from timingboard.engine.flag_shown import shown_flag
from timingboard.engine.formatting import FLAG_NAMES, format_lap, format_speed
from timingboard.feeds.live_follow import passings_count
from timingboard.feeds.official_order import OPERATOR as TIMING_SYSTEM
from timingboard.qt.action_registry import FLAG_KEYS
from timingboard.qt.session_controller import SessionController
from timingboard.qt.theme import DARK, Theme
from timingboard.text.session_text import (
    FLAG_TEXT,
    TOLD_SUFFIX,
    clock_origin,
    clock_text,
    remaining_text,
)
from timingboard.widgets.elided_label import Fitter, elide, set_fitted, set_short

CLOCK_REFRESH_MS = 250
_FLAG_KEYS_TEXT = ", ".join(f"{key} {FLAG_NAMES[flag].lower()}" for flag, key in FLAG_KEYS.items())
_FLAG_TIP = f"The flag out now ({_FLAG_KEYS_TEXT}); white and checkered also by the race distance"
_STALE_FLAG_TIP = "The last flag known (the feed is lost): the track may show another by now"


class SessionHeader(QWidget):
    """Reads the controller; refreshes on its signals, and the clock four times a second."""

    def __init__(self, controller: SessionController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sessionHeader")
        self._controller = controller
        self._theme = DARK
        self._stale = False
        self._stale_ms = 0  # the clock shown when the feed was lost: it stands there
        self._flag_shown: Flag | None = None
        self._opening: str | None = None  # what is said while a session's board comes first
        self.session = elide(self._label("session", bold=True), _MIDDLE)  # the title names it whole
        self.flag = self._label("flag", bold=True)
        self.clock_kind = self._label("clockKind")  # what the clock counts from
        self.clock = self._label("clock", bold=True)
        # what remains gives way to the name: its short form first, whole in its tooltip
        self.remaining = elide(self._label("remaining"))
        # the car and its lap time are read whole: the name gives way, then the speed
        self.best = elide(self._label("best"))  # never widens the window
        self.passings = self._label("passings")
        self._passings = ("", "")  # what it says: whole, and short beside a long session best
        self.class_shown = self._label("classShown", bold=True)
        self.class_shown.hide()  # shown while the board shows one class
        self.unseen = self._label("unseen")
        for label, tip in (
            (self.session, "The session shown"),
            (self.flag, _FLAG_TIP),
            (
                self.clock,
                "Time since the green flag. The passings log, the dialogs and a replay count "
                "session time, from when the session began",
            ),
            (
                self.clock_kind,
                "The clock counts session time until the green flag, then time since the green",
            ),
            (self.best, "The session's best lap: car, driver, time and speed"),
            (self.class_shown, "View ▸ Class ▸ All classes shows every car again"),
        ):
            label.setToolTip(tip)
        self.unseen.setToolTip(
            "Laps the timing system counted while this board was not connected: "
            "they count for position, but have no lap time (marked * in Laps)"
        )
        rows = self._rows = QVBoxLayout(self)
        rows.setContentsMargins(10, 6, 10, 6)
        self._first_row = QHBoxLayout()
        self._second_row = QHBoxLayout()
        for row in (self._first_row, self._second_row):
            row.setSpacing(18)
            rows.addLayout(row)
        for widget in (self.session, self.flag, self.clock_kind, self.clock, self.remaining):
            self._first_row.addWidget(widget)
        self._first_row.addStretch(1)
        self._second_row.addWidget(self.best)
        self._second_row.addWidget(self.class_shown)
        self._second_row.addStretch(1)
        self._second_row.addWidget(self.unseen)
        self._second_row.addWidget(self.passings)
        self._timer = QTimer(self, interval=CLOCK_REFRESH_MS)
        self._timer.timeout.connect(self.refresh_clock)
        self._timer.start()
        self.clock_timer = self._timer
        controller.board_changed.connect(self._on_controller_board_changed)
        controller.session_reset.connect(self._on_controller_session_reset)
        self.set_large_type(False)
        self.refresh()

    def set_stale(self, stale: bool) -> None:
        """The feed is lost: flag and clock are the last known, and look it; the clock stands
        where it was shown (never back to the last data's time)."""
        if stale and not self._stale:
            self._stale_ms = self._controller.clock_ms()
        self._stale = stale
        self._show_flag()
        self.refresh_clock()

    def set_theme(self, theme: Theme) -> None:
        self._theme = theme
        self._show_flag()

    def set_large_type(self, large: bool) -> None:
        size = 22 if large else 12
        for label in self.findChildren(QLabel):
            font = QFont(label.font())
            font.setPointSize(size)
            label.setFont(font)

    def show_opening(self, text: str | None) -> None:
        """A long session being opened has its board shown ahead of it: the header says
        ``text`` ("Opening 24h.tbs…") in place of the session before's name, flag, clock and
        counts until the session is shown (or None: it was not, the one before again)."""
        self._opening = text
        # as high meanwhile as with the labels hidden: the board under it keeps its size (a
        # resize repainted it whole in the turn it was shown, and again when the session came)
        if text is not None:
            self.setMinimumHeight(self.height() if self.isVisible() else 0)
        for label in (self.flag, self.clock_kind, self.clock, self.remaining, self.best):
            label.setVisible(text is None)
        for label in (self.passings, self.unseen):
            label.setVisible(text is None)
        if text is None:  # let go once they are all back: a label shown lays out the window
            self.setMinimumHeight(0)  # (the first, the header still short, resized the board)
        self.refresh()

    def _on_controller_session_reset(self) -> None:
        if self._opening is not None:
            self.show_opening(None)
        else:
            self.refresh()

    def refresh(self) -> None:
        if self._opening is not None:
            self.session.setText(self._opening)
            return
        engine = self._controller.engine
        self.session.setText(engine.settings.name)
        self._show_flag()
        self.refresh_clock()
        self._show_best()
        self._passings = passings_text(engine), passings_text(engine, short=True)
        self._hold_session_best()
        unseen = engine.laps_not_seen_total()
        laps = "lap" if unseen == 1 else "laps"
        self.unseen.setText(f"{unseen} {laps} not seen here *" if unseen else "")
        self.unseen.setHidden(not unseen)

    def set_class_filter(self, car_class: str) -> None:
        """Say which class the board shows, when it shows one only."""
        self.class_shown.setText(f"Class {car_class} only" if car_class else "")
        self.class_shown.setHidden(not car_class)  # nor its spacing: the session best has it
        self._hold_session_best()

    def _on_controller_board_changed(self, _change: object) -> None:
        self.refresh()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._hold_session_name()
        self._hold_session_best()

    def _hold_session_best(self) -> None:
        """The passings count says its re-timings in short ("16 re-timed", whole in its
        tooltip) where the whole would cut the session best, which race control reads."""
        whole, short = self._passings
        margins = self._rows.contentsMargins()
        room = self.contentsRect().width() - margins.left() - margins.right()
        others = [w for w in (self.class_shown, self.unseen) if not w.isHidden()]
        used = sum(w.sizeHint().width() for w in others) + self.best.sizeHint().width()
        left = room - used - self._second_row.spacing() * (len(others) + 2)
        fits = self.passings.fontMetrics().horizontalAdvance(whole) <= left
        text = whole if fits or not self.isVisible() else short
        if self.passings.text() != text:
            self.passings.setText(text)
        self.passings.setToolTip(_PASSINGS_TIP if whole == text else f"{whole}. {_PASSINGS_TIP}")

    def _hold_session_name(self) -> None:
        """What remains gives way first (its short form, then cut), so the session's name is
        read whole beside a stale flag and the timing system's laps to go (it was "Bus…t 2").
        A most width, never a least one: the header never widens the window."""
        row = self._first_row
        margins = self._rows.contentsMargins()
        room = self.contentsRect().width() - margins.left() - margins.right()
        others = (self.session, self.flag, self.clock_kind, self.clock)
        used = sum(w.sizeHint().width() for w in others if not w.isHidden())
        left = room - used - row.spacing() * len(others)
        self.remaining.setMaximumWidth(max(0, left))

    def _label(self, name: str, bold: bool = False) -> QLabel:
        label = QLabel(self)
        label.setObjectName(name)
        if bold:
            font = label.font()
            font.setBold(True)
            label.setFont(font)
        return label

    def _now(self) -> int:
        return self._stale_ms if self._stale else self._controller.clock_ms()

    def _show_flag(self) -> None:
        told = self._controller.reported_laps_to_go
        flag = shown_flag(self._controller.engine, self._now(), told)
        self._flag_shown = flag
        background, text = self._theme.flags[flag]
        self.flag.setText(f" {FLAG_TEXT[flag]} ")
        self.flag.setToolTip(_STALE_FLAG_TIP if self._stale else _FLAG_TIP)
        if self._stale:  # the last flag known, greyed and asked: not what the track shows now
            background, text = self._theme.dim_text, self._theme.base
            self.flag.setText(f" {FLAG_TEXT[flag]}? ")  # the banner and clock say "stale"
        # the checkered badge is black: a light frame keeps it apart from a dark header
        # (the others as big, in a margin: the header's height is the same whatever the flag, so
        # the board is not resized and painted again when a session ends or another is shown)
        edge = "border:2px solid #f4f4f4;" if flag is Flag.CHECKERED else "margin:2px;"
        _restyle(
            self.flag,
            f"background:{background}; color:{text}; border-radius:4px; padding:2px 10px;{edge}",
        )

    def refresh_clock(self) -> None:
        """The clock, what remains and the flag the time brings (also on each replay frame:
        the replay bar's clock and this one read the same moment)."""
        if self._opening is not None:
            return
        engine = self._controller.engine
        now = self._now()
        told = self._controller.reported_laps_to_go
        if shown_flag(engine, now, told) is not self._flag_shown:
            self._show_flag()  # white when a timed race's time runs out
        self.clock.setText(clock_text(engine, now) + (" (stale)" if self._stale else ""))
        stopped = self._controller.recorded_origin() is not None  # a record of the past
        self.clock_kind.setText(clock_origin(engine, stopped))
        _restyle(self.clock, f"color:{self._theme.dim_text};" if self._stale else "")
        remaining = remaining_text(engine, now, told)
        set_short(self.remaining, remaining, remaining.removesuffix(TOLD_SUFFIX))
        self._hold_session_name()

    def _show_best(self) -> None:
        engine = self._controller.engine
        best = engine.session_best_lap()
        if best is None:
            set_fitted(self.best, "Session best: —", None)
            return
        key, lap = best
        who = engine.driver_label(key)
        speed = format_speed(engine.settings.speed(lap.duration_ms))
        unit = engine.settings.length_unit.speed_label
        at = f"  {speed} {unit}" if speed else ""  # no track length: no speed, and no unit
        car = f"#{engine.car_label(key)}"
        time = format_lap(lap.duration_ms)
        text = f"Session best: {car} {who}  {time}{at}"
        set_fitted(self.best, text, best_fitter(car, who, time, at))


def best_fitter(car: str, who: str, time: str, at: str) -> Fitter:
    """What the session best says in a room too small for it: the car and the lap time are
    what race control reads it for, so the driver's name is cut first, then the speed goes,
    then "Session best" is shortened (it read "#60 …1.572 102.936 mph", cut in the middle)."""

    def fit(metrics: QFontMetrics, room: int) -> str:
        width = metrics.horizontalAdvance
        least = width("Ab…")  # a name cut shorter than this says nothing: it goes
        for head, tail in (
            ("Session best: ", f"  {time}{at}"),
            ("Session best: ", f"  {time}"),
            ("Best: ", f"  {time}"),
        ):
            name_room = room - width(f"{head}{car} ") - width(tail)
            if name_room >= least:
                name = metrics.elidedText(who, Qt.TextElideMode.ElideRight, name_room)
                return f"{head}{car} {name}{tail}"
            if width(f"{head}{car}{tail}") <= room:
                return f"{head}{car}{tail}"
        return f"Best: {car}  {time}"

    return fit


_PASSINGS_TIP = (
    "Passings recorded in this session. Re-timed: crossings the timing system sent again a few "
    "ms off, each moved to the time it gave (a deletion and an insertion in the Passings log)"
)
_MIDDLE = Qt.TextElideMode.ElideMiddle  # a heat's number and a lap's time are at the end


def _restyle(label: QLabel, sheet: str) -> None:
    """A new style sheet only when it differs: setting one restyles and re-lays out the
    label (and its parents), ~0.5 ms, which on every crossing was a good share of a frame."""
    if label.styleSheet() != sheet:
        label.setStyleSheet(sheet)


def passings_text(engine: TimingEngine, short: bool = False) -> str:
    """ "41 passings", those counted: a deleted one is not ("41 passings (1 deleted)"). A
    crossing the timing system re-timed is not a deletion to race control ("388 passings (16
    deleted)" on an imported practice looked alarming): it is said for what it is."""
    count = passings_count(engine)  # a followed board: its publisher's count
    if count is None:
        return ""
    shown = f"{count} passing" if count == 1 else f"{count} passings"
    deleted = engine.deleted_passing_count()  # none on a followed board
    if not deleted:
        return shown
    retimed = engine.deleted_passing_count_by(TIMING_SYSTEM)
    said = [f"{deleted - retimed} deleted"] if deleted > retimed else []
    if retimed:
        said.append(f"{retimed} re-timed" if short else f"{retimed} re-timed by the timing system")
    return f"{shown} ({', '.join(said)})"
