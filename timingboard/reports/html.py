"""The results sheet as an HTML page: the same sections and numbers as the PDF, CSV and JSON.

Cells never wrap (``white-space: nowrap``), so a browser sizes each column from its content and
no word or number is ever broken; the page prints in landscape when the classification is wide,
with the status, "Page i of n" and the time it was printed in the margins of every page.
"""

from __future__ import annotations

from html import escape

from timingboard.engine.engine import TimingEngine
from timingboard.reports.sheet import HEADER_TITLES, ResultsSheet, Section, build_sheet

LANDSCAPE_FROM_COLUMNS = 11  # a classification this wide does not fit across A4 upright

STYLE = """
@page {
  size: A4 %(orientation)s; margin: 12mm 12mm 16mm 12mm;
  @top-right { content: "%(status)s"; font: bold 7pt 'DejaVu Sans', Arial, sans-serif; }
  @bottom-left { content: "Printed at %(printed)s"; font: 7pt 'DejaVu Sans', Arial, sans-serif; }
  @bottom-right {
    content: "Page " counter(page) " of " counter(pages);
    font: 7pt 'DejaVu Sans', Arial, sans-serif;
  }
}
body { font-family: 'DejaVu Sans', Arial, sans-serif; font-size: 8pt; color: #111; }
h1 { font-size: 15pt; margin: 0 0 2pt 0; }
h2 { font-size: 10pt; margin: 12pt 0 3pt 0; }
table { border-collapse: collapse; }
th, td { white-space: nowrap; padding: 1.5pt 5pt; text-align: left; vertical-align: top; }
th { background: #222; color: #fff; font-weight: bold; }
table.data tbody tr:nth-child(even) td { background: #eee; }
th.n, td.n { text-align: right; font-variant-numeric: tabular-nums; }
thead { display: table-header-group; }
tr { page-break-inside: avoid; break-inside: avoid; }
table.meta th { background: none; color: #444; font-weight: normal; padding-left: 0; }
table.meta td { font-weight: bold; }
p.status { font-size: 11pt; font-weight: bold; padding: 3pt 6pt; border: 1.5pt solid; }
p.provisional { color: #9a5b00; }
p.official { color: #0a6b1f; }
p.note { color: #444; margin: 0 0 3pt 0; }
div.signatures { margin-top: 28pt; }
div.signature { display: inline-block; width: 40%%; margin-right: 8%%; padding-top: 22pt; }
div.signature span { display: block; border-top: 0.8pt solid #111; padding-top: 2pt; }
p.printed { color: #444; margin-top: 12pt; }
"""


def results_html(source: TimingEngine | ResultsSheet) -> str:
    """The sheet as a page of its own (a session's engine gives its sheet as it stands)."""
    sheet = source if isinstance(source, ResultsSheet) else build_sheet(source)
    return sheet_html(sheet)


def sheet_html(sheet: ResultsSheet) -> str:
    wide = any(len(s.columns) >= LANDSCAPE_FROM_COLUMNS for s in sheet.sections)
    style = STYLE % {
        "orientation": "landscape" if wide else "portrait",
        "status": _css_text(sheet.status.word),
        "printed": _css_text(sheet.header["printed_at"]),
    }
    status_class = "official" if sheet.status.official else "provisional"
    parts = [
        "<!DOCTYPE html>",
        f"<html><head><meta charset='utf-8'><title>{escape(sheet.title)}</title>",
        f"<style>{style}</style></head><body>",
        f"<h1>{escape(sheet.title)}</h1>",
        _meta(sheet),
        f"<p class='status {status_class}'>{escape(sheet.status.line)}</p>",
    ]
    for section in sheet.sections:
        parts.extend(_section(section))
    parts.append("<div class='signatures'>")
    for title in sheet.signatures:
        parts.append(f"<div class='signature'><span>{escape(title)}</span></div>")
    parts.append("</div>")
    parts.append(f"<p class='printed'>Printed at {escape(sheet.header['printed_at'])}</p>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def _css_text(text: str) -> str:
    """Text for a CSS string in the page's <style> (printed in the page margins)."""
    return "".join(ch for ch in text if ch not in '"\\<>\n')


def _meta(sheet: ResultsSheet) -> str:
    cells = [
        f"<th>{escape(HEADER_TITLES[name])}</th><td>{escape(value)}</td>"
        for name, value in sheet.header.items()
        if value and name not in ("event", "printed_at")
    ]
    rows = ["<tr>" + "".join(cells[i : i + 4]) + "</tr>" for i in range(0, len(cells), 4)]
    return f"<table class='meta'>{''.join(rows)}</table>"


def _section(section: Section) -> list[str]:
    parts = [f"<h2>{escape(section.title)}</h2>"]
    if section.note:
        parts.append(f"<p class='note'>{escape(section.note)}</p>")
    if not section.rows:
        if not section.note:
            parts.append("<p class='note'>None.</p>")
        return parts

    def klass(numeric: bool) -> str:
        return " class='n'" if numeric else ""

    head = "".join(f"<th{klass(c.numeric)}>{escape(c.title)}</th>" for c in section.columns)
    body = "".join(
        "<tr>"
        + "".join(
            f"<td{klass(c.numeric)}>{escape(row.get(c.field, ''))}</td>" for c in section.columns
        )
        + "</tr>"
        for row in section.rows
    )
    parts.append(f"<table class='data'><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")
    return parts
