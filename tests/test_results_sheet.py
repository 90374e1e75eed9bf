"""The results sheet: one model, four formats with the same numbers, a PDF whose every value is
whole and in order, gaps that are never negative (also for a session joined late), and the
PROVISIONAL / OFFICIAL status with its amendments, from the command and from the window."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import re
import subprocess
import sys
import time
import unicodedata
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import SHARED_FEEDS
from race_scripts import QUARTER_MILE_RACE, field, laps_at, merged_in_time, two_class_race

from timingboard.cli import main
from timingboard.engine import (
    CompetitorSet,
    Disqualify,
    EndSession,
    Flag,
    FlagChanged,
    LogEntry,
    PitMark,
    Retire,
    TimePenalty,
    TimingEngine,
)
from timingboard.reports.results import read_csv, result_rows
from timingboard.reports.sheet import ResultsSheet, SheetOptions, build_sheet
from timingboard.store import SessionRecorder

LONG_TEAM = "Richard Childress Racing Chevrolet Camaro ZL1 Motorsports"


def _race_events() -> list:
    """Five cars and 10 laps: a penalty, a retirement, a disqualification, a pit stop."""
    cars = ["1", "2", "3", "4", "5"]
    competitors = [
        CompetitorSet(key=c, car=c, driver=f"Driver {c}", team=LONG_TEAM, grid=i + 1)
        for i, c in enumerate(cars)
    ]
    streams = [laps_at(c, 200 * i, 14_000 + 150 * i, 10) for i, c in enumerate(cars)]
    return [*competitors, FlagChanged(time_ms=0, flag=Flag.GREEN), *merged_in_time(*streams)]


CORRECTIONS = [
    TimePenalty(key="2", ms=5000, operator="Pat", reason="jump start", at="2026-05-01T14:00:00"),
    Retire(key="4", operator="Pat", reason="engine failure", at="2026-05-01T14:01:00"),
    Disqualify(key="5", operator="Pat", reason="rough driving", at="2026-05-01T14:02:00"),
    PitMark(key="3", time_ms=30_000, entered=True, operator="Pat", at="2026-05-01T14:03:00"),
    PitMark(key="3", time_ms=52_000, entered=False, operator="Pat", at="2026-05-01T14:03:10"),
]


@pytest.fixture
def race_file(tmp_path: Path) -> Path:
    path = tmp_path / "heat.tbs"
    # run yesterday: a file made now whose laps end later would end in the future (not printed)
    settings = dataclasses.replace(QUARTER_MILE_RACE, race_laps=10)
    recorder = SessionRecorder.create(path, settings, origin=time.time() - 86_400)
    recorder.submit(_race_events())
    recorder.submit(CORRECTIONS)
    recorder.close()
    return path


def _engine(path: Path) -> TimingEngine:
    from timingboard.store.session_file import SessionFile

    file = SessionFile.open(path, read_only=True)
    try:
        return TimingEngine.from_log(file.settings, list(file.entries()))
    finally:
        file.close()


def _pdf_cells(path: Path) -> list[str]:
    """The PDF's text, one cell a line, as a reader (or a copy and paste) gets it."""
    from pypdf import PdfReader

    text = "\n".join(page.extract_text() for page in PdfReader(str(path)).pages)
    text = unicodedata.normalize("NFKC", text).replace("\t", " ")
    return [line.strip() for line in text.splitlines() if line.strip()]


def _contains_in_order(cells: list[str], values: list[str]) -> bool:
    """``values`` appear as consecutive cells: whole, and in the order of the columns."""
    n = len(values)
    return any(cells[i : i + n] == values for i in range(len(cells) - n + 1))


def _check_pdf_sections(sheet, cells: list[str]) -> None:
    for section in sheet.sections:
        assert section.title in cells
        for row in section.rows:
            values = [row[c.field] for c in section.columns if row.get(c.field)]
            assert _contains_in_order(cells, values), (section.title, values)


# --- the PDF ---------------------------------------------------------------------------------


def test_pdf_text_has_every_value_whole_and_in_order(race_file: Path, tmp_path: Path) -> None:
    pdf = tmp_path / "heat.pdf"
    args = ["results", str(race_file), "--format", "pdf", "-o", str(pdf), "--event", "Clash"]
    assert main([*args, "--weather", "Dry, 18 °C"]) == 0
    cells = _pdf_cells(pdf)
    sheet = build_sheet(_engine(race_file))
    _check_pdf_sections(sheet, cells)
    assert LONG_TEAM in cells  # a long name stays on one line, whole
    assert "Clash · Heat 1" in cells
    assert "Page 1 of 1" in cells
    assert "PROVISIONAL: subject to the declaration of the results" in cells
    assert any(re.fullmatch(r"Printed at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d", c) for c in cells)
    assert "Dry, 18 °C" in cells and "Chief timekeeper" in cells and "Clerk of the course" in cells
    for title in ("Session:", "Track:", "Length:", "Date:", "Start:", "End:", "Weather:"):
        assert title in cells


def test_a_long_sheet_is_paged_in_landscape_with_headings_repeated(tmp_path: Path) -> None:
    from pypdf import PdfReader

    from timingboard.qt.pdf_report import write_pdf

    cars = [str(n) for n in range(1, 81)]
    competitors = [
        CompetitorSet(key=c, car=c, driver=f"Driver {c}", team=LONG_TEAM, car_class="GT")
        for c in cars
    ]
    streams = [laps_at(c, 100 * i, 14_000 + 10 * i, 3) for i, c in enumerate(cars)]
    events = [*competitors, FlagChanged(time_ms=0, flag=Flag.GREEN), *merged_in_time(*streams)]
    engine = TimingEngine.from_log(QUARTER_MILE_RACE, _log(events))
    sheet = build_sheet(engine)
    pdf = tmp_path / "long.pdf"
    pages = write_pdf(sheet, pdf, "letter")
    reader = PdfReader(str(pdf))
    assert pages == len(reader.pages) >= 3
    box = reader.pages[0].mediabox
    assert float(box.width) > float(box.height)  # landscape: the table is wide
    cells = _pdf_cells(pdf)
    _check_pdf_sections(sheet, cells)
    assert f"Page 2 of {pages}" in cells
    assert "Classification (continued)" in cells
    assert cells.count("Best lap") >= 3  # the column headings on every page of the table
    assert sheet.section("class:GT") is None  # one class: no table repeating the classification


def _log(events) -> list[LogEntry]:
    return [LogEntry(i + 1, e) for i, e in enumerate(events)]


# --- the same numbers in four formats -----------------------------------------------------------


class _Cells(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tables: list[list[list[str]]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs) -> None:
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_data(self, data) -> None:
        if self._cell is not None:
            self._cell.append(data)

    def handle_endtag(self, tag) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.tables[-1][-1].append("".join(self._cell))
            self._cell = None


def test_the_four_formats_carry_the_same_numbers(race_file: Path, tmp_path: Path) -> None:
    out = {}
    for fmt in ("csv", "json", "html", "pdf"):
        out[fmt] = tmp_path / f"heat.{fmt}"
        assert main(["results", str(race_file), "--format", fmt, "-o", str(out[fmt])]) == 0
    with out["csv"].open(encoding="utf-8") as handle:
        csv_rows = list(csv.DictReader(handle))
    document = json.loads(out["json"].read_text(encoding="utf-8"))
    assert csv_rows == document["results"]
    classification = next(s for s in document["sections"] if s["key"] == "classification")
    fields = [c["field"] for c in classification["columns"]]
    json_table = [[row[f] for f in fields] for row in classification["rows"]]
    assert json_table == [
        [row[f] for f in fields] for row in csv_rows if row["position"]
    ]  # the classified cars, in order, the same numbers
    html = out["html"].read_text(encoding="utf-8")
    assert 'content: "Page " counter(page) " of " counter(pages)' in html  # when printed
    assert "white-space: nowrap" in html and "<thead>" in html  # headings on every page
    parser = _Cells()
    parser.feed(html)
    html_table = next(
        t for t in parser.tables if t and t[0] == [c["title"] for c in classification["columns"]]
    )
    assert html_table[1:] == json_table
    cells = _pdf_cells(out["pdf"])
    for row in json_table:
        assert _contains_in_order(cells, [v for v in row if v])
    # what the numbers are: car 2 has 5 s added, car 4 retired and car 5 disqualified
    assert [(r[0], r[1]) for r in json_table] == [("1", "1"), ("2", "3"), ("3", "2")]
    by_car = {r["car"]: r for r in csv_rows}
    assert by_car["2"]["penalties"] == "+5.000 s"
    assert by_car["2"]["total_time"] == "2:26.700"  # its last crossing 2:21.700 + 5 s
    assert (by_car["4"]["status"], by_car["5"]["status"]) == ("DNF", "DSQ")
    assert by_car["3"]["pit_stops"] == "1"
    not_classified = next(s for s in document["sections"] if s["key"] == "not_classified")
    assert [(r["car"], r["status"], r["reason"]) for r in not_classified["rows"]] == [
        ("4", "DNF", "engine failure"),
        ("5", "DSQ", "rough driving"),
    ]
    assert document["status"]["status"] == "PROVISIONAL"
    assert document["format"] == "timingboard-results" and document["version"] == 1


def test_totals_follow_the_order_and_gaps_are_their_differences() -> None:
    """A rolling start: cars cross the line for the first time at different moments."""
    engine = TimingEngine.from_log(
        QUARTER_MILE_RACE,
        _log(
            [
                *field(["1", "2", "3"]),
                FlagChanged(time_ms=0, flag=Flag.GREEN),
                *merged_in_time(
                    laps_at("1", 100, 14_000, 4),  # crosses first, finishes first
                    laps_at("2", 900, 13_900, 4),  # started 0.8 s later, faster laps
                    laps_at("3", 1500, 13_850, 4),
                ),
            ]
        ),
    )
    rows = result_rows(engine)
    totals = [int(r["total_time"].replace(".", "").replace(":", "")) for r in rows]
    assert totals == sorted(totals)
    assert [r["car"] for r in rows] == ["1", "2", "3"]
    assert [r["total_time"] for r in rows] == ["56.100", "56.500", "56.900"]
    assert [r["gap"] for r in rows] == ["", "+0.400", "+0.800"]
    assert [s.total_ms for s in engine.standings()] == [56_100, 56_500, 56_900]  # the board too


def test_classes_fastest_laps_leaders_and_stages_sections() -> None:
    settings = dataclasses.replace(QUARTER_MILE_RACE, stage_laps=(3,))
    sheet = build_sheet(TimingEngine.from_log(settings, _log(two_class_race())))
    keys = [s.key for s in sheet.sections]
    assert keys[:3] == ["classification", "class:GT", "class:Pro"]
    assert "stage:1" in keys
    gt = sheet.section("class:GT")
    assert [(r["position"], r["car"], r["gap"]) for r in gt.rows] == [
        ("1", "2", ""),
        ("2", "1", "+1.400"),
    ]
    pro = sheet.section("class:Pro")
    assert [(r["car"], r["gap"]) for r in pro.rows] == [("3", ""), ("4", "+2 laps")]
    fastest = sheet.section("fastest")
    assert [(r["scope"], r["car"], r["best_lap"]) for r in fastest.rows] == [
        ("Session", "2", "14.000"),
        ("Class GT", "2", "14.000"),
        ("Class Pro", "3", "15.000"),
    ]
    leaders = sheet.section("lap_leaders")
    assert [(r["car"], r["from_lap"], r["to_lap"], r["laps"]) for r in leaders.rows] == [
        ("2", "1", "6", "6")
    ]
    classification = sheet.section("classification")
    assert [r["laps_led"] for r in classification.rows] == ["6", "0", "0", "0"]


# --- sessions joined late ---------------------------------------------------------------------

JOINED = sorted(SHARED_FEEDS.glob("redmist_*7hr*.txt")) if SHARED_FEEDS.is_dir() else []


@pytest.mark.feeds
@pytest.mark.skipif(not JOINED, reason="../shared/feeds is not here")
@pytest.mark.parametrize("capture", JOINED, ids=[p.name for p in JOINED])
def test_the_sheet_of_a_joined_session_has_no_negative_gap(capture: Path, tmp_path: Path) -> None:
    from timingboard.store.feed_import import import_stream

    report = import_stream(capture, tmp_path / "joined.tbs")
    for item in report.sessions:
        engine = _engine(item.path)
        sheet = build_sheet(engine)
        gaps = [
            row[name]
            for section in sheet.sections
            for row in section.rows
            for name in ("gap", "interval", "class_gap")
            if row.get(name)
        ]
        assert gaps and not [g for g in gaps if not g.startswith("+")]
        rows = sheet.section("classification").rows
        leader_laps = int(rows[0]["laps"])
        for row in rows[1:]:
            down = leader_laps - int(row["laps"])
            if down:  # "+N laps" is the difference of the timing system's counts
                assert row["gap"] == ("+1 lap" if down == 1 else f"+{down} laps")
        same_laps: dict[str, list[str]] = {}
        for row in rows:
            same_laps.setdefault(row["laps"], []).append(row["total_time"])
        for totals in same_laps.values():  # the order never contradicts the totals
            assert totals == sorted(totals, key=lambda t: [int(x) for x in re.split("[:.]", t)])
        led = {row["car"]: row["laps_led"] for row in sheet.results}
        assert {s.car: str(s.laps_led) for s in engine.standings()} == led  # as on the board
        assert sum(int(n) for n in led.values()) == sum(
            1 for _, key in engine.lap_leaders() if key is not None
        )
        for standing in engine.standings():  # and the board shows no negative gap either
            for gap in (standing.gap, standing.interval, standing.class_gap):
                assert gap is None or (gap.ms >= 0 and gap.laps >= 0)
            assert standing.last_lap_ms is None or standing.last_lap_ms > 0
        _check_bests_are_laps_seen_here(engine, sheet)
        pdf = tmp_path / f"{item.path.stem}.pdf"
        from timingboard.qt.pdf_report import write_pdf

        write_pdf(sheet, pdf)
        _check_pdf_sections(sheet, _pdf_cells(pdf))


def _check_bests_are_laps_seen_here(engine: TimingEngine, sheet: ResultsSheet) -> None:
    """No lap this board did not see is a best: not the board's highlights, nor the sheet's
    fastest laps; the timing system's better ones are shown apart, as reported bests."""
    seen = {
        key: {lap.duration_ms for lap in entry.timing.laps if lap.seen and lap.valid}
        for key, entry in engine.entries.items()
    }
    best = engine.session_best
    assert best is None or (best[1].seen and best[1].duration_ms in seen[best[0]])
    reported = 0
    for s in engine.standings():
        if s.best_lap_ms is not None:
            assert s.best_lap_ms == min(seen[s.key])  # its best is its fastest lap seen here
        if s.last_lap_personal_best or s.holds_class_best or s.holds_session_best:
            assert s.best_lap_ms is not None and s.best_lap_ms in seen[s.key]
        if s.reported_best_ms is not None:  # e.g. an 8:06.574 lap, its only one seen here
            reported += 1
            assert s.best_lap_ms is None or s.reported_best_ms < s.best_lap_ms
            assert not s.last_lap_personal_best  # no green: its best was not seen here
    by_car = {s.car: s for s in engine.standings()}
    for row in sheet.section("fastest").rows:  # type: ignore[union-attr]
        assert _ms(row["best_lap"]) in seen[by_car[row["car"]].key]
    shown = [row for row in sheet.results if row["reported_best"]]
    assert len(shown) == reported
    listed = sheet.section("reported_bests")
    assert (listed is None) == (not shown)
    if listed is not None:  # listed as what they are, and the classification says so
        assert [r["reported_best"] for r in listed.rows] == [r["reported_best"] for r in shown]
        assert "Best laps are laps timed here" in sheet.sections[0].note


def _ms(text: str) -> int:
    """ "1:23.456" or "59.012" in milliseconds."""
    minutes, _, seconds = text.rpartition(":")
    return round((int(minutes or 0) * 60 + float(seconds)) * 1000)


# --- PROVISIONAL, OFFICIAL, amendments ------------------------------------------------------------


def _json(path: Path, capsys) -> dict:
    assert main(["results", str(path), "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_declared_official_then_amended_round_trips(race_file: Path, capsys) -> None:
    assert _json(race_file, capsys)["status"]["official"] is False
    assert main(["results", str(race_file), "--declare-official", "--by", "Ann Chief"]) == 0
    captured = capsys.readouterr()
    assert "declared official by Ann Chief" in captured.err
    assert captured.out.startswith("position,car,")  # and the results as usual
    document = _json(race_file, capsys)
    status = document["status"]
    assert (status["status"], status["declared_by"], status["amendments"]) == (
        "OFFICIAL",
        "Ann Chief",
        0,
    )
    assert status["line"].startswith("OFFICIAL: declared by Ann Chief at ")
    amendments = next(s for s in document["sections"] if s["key"] == "amendments")
    assert amendments["rows"] == []
    recorder = SessionRecorder.open(race_file)  # the declaration is in the session's log
    assert [d.operator for _, d in recorder.engine.declarations] == ["Ann Chief"]
    recorder.submit([TimePenalty(key="1", ms=10_000, operator="Sam", reason="protest upheld")])
    recorder.close()
    document = _json(race_file, capsys)
    assert document["status"]["amendments"] == 1
    assert "1 amendment(s) since" in document["status"]["line"]
    amendments = next(s for s in document["sections"] if s["key"] == "amendments")
    assert [(r["operator"], r["correction"], r["reason"]) for r in amendments["rows"]] == [
        ("Sam", "Time penalty +10.000 s for car 1", "protest upheld")
    ]
    assert [r["car"] for r in document["results"][:3]] == ["3", "2", "1"]  # the amended order
    assert main(["results", str(race_file), "--declare-official", "--by", "Bo"]) == 2
    assert "were declared official by Ann Chief" in capsys.readouterr().err


def test_declare_official_from_the_command_line(race_file: Path, tmp_path: Path) -> None:
    def run(*args: str) -> subprocess.CompletedProcess:
        command = [sys.executable, "-m", "timingboard", "results", str(race_file), *args]
        return subprocess.run(command, capture_output=True, text=True, timeout=120)

    bad = run("--declare-official")
    assert bad.returncode == 2 and bad.stdout == ""
    assert bad.stderr.strip() == (
        "timingboard: --declare-official needs --by NAME: who declares the results"
    )
    pdf = tmp_path / "official.pdf"
    done = run("--declare-official", "--by", "Ann Chief", "--format", "pdf", "-o", str(pdf))
    assert done.returncode == 0, done.stderr
    cells = _pdf_cells(pdf)
    assert "OFFICIAL" in cells
    assert any(c.startswith("OFFICIAL: declared by Ann Chief at ") for c in cells)
    again = run("--declare-official", "--by", "Ann Chief")
    assert again.returncode == 2 and "Traceback" not in again.stderr
    at = run("--declare-official", "--by", "Ann", "--at", "30")
    assert at.returncode == 2 and "leave out --at" in at.stderr


def test_a_sheet_at_a_moment_is_not_the_results(race_file: Path, capsys) -> None:
    assert main(["results", str(race_file), "--at", "30", "--format", "json"]) == 0
    status = json.loads(capsys.readouterr().out)["status"]
    assert status["status"] == "STANDINGS AT 0:00:30" and status["official"] is False


def test_signature_lines_are_configurable(race_file: Path, capsys) -> None:
    args = ["results", str(race_file), "--format", "json"]
    assert main([*args, "--signatures", "Race director; Chief scrutineer"]) == 0
    assert json.loads(capsys.readouterr().out)["signatures"] == [
        "Race director",
        "Chief scrutineer",
    ]
    assert main([*args, "--signatures", ""]) == 0
    assert json.loads(capsys.readouterr().out)["signatures"] == []


def test_csv_is_the_classification_then_the_cars_not_classified(race_file: Path) -> None:
    engine = _engine(race_file)
    out = io.StringIO()
    from timingboard.reports.results import write_csv

    write_csv(engine, out)
    rows = read_csv(io.StringIO(out.getvalue()))
    assert [(r["position"], r["car"], r["status"]) for r in rows] == [
        ("1", "1", "finished"),
        ("2", "3", "finished"),
        ("3", "2", "finished"),
        ("", "4", "DNF"),
        ("", "5", "DSQ"),
    ]


# --- from the window ---------------------------------------------------------------------------


def test_declare_results_official_from_the_window(
    make_controller, show_window, qtbot, tmp_path: Path
) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QDialogButtonBox

    controller = make_controller(dataclasses.replace(QUARTER_MILE_RACE, race_laps=10))
    controller.submit(_race_events())
    window = show_window(controller)
    file_menu = window.menuBar().actions()[0].menu()
    titles = [a.text() for a in file_menu.actions()]
    assert "&Declare results official…" in titles and "Results &sheet…" in titles
    window.official.sheet_action.trigger()
    sheet_dialog = window.official.dialog
    qtbot.waitUntil(sheet_dialog.isVisible)
    qtbot.keyClicks(sheet_dialog.event_field, "Busch Light Clash")
    qtbot.keyClicks(sheet_dialog.signatures_field, "; Steward")
    qtbot.mouseClick(
        sheet_dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton
    )
    window.official.declare_action.trigger()
    dialog = window.official.dialog
    qtbot.waitUntil(dialog.isVisible)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled()  # who declares them?
    qtbot.keyClicks(dialog.operator_field, "Ann Chief")
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert window.statusBar().currentMessage() == "Results declared OFFICIAL by Ann Chief"
    assert not window.official.declare_action.isEnabled()
    window.results.export(tmp_path / "r.json")
    window.results.export(tmp_path / "r.pdf")
    document = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert document["status"]["declared_by"] == "Ann Chief"
    assert document["header"]["event"] == "Busch Light Clash"
    assert document["signatures"] == ["Chief timekeeper", "Clerk of the course", "Steward"]
    cells = _pdf_cells(tmp_path / "r.pdf")
    assert "Busch Light Clash · Heat 1" in cells and "Steward" in cells
    assert any(c.startswith("OFFICIAL: declared by Ann Chief") for c in cells)
    controller.submit([TimePenalty(key="1", ms=1000, operator="Sam", reason="late call")])
    window.results.export(tmp_path / "r2.json")
    amended = json.loads((tmp_path / "r2.json").read_text(encoding="utf-8"))
    assert amended["status"]["amendments"] == 1


def test_a_qualifying_sheet_ranks_by_best_lap_and_lists_who_set_no_time(tmp_path: Path) -> None:
    from race_scripts import QUARTER_MILE_QUALIFYING, clash_qualifying

    from timingboard.qt.pdf_report import write_pdf

    events = [*clash_qualifying(), CompetitorSet(key="17", car="17", driver="Joey Logano")]
    sheet = build_sheet(TimingEngine.from_log(QUARTER_MILE_QUALIFYING, _log(events)))
    rows = sheet.section("classification").rows
    assert [(r["car"], r["best_lap"], r["gap"], r["best_speed"]) for r in rows] == [
        ("31", "13.413", "", "67.099"),
        ("8", "13.553", "+0.140", "66.406"),
        ("20", "13.569", "+0.156", "66.328"),
        ("24", "13.596", "+0.183", "66.196"),
    ]
    assert sheet.section("lap_leaders") is None  # not a race
    # printed mid-session: 17 may still go out (not DNS yet: the board says nothing of it,
    # nor does the sheet); once the session is ended it is DNS
    assert [(r["car"], r["status"]) for r in sheet.section("not_classified").rows] == [("17", "")]
    ended = TimingEngine.from_log(
        QUARTER_MILE_QUALIFYING, _log([*events, EndSession(time_ms=300_000)])
    )
    sheet = build_sheet(ended)
    assert [(r["car"], r["status"]) for r in sheet.section("not_classified").rows] == [
        ("17", "DNS")
    ]
    pdf = tmp_path / "q.pdf"
    write_pdf(sheet, pdf)
    _check_pdf_sections(sheet, _pdf_cells(pdf))


def test_writers_take_the_sheet_or_the_engine() -> None:
    """A sheet and the engine it came from give the same rows (both are accepted)."""
    engine = TimingEngine.from_log(QUARTER_MILE_RACE, _log(_race_events()))
    assert result_rows(engine) == result_rows(build_sheet(engine, SheetOptions(event="x")))


def test_a_reported_best_is_in_every_writer_as_what_it_is(tmp_path: Path) -> None:
    """The timing system's best, better than any lap seen here: a field of its own in CSV and
    JSON, a footnote and a table in HTML and PDF; the fastest lap is the one seen here."""
    from timingboard.engine import BestReported, CompetitorSet, LogEntry, Passing
    from timingboard.qt.pdf_report import write_pdf
    from timingboard.reports.html import sheet_html
    from timingboard.reports.results import json_document, write_csv

    events = [
        CompetitorSet(key="31", car="31", driver="Justin Haley"),
        CompetitorSet(key="8", car="8", driver="Kyle Busch"),
        FlagChanged(time_ms=0, flag=Flag.GREEN),
        *[Passing(time_ms=t, car="31") for t in (1000, 14_600, 28_100)],
        *[Passing(time_ms=t, car="8") for t in (1500, 15_000, 28_400)],
        BestReported(key="8", lap_ms=13_213, lap=1),  # before this board joined
    ]
    engine = TimingEngine.from_log(QUARTER_MILE_RACE, [LogEntry(i, e) for i, e in
                                                       enumerate(events, start=1)])  # fmt: skip
    sheet = build_sheet(engine)
    by_car = {row["car"]: row for row in sheet.results}
    assert by_car["8"]["reported_best"] == "13.213 (lap 1)" and by_car["31"]["reported_best"] == ""
    assert by_car["8"]["best_lap"] == "13.400"  # its best timed here
    [fastest] = sheet.section("fastest").rows  # type: ignore[union-attr]
    assert (fastest["car"], fastest["best_lap"]) == ("8", "13.400")
    assert engine.session_best is not None and engine.session_best[0] == "8"
    out = io.StringIO()
    write_csv(engine, out)
    assert [r["reported_best"] for r in csv.DictReader(io.StringIO(out.getvalue()))] == [
        "",
        "13.213 (lap 1)",
    ]
    document = json_document(engine)
    assert [r["reported_best"] for r in document["results"]] == ["", "13.213 (lap 1)"]
    html = sheet_html(sheet)
    assert "Best laps not seen here" in html and "1 car has a better lap reported" in html
    pdf = tmp_path / "sheet.pdf"
    write_pdf(sheet, pdf)
    cells = _pdf_cells(pdf)
    _check_pdf_sections(sheet, cells)
    assert any("1 car has a better lap reported by the timing system" in c for c in cells)
