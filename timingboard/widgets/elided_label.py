"""Labels whose text never widens the window: a long text is cut with "…", whole in the tooltip.

A QLabel asks for its whole text's width as its minimum, so one long line ("FEED LOST — cannot
reach …; next try in 8 s", a status-bar feed message) widened the window's centre and squeezed
the docks, and the layout saved then kept them starved. An elided label asks for little and
draws what fits; its ``text()`` stays the whole text.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QPaintEvent, QTextLayout
from PySide6.QtWidgets import QLabel, QStatusBar, QStyle, QStyleOption, QWidget

SMALLEST_WIDTH = 80  # px: the least share of the status bar a label is held to
STATUS_SHARE = 4  # a status-bar label takes at most a quarter of the bar: the message has room
SHARE_PROPERTY = "statusShare"  # a label's own share (2: half the bar), for a line read whole
SHORT_PROPERTY = "shortText"  # what a label says when its whole text has no room (no "…")
Fitter = Callable[[QFontMetrics, int], str]  # the text to draw in a room too small for the whole


class ElidedLabel(QObject):
    """Installed on a plain-text label: it may shrink below its text and draws it elided."""

    def __init__(self, label: QLabel, mode: Qt.TextElideMode = Qt.TextElideMode.ElideRight) -> None:
        super().__init__(label)
        self._label = label
        self._mode = mode
        self._tip = ""  # the tooltip this gave (a label's own tooltip is left alone)
        self.fit: Fitter | None = None  # which parts give way first, for a text of parts
        label.setMinimumWidth(1)  # its text's width is what it would like, not what it needs
        label.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._label and event.type() == QEvent.Type.Paint:
            return self._paint()
        return False

    def shown(self) -> str:
        """The text as drawn in the label's room: whole, its short form, or elided."""
        label = self._label
        room = label.contentsRect().width()
        metrics = label.fontMetrics()
        text = label.text()
        short = str(label.property(SHORT_PROPERTY) or "")
        if metrics.horizontalAdvance(text) <= room:
            return text
        if self.fit is not None:
            text = self.fit(metrics, room)
        elif short:
            text = short  # the detail is in the tooltip
        return metrics.elidedText(text, self._mode, room)

    def _paint(self) -> bool:
        label = self._label
        text = label.text()
        room = label.contentsRect().width()
        fits = label.fontMetrics().horizontalAdvance(text) <= room
        if label.toolTip() in ("", self._tip):
            self._tip = "" if fits else text
            label.setToolTip(self._tip)
        if fits or label.textFormat() == Qt.TextFormat.RichText:
            return False  # the label draws itself
        painter = QPainter(label)
        option = QStyleOption()
        option.initFrom(label)
        label.style().drawPrimitive(QStyle.PrimitiveElement.PE_Widget, option, painter, label)
        painter.setPen(label.palette().color(label.foregroundRole()))
        painter.drawText(label.contentsRect(), int(label.alignment()), self.shown())
        painter.end()
        return True


def elide(label: QLabel, mode: Qt.TextElideMode = Qt.TextElideMode.ElideRight) -> QLabel:
    """``label``, from now on elided when its text is longer than its room (in the middle
    where its end says as much as its start: "Busch Light…Heat 1", "#109 Rob…2:20.031")."""
    if label.findChild(ElidedLabel) is None:
        ElidedLabel(label, mode)
    return label


class StatusLabels(QObject):
    """Installed on a status bar: each label added to it is elided and takes at most a share of
    the bar, whoever adds it (feed, decoder, follow mode, read-only notice)."""

    def __init__(self, bar: QStatusBar) -> None:
        super().__init__(bar)
        self._bar = bar
        bar.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.ChildAdded, QEvent.Type.ChildPolished, QEvent.Type.Resize):
            self.fit()
        return False

    def fit(self) -> None:
        direct = Qt.FindChildOption.FindDirectChildrenOnly
        for label in self._bar.findChildren(QLabel, options=direct):
            share = label.property(SHARE_PROPERTY)
            most = max(SMALLEST_WIDTH, self._bar.width() // int(share or STATUS_SHARE))
            elide(label).setMaximumWidth(most)
            if share:  # a line to read whole: as wide as its text, up to its share
                label.setMinimumWidth(min(label.sizeHint().width(), most))


def set_short(label: QLabel, text: str, short: str) -> None:
    """``text`` for an elided label, drawn as ``short`` when the whole has no room."""
    label.setProperty(SHORT_PROPERTY, short if short != text else "")
    label.setText(text)
    label.update()


def set_fitted(label: QLabel, text: str, fit: Fitter | None) -> None:
    """``text`` for an elided label; where it has no room, ``fit`` says what is drawn instead
    (the parts that must be read kept whole, the others cut), still cut with "…" if too long."""
    elided = elide(label).findChild(ElidedLabel)
    assert elided is not None
    elided.fit = fit
    label.setText(text)
    label.update()


def refit_status_labels(bar: QStatusBar) -> None:
    """Fit the bar's labels again after a label's text changed (its share may now cut it)."""
    for fitter in bar.findChildren(StatusLabels):
        fitter.fit()


def fit_status_labels(bar: QStatusBar) -> QWidget:
    StatusLabels(bar)
    return bar


def _line_spans(text: str, font: QFont, width: int) -> list[tuple[int, int]]:
    """(start, length) of each line of ``text`` word-wrapped at ``width``."""
    layout = QTextLayout(text, font)
    spans: list[tuple[int, int]] = []
    layout.beginLayout()
    while True:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(max(1, width))
        spans.append((line.textStart(), line.textLength()))
    layout.endLayout()
    return spans


def elide_lines(text: str, font: QFont, width: int, lines: int) -> str:
    """``text`` word-wrapped at ``width`` in at most ``lines`` lines, the last cut with "…"."""
    starts = [start for start, _length in _line_spans(text, font, width)]
    if len(starts) <= lines:
        return text
    start = starts[max(0, lines - 1)]
    last = QFontMetrics(font).elidedText(text[start:], Qt.TextElideMode.ElideRight, width)
    return text[:start] + last


def broken_lines(text: str, font: QFont, width: int, lines: int) -> str:
    """:func:`elide_lines` with the breaks written in ("\n"): a label of it, not wrapping,
    asks for exactly its lines' height (a wrapping one was given the room of a guessed width)."""
    shown = elide_lines(text, font, width, lines)
    spans = _line_spans(shown, font, width)
    return "\n".join(shown[start : start + length].strip() for start, length in spans)


class LinesLabel(QLabel):
    """A word-wrapped label in a room of fixed height: what does not fit its lines is cut with
    "…" (whole in the tooltip), so a longer message never grows it and moves what is under it.
    Its ``text()`` stays the whole text."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setWordWrap(True)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self._tip = ""  # the tooltip this gave (one set from outside is left alone)

    def shown(self) -> str:
        """The text as drawn: whole, or cut to the lines the room holds."""
        self.ensurePolished()  # a style sheet's font (the loud message's 15 pt)
        room = self.contentsRect()
        lines = max(1, room.height() // max(1, self.fontMetrics().lineSpacing()))
        return elide_lines(self.text(), self.font(), room.width(), lines)

    def paintEvent(self, event: QPaintEvent) -> None:
        shown = self.shown()
        if self.toolTip() in ("", self._tip):
            self._tip = "" if shown == self.text() else self.text()
            self.setToolTip(self._tip)
        if shown == self.text():
            super().paintEvent(event)
            return
        painter = QPainter(self)
        option = QStyleOption()
        option.initFrom(self)
        self.style().drawPrimitive(QStyle.PrimitiveElement.PE_Widget, option, painter, self)
        painter.setPen(self.palette().color(self.foregroundRole()))
        flags = int(self.alignment()) | int(Qt.TextFlag.TextWordWrap)
        painter.drawText(self.contentsRect(), flags, shown)
        painter.end()
