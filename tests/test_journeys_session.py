"""Journeys through the real window, as a user walks them: New session to PDF, demo then New
session, a feed connected, dropped and left. Keys go to whatever has the focus, menus are picked,
dialogs are typed into; the asserts read what the window shows and the files written.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from journey import Dialogs, FakeTime, User, file_dialog_answer, ok_button, open_window
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog
from race_scripts import QUARTER_MILE_QUALIFYING

from timingboard.qt.leaderboard_model import Column
from timingboard.store.recorder import SessionRecorder
from timingboard.widgets.entry_panel import GOOD, WARNING
from timingboard.widgets.session_dialog import NewSessionDialog

SHOTS = Path(__file__).resolve().parents[1] / "build" / "journeys"
CARS = ("31", "8", "20")  # the order they cross the line, lap after lap


@pytest.fixture
def dialogs(qapp):
    answering = Dialogs()
    yield answering
    answering.stop()


@pytest.fixture
def practice_file(tmp_path: Path) -> Path:
    """A session saved earlier, opened with ``timingboard open`` to start the evening."""
    path = tmp_path / "practice.tbs"
    SessionRecorder.create(path, QUARTER_MILE_QUALIFYING).close()
    return path


def new_race_answers(user: User, path: Path):
    """File ▸ New session: Heat 1, a 10-lap race on the quarter-mile; then its file name."""

    def fill(dialog) -> None:
        assert isinstance(dialog, NewSessionDialog)
        user.fill(dialog.name, "Heat 1")
        user.tab_to(dialog.kind)
        user.type("R")  # the combo box jumps to Race
        user.fill(dialog.track, "Coliseum")
        user.fill(dialog.length, "0.250")
        user.fill(dialog.laps, "10")
        user.fill(dialog.min_lap, "8.0")
        user.click(ok_button(dialog))

    return [(NewSessionDialog, fill), (QFileDialog, file_dialog_answer(user, path))]


def expect_all(dialogs: Dialogs, answers) -> None:
    for kind, act in answers:
        dialogs.expect(kind, act)


# Offscreen windows cannot be raised nor grab the keyboard (dialogs and completer popups ask).
JOURNEY_LOG = pytest.mark.qt_log_ignore("does not support raise", "does not support grabbing")


@JOURNEY_LOG
def test_manual_race_from_new_session_to_pdf(
    qtbot, tmp_path, practice_file, dialogs, monkeypatch
) -> None:
    clock = FakeTime().install(monkeypatch)
    user = User(qtbot, open_window(practice_file, tmp_path / "settings.ini"))
    user.show()
    assert user.focused() is user.window.entry_panel.car_field  # `open`: ready to type

    race = tmp_path / "heat1.tbs"
    expect_all(dialogs, new_race_answers(user, race))
    user.choose("File", "New session")
    assert dialogs.unexpected == [] and dialogs.expected == []
    assert race.is_file()
    title = user.window.windowTitle()
    assert "Heat 1 — heat1.tbs — LIVE" in title, title
    assert "practice.tbs" not in user.status() and "heat1.tbs" in user.status()
    user.activate()
    qtbot.waitUntil(lambda: user.focused() is user.window.entry_panel.car_field)

    user.press(Qt.Key.Key_F5)  # green
    qtbot.waitUntil(lambda: user.header()["flag"] == "GREEN")
    for car in CARS:  # the cars take the green: new numbers are confirmed with a second Enter
        clock.advance(0.4)
        user.enter(car)
        assert "not in this session" in user.entry_message()[0]
        user.press(Qt.Key.Key_Return)
    for lap in range(1, 11):
        for i, car in enumerate(CARS):
            clock.advance(13.4 if i == 0 else 0.5)
            if lap == 4 and car == "8":
                qtbot.waitUntil(lambda: len(user.column(Column.CAR)) == 3)
                user.click_cell(2, Column.DRIVER)  # the operator looked something up
                assert user.focused() is user.window.board
            user.enter(car)
            if lap < 10:
                assert user.entry_message() == (f"Car {car}: lap {lap}", f"color: {GOOD};")
        if lap == 3:  # a double read: the same car again at once
            clock.advance(0.2)
            user.enter("20")
            text, style = user.entry_message()
            assert text == "Car 20: double read — ignored" and WARNING in style
            user.press(Qt.Key.Key_Escape)
            assert user.entry_message() == ("Cleared.", "")  # no colour carried over
        if lap == 5:
            qtbot.waitUntil(lambda: user.header()["remaining"] == "5 laps to go")
            assert user.column(Column.CAR) == list(CARS)  # a race: ranked by laps, then order
            assert int(user.column(Column.LAPS_LED)[0]) >= 4  # the leader has led laps
            assert "mph" in user.header()["best"]

    qtbot.waitUntil(lambda: user.header()["remaining"] == "Finished")
    qtbot.waitUntil(lambda: user.column(Column.LAPS) == ["10", "10", "10"])
    assert user.column(Column.CAR) == list(CARS)
    led = user.column(Column.LAPS_LED)
    assert int(led[0]) >= 9
    assert "— finished" in user.entry_message()[0]
    finished_at = user.header()["clock"]
    clock.advance(90)  # the cars cool down; the race clock stands at the finish
    qtbot.wait(300)
    assert user.header()["clock"] == finished_at
    assert user.window.controller.clock_ms() == user.window.controller.engine.clock_ms

    pdf = tmp_path / "heat1-results.pdf"
    dialogs.expect(QFileDialog, file_dialog_answer(user, pdf, "PDF, A4"))
    user.choose("File", "Export results")
    assert dialogs.unexpected == []
    assert pdf.is_file() and pdf.read_bytes().startswith(b"%PDF")
    from pypdf import PdfReader

    text = " ".join(PdfReader(str(pdf)).pages[0].extract_text().split())
    assert text.startswith("Heat 1 Race · Coliseum · 0.25 mi")
    assert "by #31" in text

    dialogs.expect(QFileDialog, file_dialog_answer(user, race))
    user.choose("File", "Open session")
    assert dialogs.unexpected == []
    qtbot.waitUntil(lambda: user.column(Column.CAR) == list(CARS))
    assert user.column(Column.LAPS_LED) == led  # the same race after reopening
    assert user.header()["remaining"] == "Finished"
    user.screenshot(SHOTS / "manual-race-to-pdf.png")
    user.window.close()


def test_a_race_from_the_dialog_is_a_race(qapp) -> None:
    """The dialog gives the engine enum members, not the strings QComboBox makes of them."""
    from timingboard.engine import LengthUnit, SessionKind

    dialog = NewSessionDialog()
    dialog.kind.setCurrentIndex(dialog.kind.findText("Race"))
    dialog.unit.setCurrentIndex(dialog.unit.findText("kilometres"))
    settings = dialog.settings()
    assert settings.kind is SessionKind.RACE and settings.is_race
    assert settings.length_unit is LengthUnit.KILOMETRES
    assert settings.length_unit.speed_label == "km/h"
    dialog.deleteLater()


def test_settings_take_plain_strings_as_their_enums() -> None:
    from timingboard.engine import LengthUnit, SessionKind, SessionSettings

    settings = SessionSettings(name="x", kind="race", length_unit="km")  # type: ignore[arg-type]
    assert settings.kind is SessionKind.RACE and settings.is_race
    assert settings.length_unit is LengthUnit.KILOMETRES
    with pytest.raises(ValueError):
        SessionSettings(name="x", kind="sprint")  # type: ignore[arg-type]


def _unused() -> None:
    QApplication.instance()
