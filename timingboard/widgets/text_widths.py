"""Text widths in a font, measured once each: a board's columns are fitted to their texts.

``QFontMetrics.horizontalAdvance`` lays the text out each time it is asked (~7 µs); a board
fitted to a whole new set of standings (every replay seek) measures ~700 texts, most of them
measured before ("1145", "+1 lap", "42.701").

Widths are those of the device the texts are painted on (:func:`device_key`): a window moved
to a screen of another DPI paints them wider or narrower in the same font, and widths kept
from the screen before cut the texts ("J. Hal…") or left gaps.
"""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontMetrics, QPaintDevice

KEPT_TEXTS = 20_000  # measured more than this: forgotten, measured afresh


DeviceKey = tuple[str, int, int, float]


def device_key(font: QFont, device: QPaintDevice | None) -> DeviceKey:
    """What text widths in ``font`` depend on: the font, and the logical DPI and the device
    pixel ratio of the device painted on (None: the default one's, as ``QFontMetrics(font)``).
    A widget's own ``fontMetrics()`` keeps the DPI of the screen it was shown on first."""
    if device is None:
        return (font.key(), 0, 0, 0.0)
    return (font.key(), device.logicalDpiX(), device.logicalDpiY(), device.devicePixelRatioF())


def metrics(font: QFont, device: QPaintDevice | None) -> QFontMetrics:
    """The metrics of ``font`` as painted on ``device`` (None: the default device)."""
    return QFontMetrics(font) if device is None else QFontMetrics(font, device)


class TextWidths:
    """The advance of texts in one font on one device; :meth:`of` starts afresh when given
    another font, or a device of another DPI (the window moved to another screen)."""

    def __init__(self) -> None:
        self._key = device_key(QFont(), None)
        self._metrics = QFontMetrics(QFont())
        self._widths: dict[str, int] = {}

    def of(self, font: QFont, device: QPaintDevice | None = None) -> TextWidths:
        """This, measuring in ``font`` as painted on ``device`` (what it measured in another
        font or at another DPI forgotten)."""
        key = device_key(font, device)
        if key != self._key:
            self._key, self._metrics = key, metrics(font, device)
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
