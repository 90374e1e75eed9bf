"""Nonsense typed into any field gives a clear message and changes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialogButtonBox, QWidget
from race_scripts import QUARTER_MILE_RACE, three_car_race

from timingboard.engine.formatting import parse_lap
from timingboard.text.typed import parse_address
from timingboard.widgets.feed_dialogs import ConnectDialog

NONSENSE = ["", " ", "abc", "1:2:3:4", "-5", "12..3", "9" * 40, "1:61.5x", "💥", "$J,,,", "::"]


@pytest.mark.parametrize("text", NONSENSE)
def test_lap_times_refuse_nonsense_with_a_message(text: str) -> None:
    with pytest.raises(ValueError, match=r"not a time|more than three decimals|longer than"):
        parse_lap(text)


@pytest.mark.parametrize("text", [*NONSENSE, "host:0", "host:70000", "host:port", ":50000"])
def test_feed_addresses_refuse_nonsense(text: str) -> None:
    if text.strip() in ("abc", "9" * 40):
        assert parse_address(text)[1] == 50000  # a bare host name is on the usual port
        return
    with pytest.raises(ValueError, match="is not host:port"):
        parse_address(text)


def test_connect_dialog_keeps_ok_off_until_the_address_makes_sense(tmp_path: Path, qtbot) -> None:
    dialog = ConnectDialog("", tmp_path)
    qtbot.addWidget(dialog)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    for text in ("host:port", "x:99999", ":1"):
        dialog.address.setText(text)
        assert not ok.isEnabled() and "host:port" in dialog.problem.text()
    dialog.address.setText("192.168.1.20:50000")
    assert ok.isEnabled() and dialog.problem.text() == ""


@pytest.mark.parametrize("text", ["soon", "-", "1:2:3:4", "13.4567", "@x", "@", "🏁"])
def test_correction_dialogs_refuse_nonsense_and_change_nothing(
    make_controller, tmp_path, qtbot, text: str
) -> None:
    from PySide6.QtCore import QSettings

    from timingboard.qt.correction_desk import CorrectionDesk
    from timingboard.widgets.correction_flow import CorrectionFlow

    controller = make_controller(QUARTER_MILE_RACE)
    controller.submit(three_car_race())
    before = (controller.engine.seq, controller.engine.standings())
    window = QWidget()
    qtbot.addWidget(window)
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    settings.setValue("operator/name", "Sam")
    flow = CorrectionFlow(CorrectionDesk(controller), settings, window)
    for dialog in (
        flow.on_car("insert", "3"),
        flow.on_car("time_penalty", "2"),
        flow.on_car("lap_penalty", "1"),
    ):
        dialog.set_input(text, len(dialog.inputs) - 1)  # the typed field, after any choice
        ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
        assert not ok.isEnabled()
        assert dialog.summary.text().startswith("⚠")
        dialog.accept()  # even forced, nothing is logged without a valid correction
        dialog.deleteLater()
    assert (controller.engine.seq, controller.engine.standings()) == before


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("timing.local:50000", ("timing.local", 50000)),
        ("192.168.1.20", ("192.168.1.20", 50000)),
        ("[::1]:50001", ("::1", 50001)),
        ("localhost:5", ("localhost", 5)),
    ],
)
def test_real_addresses_are_taken(text: str, expected: tuple[str, int]) -> None:
    assert parse_address(text) == expected
