"""The P3 decoder in the real window: health panel, warnings, assigning an unknown transponder."""

from __future__ import annotations

from pathlib import Path

import pytest
from p3_captures import needs_captures, wires
from PySide6.QtCore import Qt
from PySide6.QtTest import QAbstractItemModelTester
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from timingboard.engine.events import CompetitorSet
from timingboard.feeds.p3_parser import P3Record, RecordType, StatusRecord, u
from timingboard.feeds.p3_session import SILENT_AFTER_S, DecoderHealth, P3Mapper, TimingLine
from timingboard.qt.decoder_health_model import DecoderHealthModel
from timingboard.qt.leaderboard_model import Column
from timingboard.qt.p3_client import new_p3_session
from timingboard.qt.p3_simulator import P3Simulator
from timingboard.qt.session_controller import SessionController
from timingboard.text.entry_text import EntryColumn
from timingboard.text.feed_status import HealthColumn, health_texts
from timingboard.widgets.p3_dialogs import P3ConnectDialog

JOURNEY_LOG = pytest.mark.qt_log_ignore("does not support raise", "does not support grabbing")

ENTRIES = [
    CompetitorSet(key="31", car="31", driver="Justin Haley", transponders=("3438895",)),
    CompetitorSet(key="16", car="16", driver="AJ Allmendinger"),
]


@pytest.fixture
def p3_window(tmp_path: Path, qtbot, show_window):
    made: list = []

    def start(simulator: P3Simulator, entries=ENTRIES):
        recorder = new_p3_session(tmp_path, "127.0.0.1", simulator.port)
        controller = SessionController(recorder)
        window = show_window(controller)
        window.p3.follow(
            "127.0.0.1", simulator.port, tmp_path, {}, list(entries), recorder=recorder
        )
        made.append((window, controller))
        return window, controller

    yield start
    for window, controller in made:
        window.close()
        controller.close()
        controller.deleteLater()


def _cell(window, key: str, column: Column) -> str:
    window.board_model.flush()
    return window.board_model.index(window.board_model.row_of(key), column).data()


@needs_captures
def test_the_board_follows_the_decoder_and_an_unknown_transponder_is_assigned_and_undone(
    qtbot, p3_window
):
    simulator = P3Simulator(wires(), speed=0)
    assert simulator.listen(0)
    try:
        window, controller = p3_window(simulator)
        qtbot.waitUntil(lambda: len(controller.engine.passings) == 84, timeout=20_000)
    finally:
        simulator.close()
    assert _cell(window, "31", Column.LAPS) == "29"  # the entered car, by its transponder
    assert _cell(window, "?T5691251", Column.CAR) == "T5691251"  # shown with its number
    assert window.p3.link_label.text() == "Decoder: connected"
    assert window.p3.dock.isVisible()
    # right-click the unknown car: assign its transponder to car 16, in one action
    menu = window.board.menu_for("?T5691251")
    (assign,) = [a for a in menu.actions() if a.objectName() == "assign_transponder"]
    assert assign.isEnabled()
    assert not next(
        a for a in window.board.menu_for("31").actions() if a.objectName() == "assign_transponder"
    ).isEnabled()
    assign.trigger()
    dialog = window.flow.dialog
    qtbot.waitUntil(dialog.isVisible)
    assert dialog.windowTitle() == "Assign transponder 5691251"
    dialog.input.setCurrentIndex(dialog.input.findData("16"))
    dialog.operator_field.setText("Sam")
    # the effect says what the assignment does (it read "…, laps 26 → 0, None")
    effect = dialog.effect_texts()
    assert "Car T5691251: P2 → off the board, its 26 laps now car 16's" in effect, effect
    assert not [line for line in effect if "None" in line]
    entries = window.entries.model
    QAbstractItemModelTester(entries)
    row16 = entries.row_of("16")
    cell16 = entries.index(row16, EntryColumn.TRANSPONDERS)
    assert cell16.data() == ""
    changed: list[tuple[int, int, int, int]] = []
    entries.dataChanged.connect(
        lambda a, b, _roles: changed.append((a.row(), a.column(), b.row(), b.column()))
    )
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert _cell(window, "16", Column.LAPS) == "26"
    assert window.board_model.row_of("?T5691251") < 0
    assert window.audit_model.index(0, 3).data() == "Transponder 5691251 is car 16's"
    # the Entries tab's Transponders cell of car 16 lists it (one dataChanged, that cell)
    assert cell16.data() == "5691251"
    column = int(EntryColumn.TRANSPONDERS)
    assert changed == [(row16, column, row16, column)]
    assert entries.index(entries.row_of("31"), EntryColumn.TRANSPONDERS).data() == "3438895"
    window.undo_action.trigger()  # Ctrl+Z: the laps go back to the unknown transponder
    assert _cell(window, "?T5691251", Column.LAPS) == "26"
    assert _cell(window, "16", Column.LAPS) == "0"
    assert cell16.data() == ""


def _assign_item(window, key: str):
    (item,) = [
        a for a in window.board.menu_for(key).actions() if a.objectName() == "assign_transponder"
    ]
    return item


@needs_captures
def test_assign_says_why_it_cannot_be_used_until_a_car_is_entered(qtbot, p3_window):
    simulator = P3Simulator(wires(), speed=0)
    assert simulator.listen(0)
    try:
        window, controller = p3_window(simulator, entries=[])  # connected with no entry list
        qtbot.waitUntil(lambda: len(controller.engine.passings) == 84, timeout=20_000)
    finally:
        simulator.close()
    assert window.board.menu_for("?T5691251").toolTipsVisible()  # the menu shows the tips
    item = _assign_item(window, "?T5691251")
    assert not item.isEnabled()
    assert item.text() == "&Assign this transponder to a car… (no entered car to give it to)"
    assert "add the car on the Entries tab" in item.toolTip()
    assert item.statusTip() == item.toolTip()  # in the status bar as the item is hovered
    entries = window.docks["entries"]
    entries.show()
    entries.raise_()
    editor = entries.widget()
    editor.add_field.setFocus()  # the operator enters car 16 on the Entries tab
    qtbot.waitUntil(lambda: QApplication.focusWidget() is editor.add_field)
    qtbot.keyClicks(QApplication.focusWidget(), "16")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: controller.engine.is_entered("16"))
    item = _assign_item(window, "?T5691251")
    assert item.isEnabled() and item.text() == "&Assign this transponder to a car…"
    assert "Entries tab" not in item.toolTip()  # no reason left on it
    entered = _assign_item(window, "16")  # car 16's row: not an unknown transponder
    assert not entered.isEnabled()
    assert entered.text().endswith("(not an unknown transponder)")
    assert "not on the entry list" in entered.toolTip()


@needs_captures
def test_the_health_panel_shows_the_decoders_status_and_clock(qtbot, p3_window):
    simulator = P3Simulator(wires(), speed=0)
    assert simulator.listen(0)
    try:
        window, _controller = p3_window(simulator)
        model = window.p3.health_model
        qtbot.waitUntil(lambda: model.rowCount() == 1, timeout=20_000)
        qtbot.waitUntil(lambda: model.index(0, HealthColumn.CLOCK).data() != "—", timeout=20_000)
    finally:
        simulator.close()
    texts = [model.index(0, c).data() for c in HealthColumn]
    assert texts[HealthColumn.DECODER] == "0x00041813"
    assert texts[HealthColumn.LINE] == "finish"
    assert texts[HealthColumn.TEMPERATURE].isdigit()  # the unit is in the title: °C
    assert float(texts[HealthColumn.VOLTAGE]) > 0  # V
    assert model.headerData(HealthColumn.NOISE, Qt.Orientation.Horizontal) == "Noise"


@needs_captures
def test_the_health_panel_needs_no_scroll_bar_across_at_1280_wide(qtbot, p3_window):
    simulator = P3Simulator(wires(), speed=0)
    assert simulator.listen(0)
    try:
        window, controller = p3_window(simulator)
        qtbot.waitUntil(lambda: len(controller.engine.passings) == 84, timeout=20_000)
    finally:
        simulator.close()
    assert window.width() == 1280
    view = window.p3.health_view
    model = window.p3.health_model
    qtbot.waitUntil(lambda: model.rowCount() == 1)
    header = view.horizontalHeader()
    titles = [model.headerData(c, Qt.Orientation.Horizontal) for c in HealthColumn]
    assert titles[HealthColumn.TEMPERATURE] == "°C" and titles[HealthColumn.CLOCK] == "Clock s"
    assert "volts" in model.headerData(HealthColumn.VOLTAGE, Qt.Orientation.Horizontal, 3)
    window.p3._show_health()  # as the next status record does
    qtbot.waitUntil(lambda: header.length() <= view.viewport().width())
    qtbot.waitUntil(lambda: not view.horizontalScrollBar().isVisible())
    metrics = header.fontMetrics()
    warning = header.sectionSize(HealthColumn.WARNING)
    assert warning >= metrics.horizontalAdvance("Warning")  # its title whole, not "arni"
    cells = view.fontMetrics()
    for column in HealthColumn:  # every cell whole
        text = model.index(0, column).data()
        assert cells.horizontalAdvance(text) <= header.sectionSize(column), (column, text)
    entries = window.docks["entries"].widget()
    assert not entries.table.horizontalScrollBar().isVisible()  # the Entries beside it too


def test_silence_and_a_clock_jump_are_warned_of(qapp) -> None:
    health = DecoderHealth(0x41813, status=StatusRecord(noise=40, temperature=31, gps=1))
    health.heard_at = 1000.0
    health.note_clock(995_000_000, 995.0)  # two readings: its clock runs as ours
    health.note_clock(1000_000_000, 1000.0)
    now = [1000.0]
    model = DecoderHealthModel(
        lambda: {0x41813: health}, lambda _: TimingLine(), clock=lambda: now[0]
    )
    QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    model.refresh()
    assert model.index(0, HealthColumn.WARNING).data() == "OK"
    assert model.warnings() == []
    now[0] += SILENT_AFTER_S + 5
    health.note_clock(1_030_000_000 + 20_000_000, now[0])  # 30 s ahead of where it was
    model.refresh()
    warning = model.index(0, HealthColumn.WARNING).data()
    assert warning == "silent for 20 s; clock jumped +30.000 s"
    assert model.warnings() == ["decoder 0x00041813: " + warning]
    assert model.index(0, HealthColumn.WARNING).data(Qt.ItemDataRole.ForegroundRole) is not None
    texts = health_texts(health, TimingLine(), now[0])
    assert texts[HealthColumn.GPS] == "fix (1)" and texts[HealthColumn.TEMPERATURE] == "31"


@needs_captures
def test_a_silent_decoder_is_warned_of_on_the_status_bar(qtbot, p3_window, monkeypatch):
    import timingboard.feeds.p3_session as p3_session

    monkeypatch.setattr(p3_session, "SILENT_AFTER_S", -1.0)  # silent at once
    simulator = P3Simulator(wires()[:5], speed=0)
    assert simulator.listen(0)
    try:
        window, _controller = p3_window(simulator)
        qtbot.waitUntil(lambda: "silent for" in window.p3.warning_label.text(), timeout=20_000)
    finally:
        simulator.close()
    assert window.p3.warning_label.text().startswith("decoder 0x00041813: silent for")


def test_the_connect_dialog_keeps_ok_off_until_address_and_lines_make_sense(tmp_path, qtbot):
    dialog = P3ConnectDialog("", tmp_path, "")
    qtbot.addWidget(dialog)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    dialog.address.setFocus()
    qtbot.keyClicks(QApplication.focusWidget() or dialog.address, "p3://decoder.local")
    assert ok.isEnabled(), dialog.problem.text()
    assert dialog.target() == ("decoder.local", 5403)
    dialog.lines.setText("0x41813=finish, 0x41814=pitlane")
    assert not ok.isEnabled() and "not a timing line" in dialog.problem.text()
    dialog.lines.setText("0x41813=finish, 0x41814=pit in")
    assert ok.isEnabled()
    assert dialog.timing_lines()[0x41814] == TimingLine(p3_lines_kind("pit in"))


def p3_lines_kind(text: str):
    from timingboard.feeds.p3_session import parse_line

    return parse_line(text).kind


def test_get_time_answers_become_the_clock_offset(qapp) -> None:
    from timingboard.feeds.p3_session import P3Mapper

    mapper = P3Mapper()
    mapper.take(
        [P3Record(RecordType.GET_TIME, ((1, u(1_000_500_000, 8)), (0x81, u(7, 4))))], now=1000.0
    )
    assert mapper.health[7].clock_offset_ms == 500


@needs_captures
def test_feed_menu_connects_to_a_decoder_typed_into_its_dialog(
    qtbot, tmp_path, make_controller, show_window
):
    from PySide6.QtCore import QTimer

    simulator = P3Simulator(wires(), speed=0)
    assert simulator.listen(0)
    controller = make_controller(P3Mapper().session.settings)
    window = show_window(controller)
    seen: list[str] = []

    def fill_in() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, P3ConnectDialog)
        seen.append(dialog.windowTitle())
        dialog.address.selectAll()
        qtbot.keyClicks(dialog.address, f"p3://127.0.0.1:{simulator.port}")
        dialog.folder.setText(str(tmp_path / "decoder"))
        dialog.lines.setText("0x00041813=finish")
        dialog.kind.setCurrentIndex(dialog.kind.findText("Race"))
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()

    try:
        QTimer.singleShot(0, fill_in)
        (action,) = [a for a in window.menuBar().actions() if a.text() == "Fee&d"]
        (connect,) = [
            a for a in action.menu().actions() if "P3" in a.text() and "Connect" in a.text()
        ]
        connect.trigger()
        assert seen == ["Connect to a MYLAPS / AMB P3 decoder"]
        qtbot.waitUntil(lambda: len(window.controller.engine.passings) == 84, timeout=20_000)
        assert window.p3.dock.isVisible()  # the decoder's health while it feeds the session
    finally:
        window.p3.disconnect_decoder()
        simulator.close()
    (path,) = (tmp_path / "decoder").glob("p3-*.tbs")
    assert window.controller.recorder.file.path == path
    assert not window.p3.dock.isVisible()  # no decoder feeds it now
    assert window.controller.engine.settings.kind == "race"
    assert window.statusBar().currentMessage() == f"Session file: {path}"
    window.close()


def test_opening_another_session_stops_following_the_decoder(qtbot, p3_window, tmp_path):
    from timingboard.store import SessionRecorder

    simulator = P3Simulator([], speed=0)
    assert simulator.listen(0)
    try:
        window, controller = p3_window(simulator)
        qtbot.waitUntil(lambda: window.p3.link_label.text() == "Decoder: connected")
        other = SessionRecorder.create(tmp_path / "other.tbs", P3Mapper().session.settings)
        controller.load(other)  # as File ▸ Open does
    finally:
        simulator.close()
    assert window.p3.client is None
    assert window.p3.link_label.text().startswith("Decoder: stopped")
    assert "another session was opened" in window.p3.link_label.toolTip()


def test_the_health_panel_empties_when_its_link_goes(qapp) -> None:
    source: dict = {7: DecoderHealth(7)}
    model = DecoderHealthModel(lambda: source, lambda _: TimingLine())
    QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Fatal)
    model.refresh()
    assert model.rowCount() == 1
    source = {}
    model.refresh()
    assert model.rowCount() == 0
    source = {8: DecoderHealth(8)}
    model.refresh()
    assert model.index(0, HealthColumn.DECODER).data() == "0x00000008"


def test_the_decoder_stopped_notice_is_whole_on_a_narrow_window(qtbot, p3_window, tmp_path):
    """Under ~950 px the notice read "Decoder: stopped (another s…": it is short enough to be
    read whole, and its tooltip says why."""
    from timingboard.store import SessionRecorder

    simulator = P3Simulator([], speed=0)
    assert simulator.listen(0)
    try:
        window, controller = p3_window(simulator)
        window.resize(900, 700)
        qtbot.waitUntil(lambda: window.p3.link_label.text() == "Decoder: connected")
        other = SessionRecorder.create(tmp_path / "other.tbs", P3Mapper().session.settings)
        controller.load(other)  # as File ▸ Open does
    finally:
        simulator.close()
    label = window.p3.link_label
    qtbot.waitUntil(lambda: label.text().startswith("Decoder: stopped"))
    label.repaint()
    assert label.fontMetrics().horizontalAdvance(label.text()) <= label.contentsRect().width()
    assert "another session was opened" in label.toolTip()


@needs_captures
@JOURNEY_LOG
def test_the_connect_dialog_keeps_its_choices_and_takes_the_entry_list_and_a_file_to_go_on_in(
    qtbot, tmp_path, make_controller, show_window
):
    """The walk: the dialog had no entry list nor resume field, and its session read Practice
    each time. It takes both, as ``connect p3:// --entries --resume`` does, and offers the
    kind, address and entry list last given."""
    from PySide6.QtCore import QTimer

    simulator = P3Simulator(wires(), speed=0)
    assert simulator.listen(0)
    entries = tmp_path / "entries.csv"
    entries.write_text("car,driver,transponder\n31,Justin Haley,3438895\n")
    controller = make_controller(P3Mapper().session.settings)
    window = show_window(controller)
    address = f"p3://127.0.0.1:{simulator.port}"
    seen: list[tuple[str, str, str, str]] = []

    def fill_in(resume: Path | None = None) -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, P3ConnectDialog)
        seen.append((dialog.address.text(), dialog.kind.currentText(), dialog.entries.text(), ""))
        if resume is None:
            dialog.address.selectAll()
            qtbot.keyClicks(dialog.address, address)
            dialog.folder.setText(str(tmp_path / "decoder"))
            dialog.kind.setCurrentIndex(dialog.kind.findText("Race"))
            dialog.entries.setText(str(tmp_path / "gone.csv"))
            ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
            assert not ok.isEnabled() and "does not exist" in dialog.problem.text()
            dialog.entries.setText(str(entries))
        else:
            qtbot.keyClicks(dialog.resume, str(resume))
            assert not dialog.kind.isEnabled()  # the file's own
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()

    def connect_action():
        (feed,) = [a for a in window.menuBar().actions() if a.text() == "Fee&d"]
        return next(a for a in feed.menu().actions() if "P3" in a.text() and "Connect" in a.text())

    try:
        QTimer.singleShot(0, fill_in)
        connect_action().trigger()
        qtbot.waitUntil(lambda: len(window.controller.engine.passings) == 84, timeout=20_000)
        engine = window.controller.engine
        assert engine.settings.kind == "race"
        assert engine.transponder_owner("3438895") == "31"  # the entry list, taken
        (path,) = (tmp_path / "decoder").glob("p3-*.tbs")
        window.p3.disconnect_decoder()
        # again, going on in that file: the decoder is asked for what came since
        QTimer.singleShot(0, lambda: fill_in(path))
        connect_action().trigger()
        qtbot.waitUntil(lambda: window.p3.link_label.text() == "Decoder: connected")
        assert window.controller.recorder.file.path == path
        assert window.p3.client is not None
        qtbot.waitUntil(lambda: bool(window.p3.client.resends))
        assert window.p3.client.resends[0][0] == window.p3.client.mapper.last_passing_number + 1
        assert len(window.controller.engine.passings) == 84  # nothing counted twice
    finally:
        window.p3.disconnect_decoder()
        simulator.close()
    # the second time the dialog offered what was given the first
    assert seen == [
        ("p3://127.0.0.1:5403", "Practice", "", ""),
        (address, "Race", str(entries), ""),
    ]
    assert list((tmp_path / "decoder").glob("p3-*.tbs")) == [path]  # no new file
    window.close()


@needs_captures
@JOURNEY_LOG
def test_a_p3_race_waits_for_the_operators_green(qtbot, tmp_path, show_window):
    """The walk: a P3 race went green by itself at the first passing (FlagChanged green at
    0, "since green 0:00:06" with no F5 pressed). It goes green on F5, and the crossings before
    it read "before green"."""
    from journey import User

    from timingboard.engine.car import PassingStatus
    from timingboard.engine.settings import SessionKind

    simulator = P3Simulator(wires()[:700], speed=0)  # the first 40-odd passings
    assert simulator.listen(0)
    recorder = new_p3_session(tmp_path, "127.0.0.1", simulator.port, SessionKind.RACE)
    controller = SessionController(recorder)
    window = show_window(controller)
    try:
        window.p3.follow(
            "127.0.0.1", simulator.port, tmp_path, {}, list(ENTRIES), recorder=recorder
        )
        engine = controller.engine
        qtbot.waitUntil(lambda: len(engine.passings) > 30, timeout=20_000)
        qtbot.waitUntil(lambda: simulator.played == 700, timeout=20_000)
        before = len(engine.passings)
        assert engine.flag_changes() == ()  # no green by itself
        assert window.header.flag.text().strip() != "GREEN"
        user = User(qtbot, window)
        user.show()
        user.press(Qt.Key.Key_F5)
        assert [f for _t, _s, f in engine.flag_changes()] == ["green"]
        statuses = {engine.passing_status(pid) for pid in engine.passing_ids()}
        assert statuses == {PassingStatus.BEFORE_START}, statuses
        assert len(engine.passings) == before
        assert window.header.flag.text().strip() == "GREEN"
    finally:
        window.p3.disconnect_decoder()
        simulator.close()
        window.close()
        controller.close()
