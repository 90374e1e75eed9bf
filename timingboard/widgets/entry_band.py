"""On the wall scoreboard, what the operator types and what the Entry panel says of it.

In board mode the Entry panel is out of sight, and a scoreboard window is what the operator
looks at across the room: a number being typed, an unknown number held, a number refused were
said only on the panel, so the wall showed nothing of them. The band says the panel's own words
(the panel is their one home), in large type over the bottom of the field, never resizing the
table (its type would jump at each key).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

GOOD, WARNING, BAD = "#4cd964", "#f2c200", "#ff6b6b"
SAID_SHOWN_MS = 4000  # a message that needs nothing done (a lap recorded) leaves the wall after
TYPED_SHARE = 0.4  # of the band's width, at most, for the number being typed
TOP_BORDER_PX, TYPED_BORDER_PX, TYPED_PADDING_PX = 3, 3, 2


class Tone(StrEnum):
    PLAIN = "plain"
    GOOD = "good"
    WARNING = "warning"  # an unknown number, a held crossing, a double read: look
    BAD = "bad"  # refused: nothing logged


# background, text: on the wall the warning is the panel's loud yellow box
BAND_COLOURS = {
    Tone.PLAIN: ("#111111", "#f4f4f4"),
    Tone.GOOD: ("#111111", GOOD),
    Tone.WARNING: (WARNING, "#111111"),
    Tone.BAD: ("#b71c1c", "#ffffff"),
}
STAYS = (Tone.WARNING, Tone.BAD)  # shown until something else is said: the operator must act


@dataclass(frozen=True, slots=True)
class EntryTold:
    """What the Entry panel shows now: the field, its message, the crossings held."""

    typed: str = ""
    message: str = ""  # "": nothing beyond the prompt
    tone: Tone = Tone.PLAIN
    held: str = ""
    said: int = 0  # counts the messages said: the same words said again are shown again


class EntryBand(QFrame):
    """Across the bottom of a scoreboard, over the field, while there is something to see.

    It stays while a number is typed, a crossing is held or the last message is a warning or a
    refusal; any other message shows for :data:`SAID_SHOWN_MS`, or until the next number is
    begun (next to it, it would read as said of it).
    """

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("entryBand")
        self.typed = self._label("entryBandTyped", bold=True)
        self.typed.setTextFormat(Qt.TextFormat.PlainText)
        self.message = self._label("entryBandMessage", bold=True)
        self.held = self._label("entryBandHeld")
        for label in (self.message, self.held):
            label.setWordWrap(True)
            label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        said = QVBoxLayout()
        said.setSpacing(4)
        said.addWidget(self.message)
        said.addWidget(self.held)
        self._row = row = QHBoxLayout(self)
        row.setContentsMargins(16, 10, 16, 10)
        row.setSpacing(24)
        row.addWidget(self.typed, 0, Qt.AlignmentFlag.AlignVCenter)
        row.addLayout(said, 1)
        self._told = EntryTold()
        self._fresh = QTimer(self, singleShot=True, interval=SAID_SHOWN_MS)
        self._fresh.timeout.connect(self._on_fresh_timeout)
        self._point_size = 24
        self.set_point_size(self._point_size)
        self.setVisible(False)

    def _label(self, name: str, bold: bool = False) -> QLabel:
        label = QLabel(self)
        label.setObjectName(name)
        font = QFont(label.font())
        font.setBold(bold)
        label.setFont(font)
        return label

    @property
    def told(self) -> EntryTold:
        return self._told

    def show_told(self, told: EntryTold) -> None:
        """What the panel shows now; a new message shows afresh."""
        if told.said != self._told.said and told.message:
            self._fresh.start()
        elif told.typed and not self._told.typed:
            self._fresh.stop()  # the next number: what was said of the last would read as its
        self._told = told
        self.held.setText(told.held)
        self.held.setVisible(bool(told.held))
        self.message.setText(told.message)
        self.message.setVisible(bool(told.message) and self._message_wanted())
        self.typed.setVisible(bool(told.typed))
        tone = Tone.WARNING if told.held and told.tone is not Tone.BAD else told.tone
        background, text = BAND_COLOURS[tone]
        self.setStyleSheet(
            f"#entryBand {{ background: {background}; border-top: {TOP_BORDER_PX}px solid "
            f"{text}; }} QLabel {{ color: {text}; background: transparent; }}"
            f"#entryBandTyped {{ border: {TYPED_BORDER_PX}px solid {text}; "
            f"padding: {TYPED_PADDING_PX}px 14px; }}"
        )
        self.place()

    def wanted(self) -> bool:
        """Something is to be seen: typed, held, a warning, or a message said just now."""
        return bool(self._told.typed or self._told.held) or self._message_wanted()

    def _message_wanted(self) -> bool:
        told = self._told
        return bool(told.message) and (told.tone in STAYS or self._fresh.isActive())

    def _on_fresh_timeout(self) -> None:
        self.message.setVisible(self._message_wanted())
        self.place()

    def set_point_size(self, size: int) -> None:
        """The band's type follows the board's: the typed number larger still."""
        self._point_size = size
        for label, points in ((self.typed, size * 3 // 2), (self.message, size), (self.held, size)):
            font = QFont(label.font())
            font.setPointSize(max(1, points))
            label.setFont(font)
        self.place()

    def least_height(self, point_size: int) -> int:
        """Its height at ``point_size`` with a number typed or one line said: the room the
        scoreboard keeps for it under the rows, so that it covers none when it appears."""
        margins = self._row.contentsMargins()
        typed = QFont(self.typed.font())
        typed.setPointSize(max(1, point_size * 3 // 2))
        said = QFont(self.message.font())
        said.setPointSize(max(1, point_size))
        typed_height = QFontMetrics(typed).height() + 2 * (TYPED_BORDER_PX + TYPED_PADDING_PX)
        lines = max(typed_height, QFontMetrics(said).height())
        return lines + margins.top() + margins.bottom() + TOP_BORDER_PX

    def _height_for(self, width: int) -> int:
        """The words' height at this width (a layout asks a wrapped label its height for a
        guessed width, not this one)."""
        row = self._row
        margins = row.contentsMargins()
        room = width - margins.left() - margins.right()
        if self._told.typed:
            room -= self.typed.sizeHint().width() + row.spacing()
        room = max(1, room)
        lines = [label for label in (self.message, self.held) if not label.isHidden()]
        words = sum(label.heightForWidth(room) for label in lines) + 4 * max(0, len(lines) - 1)
        typed = self.typed.sizeHint().height() if self._told.typed else 0
        return max(words, typed) + margins.top() + margins.bottom()

    def place(self) -> None:
        """Over the bottom of the parent, as wide as it, as tall as the words."""
        parent = self.parentWidget()
        if parent is None:
            return
        width = parent.width()
        metrics = self.typed.fontMetrics()
        room = max(1, int(width * TYPED_SHARE))
        self.typed.setText(metrics.elidedText(self._told.typed, Qt.TextElideMode.ElideLeft, room))
        height = self._height_for(width)
        self.setGeometry(0, max(0, parent.height() - height), width, height)
        self.setVisible(self.wanted())
        self.raise_()
