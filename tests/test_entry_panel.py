"""What keystrokes in the entry panel do: passings, unknown cars, flags, the hand-scoring grid."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QToolButton
from race_scripts import QUARTER_MILE_RACE, field

from timingboard.engine import Flag, Source
from timingboard.qt.manual_entry import ManualEntry
from timingboard.widgets.entry_panel import EntryPanel


def _panel(controller, qtbot) -> EntryPanel:
    panel = EntryPanel(ManualEntry(controller))
    qtbot.addWidget(panel)
    panel.show()
    qtbot.waitExposed(panel)
    panel.windowHandle().requestActivate()  # offscreen windows are not activated by show()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is panel, timeout=2000)
    panel.car_field.setFocus()
    return panel


def _type(qtbot, panel: EntryPanel, text: str) -> None:
    qtbot.keyClicks(panel.car_field, text)
    qtbot.keyClick(panel.car_field, Qt.Key.Key_Return)


def test_typing_a_car_number_and_enter_records_a_manual_passing(make_controller, qtbot) -> None:
    controller = make_controller(QUARTER_MILE_RACE)
    controller.submit(field(["31", "8"]))
    controller.run_clock(65_000)
    panel = _panel(controller, qtbot)
    _type(qtbot, panel, "31")
    records = list(controller.engine.passings.values())
    assert len(records) == 1
    assert records[0].key == "31" and records[0].source == Source.MANUAL
    assert 65_000 <= records[0].time_ms < 70_000
    assert panel.car_field.text() == ""
    assert panel.car_field.hasFocus()
    assert panel.recent.count() == 1 and "Car 31" in panel.recent.item(0).text()


def test_unknown_number_is_shown_and_can_be_accepted_as_a_new_car(make_controller, qtbot) -> None:
    controller = make_controller(QUARTER_MILE_RACE)
    controller.submit(field(["31"]))
    panel = _panel(controller, qtbot)
    _type(qtbot, panel, "88")
    assert panel.message.text().startswith("88? NOT ON THE ENTRY LIST")  # loud: a likely typo
    assert "background" in panel.message.styleSheet()
    assert not controller.engine.passings
    assert panel.car_field.text() == "88"
    qtbot.keyClick(panel.car_field, Qt.Key.Key_Return)  # accept as a new car
    assert "88" in controller.engine.competitors
    assert [r.key for r in controller.engine.passings.values()] == ["88"]


def test_unknown_number_can_be_fixed_instead(make_controller, qtbot) -> None:
    controller = make_controller(QUARTER_MILE_RACE)
    controller.submit(field(["31"]))
    panel = _panel(controller, qtbot)
    _type(qtbot, panel, "32")
    qtbot.keyClick(panel.car_field, Qt.Key.Key_Escape)
    assert panel.car_field.text() == ""
    _type(qtbot, panel, "31")
    assert [r.key for r in controller.engine.passings.values()] == ["31"]
    assert "32" not in controller.engine.competitors


def test_nonsense_is_refused_with_a_message(make_controller, qtbot) -> None:
    controller = make_controller(QUARTER_MILE_RACE)
    panel = _panel(controller, qtbot)
    for text in ("3 1", "#5", "     "):
        panel.car_field.clear()
        _type(qtbot, panel, text)
        assert not controller.engine.passings
    assert "car number" in panel.message.text().lower()


def test_flag_keys_and_buttons_keep_the_focus_in_the_field(make_controller, qtbot) -> None:
    controller = make_controller(QUARTER_MILE_RACE)
    panel = _panel(controller, qtbot)
    qtbot.keyClick(panel.car_field, Qt.Key.Key_F5)
    assert controller.engine.flag is Flag.GREEN
    qtbot.mouseClick(panel.flag_buttons[Flag.YELLOW], Qt.MouseButton.LeftButton)
    assert controller.engine.flag is Flag.YELLOW
    assert panel.car_field.hasFocus()


def test_hand_scoring_grid_has_a_button_per_car(make_controller, qtbot) -> None:
    controller = make_controller(QUARTER_MILE_RACE)
    controller.submit(field(["31", "8", "20"]))
    panel = _panel(controller, qtbot)
    qtbot.mouseClick(panel.grid_toggle, Qt.MouseButton.LeftButton)
    assert sorted(panel.grid.buttons) == ["20", "31", "8"]
    qtbot.mouseClick(panel.grid.buttons["8"], Qt.MouseButton.LeftButton)
    assert [r.key for r in controller.engine.passings.values()] == ["8"]
    assert panel.car_field.hasFocus()


def test_cars_entered_while_the_grid_is_hidden_have_their_buttons_when_it_is_shown(
    make_controller, qtbot
) -> None:
    """Hidden, the grid makes no button (a 60-car session shown made 60 each time); shown, it
    has one for each car entered meanwhile, and clicking one takes its crossing."""
    controller = make_controller(QUARTER_MILE_RACE)
    controller.submit(field(["31", "8"]))
    panel = _panel(controller, qtbot)
    assert not panel.grid.isVisible() and panel.grid.findChildren(QToolButton) == []
    controller.submit(field(["20", "31", "8"]))  # car 20 entered while hidden
    assert panel.grid.findChildren(QToolButton) == []
    qtbot.mouseClick(panel.grid_toggle, Qt.MouseButton.LeftButton)

    def shown() -> list[str]:
        buttons = panel.grid.findChildren(QToolButton)
        return sorted(b.text().split("\n")[0] for b in buttons if b.isVisible())

    qtbot.waitUntil(lambda: shown() == ["20", "31", "8"])
    qtbot.mouseClick(panel.grid.buttons["20"], Qt.MouseButton.LeftButton)
    assert [r.key for r in controller.engine.passings.values()] == ["20"]
    controller.submit(field(["20", "31", "8", "2"]))  # shown: its button at once
    assert list(panel.grid.buttons) == ["2", "8", "20", "31"]
    qtbot.waitUntil(lambda: shown() == ["2", "20", "31", "8"])


def test_without_an_entry_list_a_new_number_is_a_passing_at_once(make_controller, qtbot):
    controller = make_controller(QUARTER_MILE_RACE)
    controller.run_clock(65_000)
    panel = _panel(controller, qtbot)
    _type(qtbot, panel, "88")
    assert panel.message.text() == "Car 88: start of lap 1"
    assert "background" not in panel.message.styleSheet()
    assert [r.key for r in controller.engine.passings.values()] == ["88"]
    assert panel.car_field.text() == "" and not panel.held_line.isVisible()


def test_the_hand_scoring_grid_lists_cars_in_number_order(make_controller, qtbot) -> None:
    controller = make_controller(QUARTER_MILE_RACE)
    controller.submit(field(["31", "8", "16", "2"]))
    panel = _panel(controller, qtbot)
    assert list(panel.grid.buttons) == ["2", "8", "16", "31"]


def test_the_buttons_stay_put_whatever_the_feedback_says(make_controller, show_window, qtbot):
    controller = make_controller(QUARTER_MILE_RACE)
    controller.submit(field(["31", "8"]))
    controller.run_clock(65_000)
    window = show_window(controller)
    window.windowHandle().requestActivate()  # offscreen windows are not activated by show()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=2000)
    panel = window.entry_panel
    panel.car_field.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is panel.car_field)
    green = panel.flag_buttons[Flag.GREEN]

    def place() -> tuple:
        QApplication.processEvents()
        return green.mapTo(panel, green.rect().topLeft()), green.size(), panel.message.height()

    before = place()
    seen = []
    for typed in ("31", "31", "8", "8888", "Q!"):  # a lap, a double read, a typo, nonsense
        qtbot.keyClicks(QApplication.focusWidget(), typed)
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
        if typed == "8888":
            qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)  # set it aside
            qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)  # and drop it
        panel.car_field.clear()
        seen.append(panel.message.text())
        assert place() == before, (typed, panel.message.text())
    assert len(set(seen)) == len(seen)  # each said something else
    qtbot.keyClicks(QApplication.focusWidget(), "8888")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)  # loud, and held: whole
    assert panel.held_line.isVisible()
    assert place() == before  # its room was made for it: nothing moved
    message = panel.message
    message.repaint()
    assert message.text().startswith("8888? NOT ON THE ENTRY LIST")
    assert message.shown() == message.text()  # the operator's next step is read, not cut
    assert message.height() >= message.heightForWidth(message.width())
    for _ in range(2):  # set aside, then dropped: a window closed with it held would ask
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    assert not window.entry.pending()
    window.close()
