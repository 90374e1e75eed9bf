"""Text widths measured once each, in the font asked for."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontMetrics

from timingboard.widgets.text_widths import KEPT_TEXTS, TextWidths


def test_widths_are_the_font_s_advances_and_follow_the_font(qapp) -> None:
    plain, big = QFont(), QFont()
    big.setPointSize(plain.pointSize() * 3)
    widths = TextWidths()
    texts = ["1145", "+1 lap", "42.701", ""]
    for font in (plain, big, plain):
        advance = QFontMetrics(font).horizontalAdvance
        measured = widths.of(font)
        assert [measured.width(t) for t in texts] == [advance(t) for t in texts]
        assert measured.widest(texts) == max(map(advance, texts))
    assert widths.widest([]) == 0


def test_widths_kept_are_bounded(qapp) -> None:
    widths = TextWidths().of(QFont())
    for n in range(KEPT_TEXTS + 10):
        widths.width(str(n))
    assert len(widths._widths) <= KEPT_TEXTS
