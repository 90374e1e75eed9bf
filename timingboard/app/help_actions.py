"""The Help menu: every keyboard shortcut (F1), and About (version, licence)."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

import PySide6
from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QMainWindow,
    QMenu,
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from timingboard.qt.action_registry import ActionId, keys_text, make_action
from timingboard.qt.action_registry import shortcut_rows as registered_rows
from timingboard.qt.app_icon import app_icon
from timingboard.widgets.keyboard_menu import MENU_KEYS_TEXT

LICENCE = "MIT"
TYPED_KEYS = (
    ("0-9, letters", "A car number, typed anywhere on the desk, goes to the Entry field"),
    (
        f"{MENU_KEYS_TEXT} (board, Passings log)",
        "The corrections of the car or passing highlighted (also Edit ▸ Selected car)",
    ),
    ("Enter", "Record the car typed as crossing the line now"),
    ("Esc (Entry field)", "Clear what was typed"),
)


def app_version() -> str:
    try:
        return version("timingboard")
    except PackageNotFoundError:
        return "unknown (not installed)"


def shortcut_rows(actions: list[QAction], skip: set[str] | None = None) -> list[tuple[str, str]]:
    """(keys, what they do) for each action with a key, in menu order, without repeats (nor
    the keys in ``skip``)."""
    rows: list[tuple[str, str]] = []
    seen: set[str] = set(skip or ())
    for action in actions:
        keys = keys_text(action)
        what = action.text().replace("&", "") or action.toolTip() or action.objectName()
        if keys and keys not in seen:
            seen.add(keys)
            rows.append((keys, what.rstrip(".…")))
    return rows


class ShortcutsDialog(QDialog):
    """A table of every key the window answers to, made from the actions themselves."""

    def __init__(self, rows: list[tuple[str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("shortcutsDialog")
        self.setWindowTitle("Keyboard shortcuts")
        self.table = QTableWidget(len(rows), 2, self)
        self.table.setHorizontalHeaderLabels(["Keys", "Does"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for row, (keys, what) in enumerate(rows):
            self.table.setItem(row, 0, QTableWidgetItem(keys))
            self.table.setItem(row, 1, QTableWidgetItem(what))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(560, 520)

    def rows(self) -> list[tuple[str, str]]:
        return [(self._text(r, 0), self._text(r, 1)) for r in range(self.table.rowCount())]

    def _text(self, row: int, column: int) -> str:
        item = self.table.item(row, column)
        return item.text() if item is not None else ""


class HelpActions(QObject):
    """Help ▸ Keyboard shortcuts and Help ▸ About timingboard."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self._window = window
        self.shortcuts_action = make_action(ActionId.SHORTCUTS, window, self.show_shortcuts)
        self.about_action = make_action(ActionId.ABOUT, window, self.show_about)
        self.dialog: QDialog | None = None

    def _all_actions(self) -> list[QAction]:
        from timingboard.app.board_mode import actions_with_shortcuts

        return actions_with_shortcuts(self._window.menuBar()) + list(self._window.actions())

    def show_shortcuts(self) -> ShortcutsDialog:
        """The window's commands with a key (the table of commands, in its order, the flags
        among them), then the keys of actions the widgets make for themselves, then the typed
        keys."""
        listed = registered_rows(self._window)
        others = shortcut_rows(self._all_actions(), skip={keys for keys, _ in listed})
        rows = [*listed, *others, *TYPED_KEYS]
        dialog = ShortcutsDialog(rows, self._window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        self.dialog = dialog
        return dialog

    def about_text(self) -> str:
        return (
            f"<h3>timingboard {app_version()}</h3>"
            "<p>Race timing &amp; scoring board for race control: a live leaderboard, the "
            "charts of a race, a wall scoreboard, manual entry and RMonitor feeds.</p>"
            f"<p>Licence: {LICENCE}. Built on Qt {PySide6.QtCore.qVersion()} "
            f"(PySide6 {PySide6.__version__}) and pyqtgraph.</p>"
        )

    def show_about(self) -> QMessageBox:
        box = QMessageBox(self._window)
        box.setObjectName("aboutBox")
        box.setWindowTitle("About timingboard")
        box.setIconPixmap(app_icon().pixmap(96, 96))
        box.setTextFormat(Qt.TextFormat.RichText)
        box.setText(self.about_text())
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        self.dialog = box
        return box


def explain_controls(root: QWidget) -> int:
    """Give every button, choice box and menu action under ``root`` that has no tooltip one that
    says what it is and its key; menus show their actions' tooltips. Returns how many it gave.

    Controls made later (a dialog) get their own tooltips where they are made.
    """
    given = 0
    for button in root.findChildren(QAbstractButton):
        if not button.toolTip() and button.text().strip():
            button.setToolTip(button.text().replace("&", "").strip().replace("  ", ": "))
            given += 1
    for box in root.findChildren(QComboBox):
        if not box.toolTip() and box.count():
            choices = ", ".join(box.itemText(i) for i in range(min(box.count(), 6)))
            box.setToolTip(f"Choose: {choices}" + ("…" if box.count() > 6 else ""))
            given += 1
    for menu in root.findChildren(QMenu):
        menu.setToolTipsVisible(True)
        for action in menu.actions():
            text = action.text().replace("&", "").rstrip(".…")
            if action.isSeparator() or not text or action.toolTip() not in ("", text):
                continue
            keys = keys_text(action)
            action.setToolTip(f"{text} ({keys})" if keys else text)
            given += 1
    return given
