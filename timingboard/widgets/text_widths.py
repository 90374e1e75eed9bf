"""Text widths in a font, measured once each: a board's columns are fitted to their texts.

``QFontMetrics.horizontalAdvance`` lays the text out each time it is asked (~7 µs); a board
fitted to a whole new set of standings (every replay seek) measures ~700 texts, most of them
measured before ("1145", "+1 lap", "42.701").
"""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontMetrics

KEPT_TEXTS = 20_000  # measured more than this: forgotten, measured afresh


class TextWidths:
    """The advance of texts in one font; :meth:`of` starts afresh when given another font."""

    def __init__(self) -> None:
        self._font = QFont()
        self._metrics = QFontMetrics(self._font)
        self._widths: dict[str, int] = {}

    def of(self, font: QFont) -> TextWidths:
        """This, measuring in ``font`` (what it measured in another one forgotten)."""
        if font != self._font:
            self._font, self._metrics = QFont(font), QFontMetrics(font)
            self._widths = {}
        return self

    def width(self, text: str) -> int:
        """The advance of ``text``."""
        width = self._widths.get(text)
        if width is None:
            if len(self._widths) >= KEPT_TEXTS:
                self._widths.clear()
            width = self._widths[text] = self._metrics.horizontalAdvance(text)
        return width

    def widest(self, texts: list[str]) -> int:
        """The greatest advance of ``texts`` (0 for none)."""
        return max(map(self.width, texts), default=0)
