"""What a user does, for the journey tests: type into whatever has the focus, pick menu items,
fill the dialogs that open, read what the window shows. Nothing here reaches into the engine.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QPoint, QSettings, Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QSizeGrip,
    QWidget,
)

from timingboard.app.main_window import MainWindow
from timingboard.app.run import build_session_window
from timingboard.demo.clash import qualifying
from timingboard.engine import SessionSettings
from timingboard.qt import session_clock
from timingboard.qt.demo_runner import DemoRunner
from timingboard.qt.leaderboard_model import Column
from timingboard.qt.passings_model import PassingColumn
from timingboard.qt.session_controller import SessionController
from timingboard.store.recorder import SessionRecorder

POLL_MS = 20
OPERATOR = "Sam Steward"  # the operator named in the settings of ``operator_settings``


class FakeTime:
    """The session clock's idea of now, moved on by the test as a race would move it.

    Wall time stays the real one plus what the test added, so a session file made now (its time
    zero on the real wall clock) starts its clock at zero.
    """

    def __init__(self) -> None:
        self._monotonic = time.monotonic()
        self._added = 0.0

    def monotonic(self) -> float:
        return self._monotonic + self._added

    def wall(self) -> float:
        return time.time() + self._added

    def advance(self, seconds: float) -> None:
        self._added += seconds

    def install(self, monkeypatch) -> FakeTime:
        monkeypatch.setattr(session_clock, "monotonic", self.monotonic)
        monkeypatch.setattr(session_clock, "wall", self.wall)
        return self


def settings_at(path: Path) -> QSettings:
    return QSettings(str(path), QSettings.Format.IniFormat)


def operator_settings(path: Path) -> QSettings:
    """Scratch settings at ``path`` naming the operator (:data:`OPERATOR`), as a desk has them
    after its first correction: the correction dialogs fill the name in."""
    scratch = settings_at(path)
    scratch.setValue("operator/name", OPERATOR)
    return scratch


def close_session_window(window: MainWindow) -> None:
    """The window closed, and the command ends as ``timingboard open`` does after it (its
    file's close, which may run in a worker, finished before the process ends)."""
    from timingboard.store import closing

    window.close()
    window.controller.close()
    closing.wait_for_all()


def demo_window(folder: Path, settings_file: Path, speed: float) -> tuple[MainWindow, DemoRunner]:
    """``timingboard demo``, as timingboard/app/run.py builds it (run_demo); not started."""
    folder.mkdir(parents=True, exist_ok=True)
    first = SessionRecorder.create(folder / "00-setup.tbs", qualifying(31).settings)
    controller = SessionController(first)
    window = MainWindow(controller, settings_at(settings_file))
    runner = DemoRunner(controller, folder, seed=31, speed=speed, parent=window)
    runner.session_started.connect(lambda text: window.statusBar().showMessage(f"Demo: {text}"))
    window.session_actions.session_opened.connect(runner.stop)  # the operator took over
    return window, runner


def open_window(path: Path, settings_file: Path) -> MainWindow:
    """``timingboard open FILE``: the window the command builds (``build_session_window``, so
    the recent-sessions list follows it too), on the settings in ``settings_file``."""
    return build_session_window(SessionRecorder.open(path), settings_at(settings_file))


def new_session_window(qtbot, folder: Path, settings: SessionSettings, name: str) -> User:
    """The start of most journeys: a new session file ``folder/name`` made with ``settings``,
    opened as ``timingboard open FILE`` does (its settings in ``folder/settings.ini``), the window
    shown and active. Install a :class:`FakeTime` first if the test moves the clock."""
    path = folder / name
    SessionRecorder.create(path, settings).close()
    user = User(qtbot, open_window(path, folder / "settings.ini"))
    user.show()
    return user


@dataclass
class Expected:
    kind: type[QWidget]
    act: Callable[[QWidget], None]


class Dialogs:
    """Answers the modal dialogs a step opens, in order; any other one is noted and closed."""

    def __init__(self) -> None:
        self.expected: list[Expected] = []
        self.unexpected: list[str] = []
        self._busy = False
        self._timer = QTimer(interval=POLL_MS)
        self._timer.timeout.connect(self._poll)
        self._timer.start()

    def expect(self, kind: type[QWidget], act: Callable[[QWidget], None]) -> None:
        self.expected.append(Expected(kind, act))

    def stop(self) -> None:
        self._timer.stop()

    def _poll(self) -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None or not dialog.isVisible() or dialog.property("answered") or self._busy:
            return
        dialog.setProperty("answered", True)
        if self.expected and isinstance(dialog, self.expected[0].kind):
            self._busy = True
            try:
                activate(dialog)
                self.expected.pop(0).act(dialog)
            except BaseException as exc:  # a failed step must not leave the dialog waiting
                self.unexpected.append(f"answering {type(dialog).__name__} failed: {exc!r}")
                if isinstance(dialog, QDialog):
                    dialog.reject()
            finally:
                self._busy = False
            return
        text = dialog.text() if isinstance(dialog, QMessageBox) else dialog.windowTitle()
        self.unexpected.append(f"{type(dialog).__name__}: {text}")
        if isinstance(dialog, QDialog):
            dialog.reject()


def activate(window: QWidget) -> None:
    """Offscreen windows are not activated by show(): a user's click on them would."""
    handle = window.windowHandle()
    if handle is not None:
        handle.requestActivate()
    deadline = time.monotonic() + 3
    while QApplication.activeWindow() is not window and time.monotonic() < deadline:
        QApplication.processEvents()
    assert QApplication.activeWindow() is window, f"{window.windowTitle()} is not active"


class User:
    """One operator at the window: keyboard, mouse and eyes."""

    def __init__(self, qtbot, window: MainWindow) -> None:
        self.qtbot = qtbot
        self.window = window

    # --- the window --------------------------------------------------------------------------

    def show(self) -> None:
        self.qtbot.addWidget(self.window)
        self.window.show()
        self.qtbot.waitExposed(self.window)
        self.activate()

    def activate(self) -> None:
        handle = self.window.windowHandle()
        handle.requestActivate()  # offscreen windows are not activated by show()
        self.qtbot.waitUntil(lambda: QApplication.activeWindow() is self.window, timeout=3000)

    # --- keyboard ------------------------------------------------------------------------------

    def focused(self) -> QWidget:
        widget = QApplication.focusWidget()
        assert widget is not None, "nothing has the keyboard focus"
        return widget

    def type(self, text: str) -> None:
        for char in text:  # each key to whatever has the focus at that moment
            self.qtbot.keyClicks(self.focused(), char)

    def press(self, key: Qt.Key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
        self.qtbot.keyClick(self.focused(), key, modifier)

    def enter(self, text: str) -> None:
        self.type(text)
        self.press(Qt.Key.Key_Return)

    def tab_to(self, widget: QWidget) -> None:
        """Tab through a dialog until ``widget`` has the focus, as a user would."""
        for _ in range(30):
            if self.focused() is widget:
                return
            self.press(Qt.Key.Key_Tab)
        raise AssertionError(f"cannot tab to {widget}")

    def fill(self, widget: QWidget, text: str) -> None:
        """Tab into a field (its text is selected then) and type over it."""
        self.tab_to(widget)
        self.press(Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        self.type(text)

    # --- mouse ---------------------------------------------------------------------------------

    def click_cell(self, row: int, column: Column) -> None:
        board = self.window.board
        rect = board.visualRect(board.model().index(row, column))
        self.qtbot.mouseClick(board.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())

    def click(self, widget: QWidget, at: QPoint | None = None) -> None:
        self.qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=at or widget.rect().center())

    # --- menus ---------------------------------------------------------------------------------

    def menu_action(self, *path: str) -> QAction:
        """The action under ``File``, ``New session`` (mnemonics and dots do not matter)."""

        def plain(text: str) -> str:
            return text.replace("&", "").rstrip("…. ")

        actions = self.window.menuBar().actions()
        for i, name in enumerate(path):
            found = [a for a in actions if plain(a.text()).startswith(name)]
            assert found, f"no menu item {name!r} in {[plain(a.text()) for a in actions]}"
            action = found[0]
            if i < len(path) - 1:
                menu = action.menu()
                assert menu is not None, f"{name} is not a menu"
                menu.aboutToShow.emit()
                actions = menu.actions()
        return action

    def choose(self, *path: str) -> None:
        action = self.menu_action(*path)
        assert action.isEnabled(), f"{' ▸ '.join(path)} is greyed out"
        action.trigger()

    # --- what the window shows -----------------------------------------------------------------

    def cell(self, row: int, column: Column) -> str:
        value = self.window.board.model().index(row, column).data()
        return "" if value is None else str(value)

    def column(self, column: Column) -> list[str]:
        return [self.cell(row, column) for row in range(self.window.board.model().rowCount())]

    def status(self) -> str:
        return self.window.statusBar().currentMessage()

    def status_cut(self) -> str:
        """What of the status bar's message it cannot draw (see :func:`status_cut`)."""
        return status_cut(self.window)

    def header(self) -> dict[str, str]:
        h = self.window.header
        return {
            "session": h.session.text(),
            "flag": h.flag.text().strip(),
            "clock": h.clock.text(),
            "remaining": h.remaining.text(),
            "best": h.best.text(),
            "passings": h.passings.text(),
        }

    def passings(self, column: PassingColumn) -> list[str]:
        """A column of the Passings log, newest first as it shows them."""
        model = self.window.passings_log.model()
        return [str(model.index(row, column).data()) for row in range(model.rowCount())]

    def entry_message(self) -> tuple[str, str]:
        label = self.window.entry_panel.message
        return label.text(), label.styleSheet()

    def screenshot(self, path: Path) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        assert self.window.grab().save(str(path))
        return path


# --- dialog answers --------------------------------------------------------------------------


def status_cut(window: QMainWindow) -> str:
    """The status bar's message as far as its room, when it has no room for all of it (else
    ""): QStatusBar draws it from 6 px to the first permanent widget shown (or the size grip),
    and what goes beyond is simply not drawn (QStatusBarPrivate::messageRect)."""
    bar = window.statusBar()
    right = bar.width() - 12
    for child in bar.findChildren(QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly):
        if child.isVisible() and child.x() > 6:
            right = min(right, child.x() if isinstance(child, QSizeGrip) else child.x() - 2)
    room = right - 6
    metrics = bar.fontMetrics()
    message = bar.currentMessage()
    if metrics.horizontalAdvance(message) <= room:
        return ""
    return metrics.elidedText(message, Qt.TextElideMode.ElideRight, room)


def file_dialog_answer(user: User, path: Path, file_filter: str = "") -> Callable[[QWidget], None]:
    """Type the file name in a file dialog (and pick a filter), then press its Save/Open button."""

    def act(dialog: QWidget) -> None:
        assert isinstance(dialog, QFileDialog)
        if file_filter:
            dialog.selectNameFilter(next(f for f in dialog.nameFilters() if file_filter in f))
        name = dialog.findChild(QLineEdit, "fileNameEdit")
        assert name is not None
        name.setFocus()
        user.press(Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        user.type(str(path))
        popup = QApplication.activePopupWidget()
        if popup is not None:
            popup.hide()  # the completer's list of matching names
        buttons = dialog.findChild(QDialogButtonBox, "buttonBox")
        assert buttons is not None
        user.click(_accept(buttons))

    return act


def suggested_file_answer(user: User, expected: Path) -> Callable[[QWidget], None]:
    """Take the file the dialog suggests (checked to be ``expected``): just press Save."""

    def act(dialog: QWidget) -> None:
        assert isinstance(dialog, QFileDialog)
        name = dialog.findChild(QLineEdit, "fileNameEdit")
        assert name is not None
        assert Path(dialog.directory().absolutePath(), name.text()) == expected
        buttons = dialog.findChild(QDialogButtonBox, "buttonBox")
        assert buttons is not None
        user.click(_accept(buttons))

    return act


def _accept(buttons: QDialogButtonBox) -> QAbstractButton:
    return next(
        b
        for b in buttons.buttons()
        if buttons.buttonRole(b) == QDialogButtonBox.ButtonRole.AcceptRole
    )


def ok_button(dialog: QWidget) -> QAbstractButton:
    box = dialog.findChild(QDialogButtonBox)
    assert box is not None
    button = box.button(QDialogButtonBox.StandardButton.Ok)
    assert button is not None
    return button
