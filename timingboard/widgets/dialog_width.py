"""Dialogs wide enough for their title and their paths: a window manager cuts a title that
does not fit ("Connect to a tim…g feed"), and a folder field cut short hides where files go."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog

TITLE_ROOM = 160  # the window manager's icon and buttons beside the title
SMALLEST = 480


def wide_enough(dialog: QDialog) -> None:
    """Call once the title is set."""
    title = dialog.fontMetrics().horizontalAdvance(dialog.windowTitle())
    dialog.setMinimumWidth(max(SMALLEST, title + TITLE_ROOM))
