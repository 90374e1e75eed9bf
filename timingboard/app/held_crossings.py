"""What leaving the session would lose is asked about first (the close guard).

Crossings typed for unknown numbers: Ctrl+Q, File ▸ Open or New session with one held asks
first whether to add and log them, discard them, or go back (they were dropped without a word).

A live feed recording a session still running: Ctrl+Q (or the window's close) asks whether to
quit, Cancel the default (it quit without a word, and the crossings from then on were not
recorded). Not asked for a session over (finished or ended), a replay, a feed not connected, or
a TERM (the system's stop, not an operator's).
"""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from timingboard.qt.link_retry import LinkState
from timingboard.qt.manual_entry import ManualEntry
from timingboard.qt.session_controller import SessionController
from timingboard.text.feed_status import recording_on_quitting
from timingboard.text.typed_passing import held_on_leaving

ADD, DISCARD = "Add and log them", "Discard them"


def settle_held(parent: QWidget, entry: ManualEntry) -> bool:
    """True when the session may be left: nothing was held, or the operator added or discarded
    what was; False when they chose to go back to it."""
    pending = entry.pending()
    if not pending:
        return True
    question, answers = held_on_leaving(pending, entry.start_ms())
    box = QMessageBox(QMessageBox.Icon.Warning, "timingboard", question, parent=parent)
    box.setInformativeText(answers)
    add = box.addButton(ADD, QMessageBox.ButtonRole.AcceptRole)
    discard = box.addButton(DISCARD, QMessageBox.ButtonRole.DestructiveRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(add)
    box.exec()
    if box.clickedButton() is add:
        entry.log_pending()
        return True
    if box.clickedButton() is discard:
        entry.drop_pending()
        return True
    return False


QUIT = "Quit"


def recording_feed(controller: SessionController, feeds: list[tuple[str, str]]) -> str | None:
    """The host of the feed whose crossings quitting would stop recording, of ``feeds`` ((host,
    link state) of each followed); None when nothing would be lost: no feed connected, a
    replay, or a session not running (no green and no clock running yet, or over: finished
    or ended)."""
    engine = controller.engine
    running = engine.start_ms is not None or controller.clock_running
    if controller.is_replay or not running or engine.over:
        return None
    return next((address for address, state in feeds if state == LinkState.UP), None)


def settle_recording(
    parent: QWidget, controller: SessionController, feeds: list[tuple[str, str]]
) -> bool:
    """True when the window may quit: no feed records a session running, or the operator
    chose Quit; False (the default, Cancel) to go on recording."""
    address = recording_feed(controller, feeds)
    if address is None:
        return True
    question = recording_on_quitting(address, controller.engine.settings.is_race)
    box = QMessageBox(QMessageBox.Icon.Warning, "timingboard", question, parent=parent)
    quit_button = box.addButton(QUIT, QMessageBox.ButtonRole.DestructiveRole)
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)
    box.exec()
    return box.clickedButton() is quit_button
