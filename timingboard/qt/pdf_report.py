"""Results printed to PDF with Qt's own printing (QTextDocument onto a QPdfWriter)."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QBuffer, QIODevice, QMarginsF
from PySide6.QtGui import QFont, QGuiApplication, QPageLayout, QPageSize, QPdfWriter, QTextDocument
from PySide6.QtWidgets import QApplication

from timingboard.store.atomic import refuse_unsafe_output, write_bytes

PAPERS = {"a4": QPageSize.PageSizeId.A4, "letter": QPageSize.PageSizeId.Letter}
MARGIN_MM = 12


def ensure_gui_application() -> None:
    """Text layout needs a GUI application; headless commands get an offscreen one."""
    if QGuiApplication.instance() is None:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        ensure_gui_application.app = QApplication([])  # type: ignore[attr-defined]


def write_pdf(
    html: str, path: str | Path, title: str, paper: str = "a4", reads: Sequence[str | Path] = ()
) -> None:
    """Print ``html`` to ``path`` on A4 or Letter, paginated; ``path`` is replaced whole
    (never a file in ``reads``), and a failure to write it raises ``SessionFileError``."""
    refuse_unsafe_output(path, reads)
    write_bytes(path, pdf_bytes(html, title, paper), reads)


def pdf_bytes(html: str, title: str, paper: str = "a4") -> bytes:
    """``html`` printed on A4 or Letter, paginated, as the bytes of a PDF."""
    if paper not in PAPERS:
        raise ValueError(f"paper must be one of {', '.join(PAPERS)}")
    ensure_gui_application()
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setTitle(title)
    writer.setCreator("timingboard")
    writer.setResolution(300)
    writer.setPageLayout(
        QPageLayout(
            QPageSize(PAPERS[paper]),
            QPageLayout.Orientation.Portrait,
            QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM),
            QPageLayout.Unit.Millimeter,
        )
    )
    document = QTextDocument()
    document.setDefaultFont(QFont("DejaVu Sans", 7))
    document.setHtml(html)
    # lay the text out on the page's own size, in points, or tables take a fraction of it
    document.setPageSize(writer.pageLayout().paintRect(QPageLayout.Unit.Point).size())
    document.print_(writer)
    del writer  # finishes the document
    data = bytes(buffer.data().data())
    buffer.close()
    return data
