"""The leaderboard's item roles (its columns are Qt-free: timingboard.text.board_columns)."""

from __future__ import annotations

from enum import IntEnum

from PySide6.QtCore import Qt

_DR = Qt.ItemDataRole


class Role(IntEnum):
    KEY = _DR.UserRole + 1
    STANDING = _DR.UserRole + 2
