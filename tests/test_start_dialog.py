"""Plain ``timingboard``: the demo for a first-time user, the recent sessions for everyone else."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog
from race_scripts import QUARTER_MILE_RACE, three_car_race

from timingboard.app.recent_sessions import RecentSessions
from timingboard.app.run import build_chosen_window, build_demo_window, build_session_window
from timingboard.store import SessionRecorder
from timingboard.widgets.start_dialog import StartChoice, StartDialog


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


def _session(path: Path) -> Path:
    recorder = SessionRecorder.create(path, QUARTER_MILE_RACE)
    recorder.submit(three_car_race())
    recorder.close()
    return path


def test_a_first_time_user_has_no_recent_sessions(settings) -> None:
    assert RecentSessions(settings).paths() == []


def test_opened_sessions_are_remembered_and_the_demo_is_not(tmp_path, settings, qtbot) -> None:
    first = _session(tmp_path / "heat-1.tbs")
    window = build_session_window(SessionRecorder.open(first), settings)
    qtbot.addWidget(window)
    second = _session(tmp_path / "heat-2.tbs")
    assert window.session_actions.open_session(second)
    assert RecentSessions(settings).paths() == [second.resolve(), first.resolve()]
    window.close()
    window.controller.close()
    demo, runner = build_demo_window(100, 31, False, tmp_path / "demo", settings)
    qtbot.addWidget(demo)
    qtbot.waitUntil(lambda: "Heat 1" in demo.controller.engine.settings.name, timeout=20_000)
    assert RecentSessions(settings).paths() == [second.resolve(), first.resolve()]
    runner.stop()
    demo.close()
    demo.controller.close()
    second.unlink()
    assert RecentSessions(settings).paths() == [first.resolve()]  # a deleted file is not offered


def test_the_start_dialog_opens_the_chosen_session(tmp_path, settings, qtbot) -> None:
    older = _session(tmp_path / "practice.tbs")
    newer = _session(tmp_path / "race.tbs")
    recent = RecentSessions(settings)
    recent.remember(older)
    recent.remember(newer)
    dialog = StartDialog(recent.paths())
    qtbot.addWidget(dialog)
    dialog.show()
    texts = [dialog.sessions.item(i).text() for i in range(dialog.sessions.count())]
    assert texts[0].startswith("race.tbs — ") and texts[1].startswith("practice.tbs — ")
    assert dialog.demo_button.text() == "Run the &demo" and dialog.new_button.isEnabled()
    qtbot.keyClick(dialog.sessions, Qt.Key.Key_Down)  # the user picks the older one
    qtbot.mouseClick(dialog.open_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert (dialog.choice, dialog.path) == (StartChoice.OPEN, older.resolve())
    window = build_chosen_window(dialog.choice, dialog.path, settings)
    assert window is not None
    qtbot.addWidget(window)
    assert window.header.session.text() == "Heat 1"
    assert str(older.resolve()) in window.statusBar().currentMessage()
    assert [s.car for s in window.controller.engine.standings()] == ["2", "1", "3"]
    window.close()
    window.controller.close()


def test_the_start_dialog_runs_the_demo(tmp_path, settings, qtbot) -> None:
    dialog = StartDialog([_session(tmp_path / "race.tbs")])
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.mouseClick(dialog.demo_button, Qt.MouseButton.LeftButton)
    assert dialog.choice is StartChoice.DEMO


def test_new_session_from_the_start_dialog(tmp_path, settings, qtbot, monkeypatch) -> None:
    dialog = StartDialog([_session(tmp_path / "race.tbs")])
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.mouseClick(dialog.new_button, Qt.MouseButton.LeftButton)
    assert dialog.choice is StartChoice.NEW
    target = tmp_path / "my-practice"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))

    def fill_in() -> None:
        form = QApplication.activeModalWidget()
        assert form is not None and form.windowTitle() == "New session"
        form.name.selectAll()
        qtbot.keyClicks(form.name, "Saturday practice")
        qtbot.keyClick(form.name, Qt.Key.Key_Return)

    QTimer.singleShot(0, fill_in)
    window = build_chosen_window(StartChoice.NEW, None, settings)
    assert window is not None
    qtbot.addWidget(window)
    assert window.header.session.text() == "Saturday practice"
    assert (tmp_path / "my-practice.tbs").is_file()
    assert RecentSessions(settings).paths() == [(tmp_path / "my-practice.tbs").resolve()]
    window.close()
    window.controller.close()


def test_a_damaged_recent_session_is_explained_not_opened(tmp_path, settings, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    bad = tmp_path / "bad.tbs"
    bad.write_text("not a session")
    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: said.append(text))
    assert build_chosen_window(StartChoice.OPEN, bad, settings) is None
    assert said and "bad.tbs" in said[0]
