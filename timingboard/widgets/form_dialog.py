"""What the board's form dialogs share: OK and Cancel, and OK held back while a field is wrong.

A form dialog says what is wrong under its fields (the message of the reader's ValueError, see
``timingboard.text.typed``) and keeps OK greyed until it reads; nothing typed is lost.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel

_OK = QDialogButtonBox.StandardButton.Ok
_CANCEL = QDialogButtonBox.StandardButton.Cancel


def ok_cancel(dialog: QDialog) -> QDialogButtonBox:
    """OK and Cancel buttons that accept and reject ``dialog``: made after its fields, so that
    Tab reaches them last."""
    buttons = QDialogButtonBox(_OK | _CANCEL, dialog)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons


def check_fields(buttons: QDialogButtonBox, problem: QLabel, read: Callable[[], object]) -> bool:
    """Read the fields: OK only when ``read`` raises no ValueError, whose message ``problem``
    shows (empty when all is well). Whether they read."""
    try:
        read()
        message = ""
    except ValueError as exc:
        message = str(exc)
    problem.setText(message)
    buttons.button(_OK).setEnabled(not message)
    return not message
