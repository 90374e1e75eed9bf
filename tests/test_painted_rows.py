"""The passings log draws back the rows it painted: what it shows is what Qt paints, a passing
at the top paints only the rows not seen before, and a picked row stays picked and lit."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QColor, QImage, QPalette
from race_scripts import QUARTER_MILE_RACE, field, laps_at, merged_in_time

from timingboard.engine import DeletePassing, Flag, FlagChanged, Passing
from timingboard.qt.passings_model import PassingColumn, PassingRole, PassingsModel
from timingboard.widgets.passings_log import PassingsLogView

CARS = [str(n) for n in range(1, 13)]


def _log(make_controller, qtbot, monkeypatch):
    """A shown log of a dozen cars' laps, and a count of the rows it paints into pixmaps."""
    controller = make_controller(QUARTER_MILE_RACE)
    model = PassingsModel(controller)
    log = PassingsLogView(model)
    qtbot.addWidget(log)
    log.resize(420, 300)
    log.show()
    qtbot.waitExposed(log)
    controller.submit([*field(CARS), FlagChanged(time_ms=0, flag=Flag.GREEN)])
    controller.submit(
        merged_in_time(*(laps_at(c, 100 * i, 14_000 + 10 * i, 6) for i, c in enumerate(CARS)))
    )
    model.flush()
    painted: list[int] = []
    rows = log._painted_rows
    paint_row = rows._painted

    def counted(row: int, width: int, height: int):
        painted.append(model.passing_id_at(row))
        return paint_row(row, width, height)

    monkeypatch.setattr(rows, "_painted", counted)
    qtbot.waitUntil(lambda: _on_screen(log) == _by_qt(log, monkeypatch))
    return controller, model, log, painted


def _on_screen(widget) -> QImage:
    """What the window shows (its backing store)."""
    return widget.screen().grabWindow(widget.winId()).toImage()


def _by_qt(log: PassingsLogView, monkeypatch) -> QImage:
    """The log as Qt's own table paints it, no row drawn back."""
    with monkeypatch.context() as patch:
        patch.setattr(log._painted_rows, "paint", lambda event, by_qt: by_qt(event))
        return log.grab().toImage()


def _crossing(controller, model, time_ms: int, car: str = "1") -> None:
    controller.submit([Passing(time_ms=time_ms, car=car)])
    model.flush()


def test_a_passing_at_the_top_paints_the_rows_not_seen_before_and_shows_what_qt_paints(
    make_controller, qtbot, monkeypatch
) -> None:
    controller, model, log, painted = _log(make_controller, qtbot, monkeypatch)
    shown = log.viewport().height() // log.rowHeight(0)
    assert shown >= 8
    for n in range(4):  # each row seen once in each stripe: then only the newcomers
        _crossing(controller, model, 200_000 + 1000 * n, CARS[n])
        qtbot.waitUntil(lambda: _on_screen(log) == _by_qt(log, monkeypatch))
    painted.clear()
    _crossing(controller, model, 300_000, "7")
    qtbot.waitUntil(lambda: bool(painted))
    qtbot.waitUntil(lambda: _on_screen(log) == _by_qt(log, monkeypatch))
    newest = model.passing_id_at(0)
    assert model.index(0, PassingColumn.CAR).data() == "7"
    assert newest in painted and len(painted) <= 2  # the newcomer (and the row it striped)
    times = [model.index(r, PassingColumn.TIME).data() for r in range(model.rowCount())]
    assert times == sorted(times, reverse=True)  # every passing, newest first


def test_a_changed_row_is_painted_again(make_controller, qtbot, monkeypatch) -> None:
    controller, model, log, painted = _log(make_controller, qtbot, monkeypatch)
    painted.clear()
    deleted = model.passing_id_at(2)
    controller.submit([DeletePassing(passing_id=deleted)])  # struck through in the log
    model.flush()
    qtbot.waitUntil(lambda: deleted in painted)
    qtbot.waitUntil(lambda: _on_screen(log) == _by_qt(log, monkeypatch))
    font = model.index(model.row_of(deleted), 0).data(Qt.ItemDataRole.FontRole)
    assert font is not None and font.strikeOut()


def test_a_picked_passing_stays_picked_and_lit_across_passings_at_the_top(
    make_controller, qtbot, monkeypatch
) -> None:
    controller, model, log, _painted = _log(make_controller, qtbot, monkeypatch)
    log.selectionModel().select(
        model.index(3, 0),
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )
    picked = model.index(3, 0).data(PassingRole.PASSING_ID)
    qtbot.waitUntil(lambda: _on_screen(log) == _by_qt(log, monkeypatch))
    for n in range(3):
        _crossing(controller, model, 200_000 + 1000 * n, CARS[n])
        qtbot.waitUntil(lambda: _on_screen(log) == _by_qt(log, monkeypatch))
    rows = {index.row() for index in log.selectionModel().selectedIndexes()}
    assert rows == {6}  # moved down with its passing, three rows
    assert model.index(6, 0).data(PassingRole.PASSING_ID) == picked
    log.clearSelection()
    qtbot.waitUntil(lambda: _on_screen(log) == _by_qt(log, monkeypatch))


def test_the_rows_are_painted_again_when_the_columns_or_the_look_change(
    make_controller, qtbot, monkeypatch
) -> None:
    _controller, _model, log, painted = _log(make_controller, qtbot, monkeypatch)
    painted.clear()
    log.setColumnWidth(PassingColumn.TIME, log.columnWidth(PassingColumn.TIME) + 30)
    qtbot.waitUntil(lambda: len(painted) >= 8)
    qtbot.waitUntil(lambda: _on_screen(log) == _by_qt(log, monkeypatch))
    painted.clear()
    palette = log.palette()
    palette.setColor(QPalette.ColorRole.Base, QColor("#203040"))
    palette.setColor(QPalette.ColorRole.AlternateBase, QColor("#304050"))
    log.setPalette(palette)  # a theme switched
    qtbot.waitUntil(lambda: len(painted) >= 8)
    qtbot.waitUntil(lambda: _on_screen(log) == _by_qt(log, monkeypatch))
    image = log.viewport().grab().toImage()
    stripes = {image.pixelColor(2, log.rowViewportPosition(r) + 2).name() for r in (2, 3)}
    assert stripes == {"#203040", "#304050"}  # the new look, both stripes
