"""Faults a new user met walking the window (issue 15's second walk), each walked again the way
the user walked it: keys into the focused widget, menu items, dialog fields; what is checked is
what the window shows."""

from __future__ import annotations

from pathlib import Path

import pytest
from journey import Dialogs, User, file_dialog_answer, ok_button, open_window
from PySide6.QtWidgets import QFileDialog, QWidget
from race_scripts import QUARTER_MILE_QUALIFYING, QUARTER_MILE_RACE

from timingboard.qt.p3_simulator import P3Simulator
from timingboard.store.recorder import SessionRecorder
from timingboard.widgets.p3_dialogs import P3ConnectDialog

JOURNEY_LOG = pytest.mark.qt_log_ignore("does not support raise", "does not support grabbing")


@pytest.fixture
def dialogs(qapp):
    answering = Dialogs()
    yield answering
    answering.stop()


def connect_answer(user: User, port: int, folder: Path):
    def act(dialog: QWidget) -> None:
        assert isinstance(dialog, P3ConnectDialog)
        user.fill(dialog.address, f"p3://127.0.0.1:{port}")
        user.fill(dialog.folder, str(folder))
        user.click(ok_button(dialog))

    return act


# --- 2. the decoder's health panel only where a decoder feeds the session ------------------------


@JOURNEY_LOG
def test_the_decoder_health_panel_shows_only_while_a_decoder_feeds_the_session(
    qtbot, tmp_path: Path, dialogs
) -> None:
    manual, other = tmp_path / "practice.tbs", tmp_path / "heat.tbs"
    SessionRecorder.create(manual, QUARTER_MILE_QUALIFYING).close()
    SessionRecorder.create(other, QUARTER_MILE_RACE).close()
    settings = tmp_path / "settings.ini"
    user = User(qtbot, open_window(manual, settings))
    user.show()
    panel = user.window.p3.dock
    assert not panel.isVisible()
    assert not user.menu_action("View", "Decoder health").isEnabled()  # nothing to show yet

    simulator = P3Simulator([], speed=0)
    assert simulator.listen(0)
    try:
        dialogs.expect(P3ConnectDialog, connect_answer(user, simulator.port, tmp_path / "p3"))
        user.choose("Feed", "Connect to a P3 decoder")
        qtbot.waitUntil(lambda: user.window.p3.link_label.text() == "Decoder: connected")
        assert panel.isVisible()
        assert user.menu_action("View", "Decoder health").isEnabled()

        dialogs.expect(QFileDialog, file_dialog_answer(user, other))
        user.choose("File", "Open session")  # a session no decoder feeds
        qtbot.waitUntil(lambda: "heat.tbs" in user.window.windowTitle())
    finally:
        simulator.close()
    assert dialogs.unexpected == []
    assert not panel.isVisible()
    assert not user.menu_action("View", "Decoder health").isEnabled()
    user.window.close()

    again = User(qtbot, open_window(manual, settings))  # the next start, its layout restored
    again.show()
    assert not again.window.p3.dock.isVisible()
    again.window.close()
