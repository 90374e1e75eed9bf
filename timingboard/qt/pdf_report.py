"""The results sheet printed to PDF with Qt (QPainter onto a QPdfWriter).

Every cell is one line of text in a column as wide as its widest entry, so a word or a number
is never broken; a sheet whose widest table does not fit upright is printed in landscape, and a
table wider still in a smaller type. Each page carries the session, the status (PROVISIONAL or
OFFICIAL), the time it was printed and "Page i of n"; a table that goes on to the next page
repeats its title and its column headings.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QBuffer, QIODevice, QMarginsF, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QGuiApplication,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPen,
)
from PySide6.QtWidgets import QApplication

from timingboard.reports.sheet import HEADER_TITLES, ResultsSheet, Section
from timingboard.store.atomic import created, refuse_existing, refuse_unsafe_output, write_bytes

PAPERS = {"a4": QPageSize.PageSizeId.A4, "letter": QPageSize.PageSizeId.Letter}
MARGIN_MM = 12
FAMILY = "DejaVu Sans"
BODY_PT = 7.5
SMALLEST_PT = 5.0
PAD_PT = 3.0  # each side of a cell
ROW_SPACING = 1.45
STRETCHED = {
    "driver",
    "team",
    "correction",
}  # a wide table's spare width goes to these  # row height, in lines of the table's type
INK = QColor("#111111")
GREY = QColor("#555555")
HEAD_FILL = QColor("#222222")
BAND_FILL = QColor("#ececec")
STATUS_COLOURS = {True: QColor("#0a6b1f"), False: QColor("#9a5b00")}

Paint = Callable[[QPainter], None]


def ensure_gui_application() -> None:
    """Text layout needs a GUI application; headless commands get an offscreen one."""
    if QGuiApplication.instance() is None:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        ensure_gui_application.app = QApplication([])  # type: ignore[attr-defined]


def write_pdf(
    sheet: ResultsSheet,
    path: str | Path,
    paper: str = "a4",
    reads: Sequence[str | Path] = (),
    *,
    new: bool = False,
) -> int:
    """Print ``sheet`` to ``path`` on A4 or Letter; returns the number of pages. ``path`` is
    replaced whole (never a file in ``reads``), or with ``new`` made and never written over
    (a command's ``-o``: nobody was asked); a failure to write it raises an error."""
    refuse_unsafe_output(path, reads)
    if new:
        refuse_existing(path)  # before the printing: nothing is done for a name taken
    data, pages = pdf_bytes(sheet, paper)
    if new:
        with created(path, "wb", reads) as handle:
            handle.write(data)
    else:
        write_bytes(path, data, reads)
    return pages


def pdf_bytes(sheet: ResultsSheet, paper: str = "a4") -> tuple[bytes, int]:
    """``sheet`` printed on A4 or Letter, as the bytes of a PDF, and its number of pages."""
    if paper not in PAPERS:
        raise ValueError(f"paper must be one of {', '.join(PAPERS)}")
    ensure_gui_application()
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setTitle(sheet.title)
    writer.setCreator("timingboard")
    writer.setResolution(300)
    layout = _page_layout(paper, QPageLayout.Orientation.Portrait)
    writer.setPageLayout(layout)
    printer = _Printer(sheet, writer)
    if printer.widest() > printer.content.width():
        writer.setPageLayout(_page_layout(paper, QPageLayout.Orientation.Landscape))
        printer = _Printer(sheet, writer)
    pages = printer.lay_out()
    painter = QPainter()
    if not painter.begin(writer):
        raise OSError("cannot print the results")
    try:
        for number, page in enumerate(pages, start=1):
            if number > 1:
                writer.newPage()
            printer.frame(painter, number, len(pages))
            for paint in page:
                paint(painter)
    finally:
        painter.end()
    del writer  # the PDF is complete in the buffer once its writer is gone
    return bytes(buffer.data().data()), len(pages)


def _page_layout(paper: str, orientation: QPageLayout.Orientation) -> QPageLayout:
    return QPageLayout(
        QPageSize(PAPERS[paper]),
        orientation,
        QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM),
        QPageLayout.Unit.Millimeter,
    )


def _font(points: float, bold: bool = False) -> QFont:
    font = QFont(FAMILY)
    font.setPointSizeF(points)
    font.setBold(bold)
    return font


@dataclass
class _Table:
    """A section laid out: its type, column widths, and the rows' texts."""

    section: Section
    points: float
    widths: list[float] = field(default_factory=list)


class _Printer:
    """Lays the sheet out on pages of the writer's size, then paints them."""

    def __init__(self, sheet: ResultsSheet, writer: QPdfWriter) -> None:
        self.sheet = sheet
        self.writer = writer
        self.dpi = writer.resolution()
        self.paper = QRectF(writer.pageLayout().paintRectPixels(self.dpi))
        top = self.pt(16)  # the running header
        bottom = self.pt(14)  # the footer
        self.content = QRectF(
            0, top, self.paper.width(), self.paper.height() - top - bottom
        )  # painter coordinates start at the margin

    def pt(self, points: float) -> float:
        return points * self.dpi / 72

    def metrics(self, font: QFont) -> QFontMetricsF:
        return QFontMetricsF(font, self.writer)

    # --- measuring -------------------------------------------------------------------------

    def natural_widths(self, section: Section, points: float) -> list[float]:
        body, head = self.metrics(_font(points)), self.metrics(_font(points, bold=True))
        pad = 2 * self.pt(PAD_PT) * points / BODY_PT
        widths = []
        for column in section.columns:
            width = head.horizontalAdvance(column.title)
            for row in section.rows:
                width = max(width, body.horizontalAdvance(row.get(column.field, "")))
            widths.append(width + pad)
        return widths

    def widest(self) -> float:
        tables = [s for s in self.sheet.sections if s.rows]
        return max((sum(self.natural_widths(s, BODY_PT)) for s in tables), default=0.0)

    def table(self, section: Section) -> _Table:
        room = self.content.width()
        points = BODY_PT
        widths = self.natural_widths(section, points)
        while sum(widths) > room and points > SMALLEST_PT:
            points = max(SMALLEST_PT, points * room / sum(widths) - 0.1)
            widths = self.natural_widths(section, points)
        text: list[float] = [
            w if c.field in STRETCHED else 0.0 for c, w in zip(section.columns, widths, strict=True)
        ]
        names_width, total = sum(text, 0.0), sum(widths, 0.0)
        if 0.6 * room < total < room and names_width:  # a wide table fills the width
            extra = room - total  # given to the names, the numbers keep close together
            widths = [w + extra * t / names_width for w, t in zip(widths, text, strict=True)]
        return _Table(section, points, widths)

    # --- laying out ------------------------------------------------------------------------

    def lay_out(self) -> list[list[Paint]]:
        self.pages: list[list[Paint]] = [[]]
        self.y = self.content.top()
        self._title_block()
        for section in self.sheet.sections:
            self._section(section)
        self._signatures()
        return self.pages

    def _room(self) -> float:
        return self.content.bottom() - self.y

    def _new_page(self) -> None:
        self.pages.append([])
        self.y = self.content.top()

    def _text(
        self,
        x: float,
        y: float,
        text: str,
        font: QFont,
        colour: QColor = INK,
        right: float | None = None,
    ) -> None:
        """One run of text with its baseline at ``y``; right-aligned on ``right`` if given."""
        if right is not None:
            x = right - self.metrics(font).horizontalAdvance(text)

        def paint(painter: QPainter) -> None:
            painter.setFont(font)
            painter.setPen(colour)
            painter.drawText(QPointF(x, y), text)

        self.pages[-1].append(paint)

    def _fill(self, rect: QRectF, colour: QColor) -> None:
        self.pages[-1].append(lambda painter: painter.fillRect(rect, colour))

    def _line(self, x1: float, y: float, x2: float, width_pt: float = 0.6) -> None:
        pen = QPen(INK)
        pen.setWidthF(self.pt(width_pt))

        def paint(painter: QPainter) -> None:
            painter.setPen(pen)
            painter.drawLine(QPointF(x1, y), QPointF(x2, y))

        self.pages[-1].append(paint)

    def _title_block(self) -> None:
        sheet = self.sheet
        title = _font(15, bold=True)
        metrics = self.metrics(title)
        self.y += metrics.ascent()
        self._text(0, self.y, sheet.title, title)
        self.y += metrics.descent() + self.pt(6)
        label, value = _font(BODY_PT), _font(BODY_PT, bold=True)
        pairs = [
            (HEADER_TITLES[name], text)
            for name, text in sheet.header.items()
            if text and name not in ("event", "printed_at")
        ]
        line = self.metrics(value).height() * 1.35
        gap = self.pt(14)
        x = self.content.width()  # the first pair starts a line
        for name, text in pairs:  # one after another, a new line when the next would not fit
            named = self.metrics(label).horizontalAdvance(f"{name}: ")
            width = named + self.metrics(value).horizontalAdvance(text)
            if x > 0 and x + width > self.content.width():
                x = 0.0
                self.y += line
            self._text(x, self.y, f"{name}:", label, GREY)
            self._text(x + named, self.y, text, value)
            x += width + gap
        self.y += self.pt(10)
        status = _font(11, bold=True)
        height = self.metrics(status).height() + self.pt(6)
        colour = STATUS_COLOURS[sheet.status.official and not sheet.status.as_at]
        box = QRectF(0, self.y, self.content.width(), height)
        pen = QPen(colour)
        pen.setWidthF(self.pt(1.2))

        def frame(painter: QPainter) -> None:
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(box)

        self.pages[-1].append(frame)
        self._text(
            self.pt(6),
            self.y + self.pt(3) + self.metrics(status).ascent(),
            sheet.status.line,
            status,
            colour,
        )
        self.y += height + self.pt(4)

    def _section(self, section: Section) -> None:
        heading = _font(10, bold=True)
        heading_height = self.metrics(heading).height() + self.pt(8)
        note_font = _font(BODY_PT)
        note_height = self.metrics(note_font).height() * 1.3
        shown_note = section.note or ("" if section.rows else "None.")
        table = self.table(section) if section.rows else None
        row_height = self.metrics(_font(table.points)).height() * ROW_SPACING if table else 0.0
        needed = heading_height + (note_height if shown_note else 0) + 2 * row_height
        if self._room() < needed:
            self._new_page()
        self._heading(section.title, heading)
        if shown_note:
            self.y += self.metrics(note_font).ascent()
            self._text(0, self.y, shown_note, note_font, GREY)
            self.y += note_height - self.metrics(note_font).ascent()
        if table is None:
            return
        self._header_row(table, row_height)
        for index, row in enumerate(section.rows):
            if self._room() < row_height:
                self._new_page()
                self._heading(f"{section.title} (continued)", heading)
                self._header_row(table, row_height)
            if index % 2:
                self._fill(QRectF(0, self.y, sum(table.widths), row_height), BAND_FILL)
            self._cells(table, [row.get(c.field, "") for c in section.columns], row_height)
        self.y += self.pt(2)

    def _heading(self, title: str, font: QFont) -> None:
        self.y += self.pt(6) + self.metrics(font).ascent()
        self._text(0, self.y, title, font)
        self.y += self.metrics(font).descent() + self.pt(2)

    def _header_row(self, table: _Table, height: float) -> None:
        self._fill(QRectF(0, self.y, sum(table.widths), height), HEAD_FILL)
        titles = [c.title for c in table.section.columns]
        self._cells(table, titles, height, _font(table.points, bold=True), QColor("white"))

    def _cells(
        self,
        table: _Table,
        texts: list[str],
        height: float,
        font: QFont | None = None,
        colour: QColor = INK,
    ) -> None:
        font = font or _font(table.points)
        metrics = self.metrics(font)
        pad = self.pt(PAD_PT) * table.points / BODY_PT
        baseline = self.y + (height + metrics.ascent() - metrics.descent()) / 2
        x = 0.0
        for column, width, text in zip(table.section.columns, table.widths, texts, strict=True):
            if text:
                if column.numeric:
                    self._text(0, baseline, text, font, colour, right=x + width - pad)
                else:
                    self._text(x + pad, baseline, text, font, colour)
            x += width
        self.y += height

    def _signatures(self) -> None:
        if not self.sheet.signatures:
            return
        font = _font(BODY_PT + 0.5)
        if self._room() < self.pt(34):
            self._new_page()
        self.y += self.pt(20)
        count = len(self.sheet.signatures)
        width = self.content.width() / count
        for index, title in enumerate(self.sheet.signatures):
            x = index * width
            self._line(x, self.y, x + width * 0.8)
            self._text(x, self.y + self.pt(3) + self.metrics(font).ascent(), title, font)
        self.y += self.pt(16)

    # --- every page ------------------------------------------------------------------------

    def frame(self, painter: QPainter, number: int, pages: int) -> None:
        """The running header and the footer, once the number of pages is known."""
        sheet = self.sheet
        small, bold = _font(7), _font(7, bold=True)
        width = self.content.width()
        baseline = self.metrics(small).ascent()
        painter.setFont(small)
        painter.setPen(GREY)
        painter.drawText(QPointF(0, baseline), sheet.title)
        word = sheet.status.word
        painter.setFont(bold)
        painter.setPen(STATUS_COLOURS[sheet.status.official and not sheet.status.as_at])
        painter.drawText(
            QPointF(width - self.metrics(bold).horizontalAdvance(word), baseline), word
        )
        pen = QPen(GREY)
        pen.setWidthF(self.pt(0.4))
        painter.setPen(pen)
        rule = baseline + self.pt(4)
        painter.drawLine(QPointF(0, rule), QPointF(width, rule))
        bottom = self.paper.height() - self.metrics(small).descent()
        painter.drawLine(QPointF(0, bottom - self.pt(10)), QPointF(width, bottom - self.pt(10)))
        painter.setFont(small)
        painter.setPen(GREY)
        painter.drawText(QPointF(0, bottom), f"Printed at {sheet.header['printed_at']}")
        page = f"Page {number} of {pages}"
        painter.drawText(QPointF(width - self.metrics(small).horizontalAdvance(page), bottom), page)
