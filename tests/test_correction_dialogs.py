"""The correction dialogs and the export dialog in the real window: readable fields, refused
nonsense, a preview worked out only when the correction changes, undo that outlives its desk."""

from __future__ import annotations

import gc
import weakref
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QComboBox, QDialogButtonBox, QLineEdit, QWidget
from race_scripts import QUARTER_MILE_RACE, three_car_race
from test_journeys_corrections import race

from timingboard.engine import (
    DeletePassing,
    Disqualify,
    InsertPassing,
    LapPenalty,
    LogEntry,
    ReassignPassing,
    SessionSettings,
    TimePenalty,
    TimingEngine,
)
from timingboard.engine.audit import preview
from timingboard.qt.correction_desk import CorrectionDesk
from timingboard.qt.session_controller import SessionController
from timingboard.store import SessionRecorder
from timingboard.widgets.correction_flow import CorrectionFlow

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support (raise|grabbing)")


@pytest.fixture
def flow_on(make_controller, qtbot, tmp_path: Path):
    """A correction flow on a session of ``race()``, its operator's name in the settings, its
    clock running from 0:02:00 (a missed passing is one already made: none after now)."""

    def make(settings: SessionSettings = QUARTER_MILE_RACE, name: str = "Sam", events=None):
        controller = make_controller(settings)
        controller.submit(events or race())
        controller.run_clock(120_000)
        window = QWidget()
        qtbot.addWidget(window)
        stored = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
        if name:
            stored.setValue("operator/name", name)
        desk = CorrectionDesk(controller)
        return controller, desk, CorrectionFlow(desk, stored, window)

    return make


def _ok(dialog) -> bool:
    return dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()


# --- 9: the insert-missed-passing dialog ----------------------------------------------------------


def test_insert_dialog_fields_are_wide_enough_to_read(show_window, make_controller, qtbot) -> None:
    controller = make_controller(QUARTER_MILE_RACE)
    controller.submit(race())
    window = show_window(controller)
    window.resize(1280, 800)
    dialog = window.flow.on_car("insert", "3")
    qtbot.waitExposed(dialog)
    lap_choice, lap_time = dialog.inputs
    assert lap_choice.width() >= 220 and lap_time.width() >= 220
    text = lap_choice.currentText()
    assert lap_choice.fontMetrics().horizontalAdvance(text) < lap_choice.width()
    assert dialog.help.wordWrap() and dialog.help.isVisible()
    dialog.reject()


def test_insert_from_the_board_goes_into_the_long_lap(flow_on) -> None:
    controller, _, flow = flow_on()
    dialog = flow.on_car("insert", "3")
    dialog.set_input("14.000", 1)
    assert dialog.event_() == InsertPassing(time_ms=30_000, key="3")  # from 0:00:16, not 0:01:02
    dialog.set_input("31.000", 1)  # past the end of that lap
    assert dialog.summary.text() == (
        "⚠ lap 2 ended at 0:00:47.000: a lap time of 31.000 puts the passing after it"
    )
    assert not _ok(dialog)
    dialog.set_input("3", 0)  # the operator picks "after its last passing" instead
    dialog.set_input("14.000", 1)
    assert dialog.event_() == InsertPassing(time_ms=76_500, key="3")
    dialog.set_input("@0:00:31.500", 1)  # a session time in another stretch: refused, kept
    assert dialog.event_() is None and not _ok(dialog)
    assert dialog.summary.text() == (
        "⚠ 0:00:31.500 is before lap 3's crossing at 0:01:02.500: the passing missed there "
        "comes after it (or pick the lap it was missed in)"
    )
    assert dialog.inputs[1].text() == "@0:00:31.500"
    dialog.set_input("1", 0)  # lap 2, where it is
    assert dialog.event_() == InsertPassing(time_ms=31_500, key="3")
    dialog.set_input("@0:00:48.000", 1)  # after lap 2 ended
    assert dialog.summary.text() == (
        "⚠ lap 2 ended at 0:00:47.000: 0:00:48.000 is not before that crossing (pick the lap it "
        "was missed in)"
    )
    dialog.reject()
    assert controller.engine.corrections == {}


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("0.028", "that makes a lap of 0.028 s after the passing at 0:00:16.000"),
        ("@0:00:46.990", "that leaves 0.010 s to the passing at 0:00:47.000"),
        ("@0:00:16.000", "that makes a lap of 0.000 s"),
    ],
)
def test_insert_refuses_a_lap_below_the_minimum(flow_on, typed: str, problem: str) -> None:
    _, _, flow = flow_on()
    dialog = flow.on_car("insert", "3")
    dialog.set_input(typed, 1)
    assert dialog.summary.text().startswith(f"⚠ {problem}")
    assert "shorter than the session's minimum lap (8.000)" in dialog.summary.text()
    assert not _ok(dialog) and dialog.effect_texts() == []
    dialog.accept()  # forced: nothing is logged
    assert flow._desk.controller.engine.corrections == {}


def test_without_a_minimum_lap_half_the_best_lap_is_the_floor(flow_on) -> None:
    no_minimum = SessionSettings(name="Heat", track_length=0.25, race_laps=10)
    controller, _, flow = flow_on(no_minimum, events=three_car_race())
    assert controller.engine.session_best[1].duration_ms == 13_900
    dialog = flow.on_car("insert", "3")  # no lap looks like two: after its last passing
    dialog.set_input("6.000", 1)
    assert "shorter than half the session's best lap (6.950)" in dialog.summary.text()
    dialog.set_input("7.000", 1)
    assert _ok(dialog)
    dialog.reject()


# --- 11: why OK is off, and who undoes ------------------------------------------------------------


def test_ok_says_what_is_missing(flow_on) -> None:
    _, _, flow = flow_on(name="")
    dialog = flow.on_car("time_penalty", "2")
    assert dialog.missing.text() == "Your name is required for the audit."
    dialog.operator_field.setText("Sam")
    assert dialog.missing.text() == "A reason is required."
    dialog.reason_field.setText("jumped the restart")
    assert dialog.missing.text() == "" and _ok(dialog)
    dialog.set_input("0")
    assert dialog.summary.text() == "⚠ a time penalty needs a non-zero time"
    assert not _ok(dialog) and dialog.missing.text().startswith("Nothing to confirm yet")
    dialog.reject()


def test_undo_after_a_restart_is_signed_with_the_operator_in_the_settings(
    tmp_path: Path, qtbot
) -> None:
    path = tmp_path / "race.tbs"
    controller = SessionController(SessionRecorder.create(path, QUARTER_MILE_RACE))
    controller.submit(three_car_race())
    desk = CorrectionDesk(controller)
    desk.operator = "Pat"
    desk.correct(LapPenalty(key="2", laps=1), reason="pit lane speeding")
    controller.close()
    reopened = SessionController(SessionRecorder.open(path))
    window = QWidget()
    qtbot.addWidget(window)
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    settings.setValue("operator/name", "Sam")
    desk = CorrectionDesk(reopened)
    CorrectionFlow(desk, settings, window)
    desk.undo_stack.undo()
    desk.undo_stack.redo()
    signed = [(c.operator, c.reason) for c in reopened.engine.corrections.values()]
    assert signed == [("Pat", "pit lane speeding"), ("Sam", "undo"), ("Sam", "redo")]
    reopened.close()


# --- 16: the preview ------------------------------------------------------------------------------


def test_preview_is_worked_out_only_when_the_correction_changes(flow_on) -> None:
    _, _, flow = flow_on()
    dialog = flow.on_car("time_penalty", "2")
    assert dialog.preview_count == 1
    dialog.reason_field.setText("jumped the restart")
    dialog.operator_field.setText("Sam Steward")
    assert dialog.preview_count == 1
    dialog.set_input("5.0")  # the same five seconds
    assert dialog.preview_count == 1
    dialog.set_input("6")
    assert dialog.preview_count == 2
    assert dialog.effect_texts() == ["Car 2: P1 → P2", "Car 1: P2 → P1"]
    dialog.reject()


def test_preview_on_a_copy_matches_the_session_rebuilt(make_controller) -> None:
    controller = make_controller(QUARTER_MILE_RACE)
    controller.submit(race())
    engine = controller.engine
    before = (engine.seq, engine.standings())

    def pid(car: str, time_ms: int) -> int:
        return next(p for p, r in engine.passings.items() if (r.car, r.time_ms) == (car, time_ms))

    for correction in (
        InsertPassing(time_ms=31_500, key="3"),
        DeletePassing(passing_id=pid("2", 56_600)),
        ReassignPassing(passing_id=pid("2", 28_400), key="3"),
        TimePenalty(key="2", ms=5000),
        Disqualify(key="1"),
    ):
        rebuilt = TimingEngine.from_log(
            engine.settings, [*engine.log, LogEntry(engine.seq + 1, correction)]
        )
        expected = [
            (k, engine.standing(k), rebuilt.standing(k))
            for k in engine.order()
            if (engine.standing(k).position, engine.standing(k).laps, engine.standing(k).status)
            != (rebuilt.standing(k).position, rebuilt.standing(k).laps, rebuilt.standing(k).status)
        ]
        changes = preview(engine, [correction])
        assert {c.key: (c.after, c.laps_after, c.status_after) for c in changes} == {
            k: (new.position, new.laps, new.status) for k, _, new in expected
        }
    assert (engine.seq, engine.standings()) == before  # the session was not touched


# --- 17: the undo stack and its desk --------------------------------------------------------------


def test_a_dropped_desk_is_freed_without_the_collector(make_controller) -> None:
    controller = make_controller(QUARTER_MILE_RACE)
    controller.submit(three_car_race())
    desk = CorrectionDesk(controller)
    desk.correct(TimePenalty(key="2", ms=1000), reason="x")
    desk.undo_stack.undo()
    gone = weakref.ref(desk)
    collecting = gc.isenabled()  # off already where the GUI thread's timer collects
    gc.disable()
    try:
        del desk
        assert gone() is None  # no cycle through the commands: freed at once
    finally:
        if collecting:
            gc.enable()


def test_desks_created_dropped_and_collected_many_times(tmp_path: Path, qapp) -> None:
    for round_ in range(60):
        controller = SessionController(
            SessionRecorder.create(tmp_path / f"{round_}.tbs", QUARTER_MILE_RACE)
        )
        controller.submit(three_car_race())
        desk = CorrectionDesk(controller)
        for seconds in (1, 2, 3):
            desk.correct(TimePenalty(key="2", ms=seconds * 1000), reason="x")
        desk.undo_stack.undo()
        command = desk.undo_stack.command(0)
        controller.close()
        del desk
        gc.collect()
        command.undo()  # a command outliving its desk does nothing, and does not crash
        del command, controller
        gc.collect()


# --- 10: the export dialog ------------------------------------------------------------------------


def _export_dialog(window, qtbot):
    window.results.export_action.trigger()
    dialog = window.results.export_dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.isAncestorOf(QApplication.focusWidget()))
    return dialog


def _choose_file_type(qtbot, dialog, downs: int) -> None:
    """Tab to the file type, then the arrow keys, as with the keyboard."""
    combo = dialog.findChild(QComboBox, "fileTypeCombo")
    for _ in range(10):
        if QApplication.focusWidget() is combo:
            break
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is combo
    for _ in range(downs):
        qtbot.keyClick(combo, Qt.Key.Key_Down)


def _type_file_name(qtbot, dialog, name: str) -> None:
    edit = dialog.findChild(QLineEdit, "fileNameEdit")
    while QApplication.focusWidget() is not edit:
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Backtab)
    edit.selectAll()
    qtbot.keyClicks(edit, name)
    qtbot.keyClick(edit, Qt.Key.Key_Return)


def test_export_dialog_suggests_the_session_folder_and_name(
    make_controller, show_window, qtbot, tmp_path: Path
) -> None:
    controller = make_controller(QUARTER_MILE_RACE, name="heat.tbs")
    controller.submit(race())
    window = show_window(controller)
    dialog = _export_dialog(window, qtbot)
    assert Path(dialog.directory().absolutePath()) == tmp_path
    edit = dialog.findChild(QLineEdit, "fileNameEdit")
    assert edit.text() == "Heat 1 results.pdf"
    _choose_file_type(qtbot, dialog, 2)  # PDF A4, PDF Letter, HTML
    assert dialog.selectedNameFilter() == "HTML (*.html)"
    assert edit.text() == "Heat 1 results.html"
    _type_file_name(qtbot, dialog, "final")
    written = tmp_path / "final.html"
    qtbot.waitUntil(written.exists)
    assert "<h1>Heat 1</h1>" in written.read_text()
    assert window.statusBar().currentMessage() == f"Results exported to {written}"


def test_the_chosen_file_type_sets_the_format(
    make_controller, show_window, qtbot, tmp_path: Path
) -> None:
    controller = make_controller(QUARTER_MILE_RACE, name="heat.tbs")
    controller.submit(race())
    window = show_window(controller)
    dialog = _export_dialog(window, qtbot)
    _choose_file_type(qtbot, dialog, 1)  # PDF, Letter
    _type_file_name(qtbot, dialog, "results")  # no type of its own: the type chosen
    written = tmp_path / "results.pdf"
    qtbot.waitUntil(written.exists)
    assert written.read_bytes().startswith(b"%PDF")
    dialog = _export_dialog(window, qtbot)
    _choose_file_type(qtbot, dialog, 1)
    _type_file_name(qtbot, dialog, "results.csv")  # a type typed in the name is what was meant
    typed = tmp_path / "results.csv"
    qtbot.waitUntil(typed.exists)
    assert typed.read_text().startswith("pos,") or "," in typed.read_text().splitlines()[0]
    assert not (tmp_path / "results.csv.pdf").exists()


def test_export_failures_are_shown(make_controller, show_window, qtbot, tmp_path: Path) -> None:
    from timingboard.app.results_actions import EXPORT_FORMATS

    controller = make_controller(QUARTER_MILE_RACE, name="heat.tbs")
    controller.submit(race())
    window = show_window(controller)
    (tmp_path / "taken").write_text("a file, not a folder")
    for export_format in EXPORT_FORMATS:
        assert window.results.export_as(tmp_path / "taken" / "r", export_format) is None
        box = window.results.message_box
        assert box is not None and box.isVisible()
        assert box.text().startswith("Results not exported: ")
        assert window.statusBar().currentMessage() == box.text()
        box.close()


def test_the_last_lap_that_looks_like_two_is_offered_first(make_controller) -> None:
    from race_scripts import field

    from timingboard.engine import Flag, FlagChanged, Passing
    from timingboard.engine.missed_passing import lap_slots, likely_slot

    controller = make_controller(QUARTER_MILE_RACE)
    # 15 s laps; lap 2 is a pit stop (22 s), laps 4 and 6 hide a missed read (30 s each)
    times = [0, 15_000, 37_000, 52_000, 82_000, 97_000, 127_000, 142_000]
    controller.submit(
        [*field(["7"]), FlagChanged(time_ms=0, flag=Flag.GREEN)]
        + [Passing(time_ms=t, car="7") for t in times]
    )
    slots = lap_slots(controller.engine, "7")
    assert [s.suspect for s in slots] == [False, False, False, True, False, True, False, False]
    assert slots[likely_slot(slots)].text == "Lap 6: 30.000 — looks like two laps"
    assert slots[-1].text == "Completes lap 8: after its last crossing (lap 7 at 0:02:22.000)"
