"""Colours of the board, dark (race-control rooms are dark) or light."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QColor, QPalette

from timingboard.engine.events import Flag


@dataclass(frozen=True)
class Theme:
    name: str
    window: str
    base: str
    alternate: str
    text: str
    dim_text: str
    highlight: str
    session_best: str
    personal_best: str
    gained: str
    lost: str
    crossed: str
    grid: str
    pit: str
    flags: dict[Flag | None, tuple[str, str]]  # background, text

    def color(self, name: str) -> QColor:
        return QColor(getattr(self, name))

    def palette(self) -> QPalette:
        palette = QPalette()
        for role, value in (
            (QPalette.ColorRole.Window, self.window),
            (QPalette.ColorRole.Base, self.base),
            (QPalette.ColorRole.AlternateBase, self.alternate),
            (QPalette.ColorRole.Text, self.text),
            (QPalette.ColorRole.WindowText, self.text),
            (QPalette.ColorRole.Button, self.alternate),
            (QPalette.ColorRole.ButtonText, self.text),
            (QPalette.ColorRole.Highlight, self.highlight),
            (QPalette.ColorRole.HighlightedText, "#ffffff"),
            (QPalette.ColorRole.ToolTipBase, self.alternate),
            (QPalette.ColorRole.ToolTipText, self.text),
            (QPalette.ColorRole.PlaceholderText, self.dim_text),
        ):
            palette.setColor(role, QColor(value))  # every group: active, inactive and disabled
        for role in DIMMED_WHEN_DISABLED:  # so that a control that can't be used looks it
            palette.setColor(QPalette.ColorGroup.Disabled, role, QColor(self.dim_text))
        return palette


DIMMED_WHEN_DISABLED = (
    QPalette.ColorRole.Text,
    QPalette.ColorRole.WindowText,
    QPalette.ColorRole.ButtonText,
)

_FLAGS: dict[Flag | None, tuple[str, str]] = {
    None: ("#3a3f47", "#d0d4da"),
    Flag.GREEN: ("#1f9d45", "#ffffff"),
    Flag.YELLOW: ("#f2c200", "#111111"),
    Flag.FULL_COURSE_YELLOW: ("#ff8f00", "#111111"),  # amber: told from a local yellow at a glance
    Flag.RED: ("#d32f2f", "#ffffff"),
    Flag.WHITE: ("#f4f4f4", "#111111"),
    Flag.CHECKERED: ("#111111", "#ffffff"),
}

DARK = Theme(
    name="dark",
    window="#15181d",
    base="#1b1f25",
    alternate="#22272e",
    text="#e8eaed",
    dim_text="#8b939e",
    highlight="#2f5d9e",
    session_best="#c77dff",
    personal_best="#4cd964",
    gained="#4cd964",
    lost="#ff6b6b",
    crossed="#2c4a33",
    grid="#2d333b",
    pit="#ffb74d",
    flags=_FLAGS,
)

LIGHT = Theme(
    name="light",
    window="#f3f4f6",
    base="#ffffff",
    alternate="#f0f2f5",
    text="#15181d",
    dim_text="#5f6670",
    highlight="#3b78d8",
    session_best="#7b1fa2",
    personal_best="#1b8a3a",
    gained="#1b8a3a",
    lost="#c62828",
    crossed="#d8f3dc",
    grid="#d7dbe0",
    pit="#e65100",
    flags=_FLAGS,
)

THEMES = {theme.name: theme for theme in (DARK, LIGHT)}
