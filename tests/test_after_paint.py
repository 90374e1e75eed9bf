"""Work held until after a paint runs one piece after each paint, in line (frame_throttle)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QWidget

from timingboard.qt import frame_throttle
from timingboard.qt.frame_throttle import AfterPaint


class _Paints(QObject):
    def __init__(self, ran: list[str]) -> None:
        super().__init__()
        self._ran = ran

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and self._ran[-1:] != ["paint"]:
            self._ran.append("paint")
        return False


def _shown(qtbot, ran: list[str]) -> tuple[QWidget, _Paints]:
    widget = QWidget()
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    paints = _Paints(ran)
    widget.installEventFilter(paints)
    return widget, paints


def test_those_waiting_run_one_after_each_paint_in_the_order_started(qtbot, monkeypatch) -> None:
    # only a paint runs them: a loaded CI machine held the paint past the 0.2 s fallback once
    monkeypatch.setattr(frame_throttle, "AFTER_PAINT_WAIT_MS", 60_000)
    ran: list[str] = []
    widget, _paints = _shown(qtbot, ran)
    reveal = AfterPaint(lambda: (ran.append("reveal"), widget.update()))

    def curves() -> None:  # the chart's second step, then its last ahead of the log's
        ran.append("curves")
        widget.update()
        reveal.start(first=True)

    log = AfterPaint(lambda: (ran.append("log"), widget.update()))
    chart = AfterPaint(lambda: ran.append("chart"), then=curves)
    chart.start()
    log.start()
    assert chart.pending and log.pending
    ran.clear()
    widget.update()  # the board's paint
    qtbot.waitUntil(lambda: ran[-1:] == ["paint"] and "log" in ran, timeout=3000)
    assert ran == ["paint", "chart", "curves", "paint", "reveal", "paint", "log", "paint"]
    assert not (chart.pending or log.pending or reveal.pending)


def test_one_stopped_lets_the_next_wait_for_the_paint(qtbot) -> None:
    ran: list[str] = []
    widget, _paints = _shown(qtbot, ran)
    first = AfterPaint(lambda: ran.append("first"))
    second = AfterPaint(lambda: ran.append("second"))
    first.start()
    second.start()
    first.stop()
    ran.clear()
    widget.update()
    qtbot.waitUntil(lambda: "second" in ran, timeout=3000)
    assert ran == ["paint", "second"]
    assert not first.pending


def test_a_widget_painted_already_is_not_waited_for(qtbot, monkeypatch) -> None:
    """A long session's board kept as shown ahead gets no paint: the charts wait for the next
    paint of any window, not for the board's (they waited ``AFTER_PAINT_WAIT_MS`` for it)."""
    monkeypatch.setattr(frame_throttle, "AFTER_PAINT_WAIT_MS", 60_000)  # only a paint runs it
    ran: list[str] = []
    widget, _paints = _shown(qtbot, ran)
    widget.resize(100, 100)
    board = QWidget(widget)  # shown, not painted again: the window paints elsewhere
    board.setGeometry(0, 0, 10, 10)
    board.show()
    qtbot.wait(50)
    for kept in (True, False):
        ran.clear()
        job = AfterPaint(lambda: ran.append("charts"))
        job.wait_for(board, lambda kept=kept: kept)
        job.start()
        widget.update(60, 60, 10, 10)
        qtbot.waitUntil(lambda: "paint" in ran)
        qtbot.wait(30)  # the turn after that paint
        assert ("charts" in ran) is kept  # else it waits for the board's own paint
        job.stop()
