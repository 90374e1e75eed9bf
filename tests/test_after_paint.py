"""Work held until after a paint runs one piece after each paint, in line (frame_throttle)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QWidget

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


def test_those_waiting_run_one_after_each_paint_in_the_order_started(qtbot) -> None:
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
