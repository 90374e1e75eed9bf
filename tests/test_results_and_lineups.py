"""Results exports and event progression: the Clash heats, the feature grid, PDF, CSV, stages."""

from __future__ import annotations

import dataclasses
import io
import json
import unicodedata
from pathlib import Path

import pytest
from race_scripts import QUARTER_MILE_RACE, field, laps_at, merged_in_time, run, three_car_race

from timingboard.cli import main
from timingboard.demo.clash import FIELD, qualifying
from timingboard.engine import Flag, FlagChanged, LogEntry, TimingEngine
from timingboard.engine.lineups import invert_top, split_heats, transfers
from timingboard.engine.stages import stage_results
from timingboard.reports.results import read_csv, result_rows, write_csv
from timingboard.store import SessionRecorder


@pytest.fixture(scope="module")
def clash_qualifying() -> TimingEngine:
    q = qualifying()
    events = [*q.competitors, *(e for _, e in q.events)]
    return TimingEngine.from_log(q.settings, [LogEntry(i + 1, e) for i, e in enumerate(events)])


def test_the_clash_rule_top_four_qualifiers_lead_the_four_heats(clash_qualifying) -> None:
    order = clash_qualifying.order()
    heats = split_heats(order, 4)
    assert [heat[0] for heat in heats] == ["31", "8", "20", "24"]  # Haley, Busch, Bell, Byron
    assert heats[0][:3] == [order[0], order[4], order[8]]  # P1, P5, P9
    assert sorted(car for heat in heats for car in heat) == sorted(order)
    assert [len(heat) for heat in heats] == [9, 9, 9, 9]


def test_transfers_interleave_heat_finishers() -> None:
    heats = [["a1", "a2", "a3"], ["b1", "b2", "b3"], ["c1", "c2"]]
    assert transfers(heats, 2) == ["a1", "b1", "c1", "a2", "b2", "c2"]


def test_inverted_top_n() -> None:
    assert invert_top(["1", "2", "3", "4", "5"], 3) == ["3", "2", "1", "4", "5"]


def test_a_new_session_orders_its_cars_by_the_grid_before_any_lap(tmp_path: Path) -> None:
    q = qualifying()
    source = tmp_path / "quali.tbs"
    recorder = SessionRecorder.create(source, q.settings)
    recorder.submit(list(q.competitors))
    recorder.submit([e for _, e in q.events])
    order = recorder.engine.order()
    recorder.close()
    assert main(["lineup", str(source), "--rule", "split:4", "--name", "Heat", "--laps", "25"]) == 0
    heat = SessionRecorder.open(tmp_path / "heat-1.tbs")
    assert heat.engine.order() == order[0::4]
    assert heat.settings.race_laps == 25 and heat.settings.is_race
    assert [s.gained for s in heat.engine.standings()[:2]] == [0, 0]
    heat.close()
    manifest = json.loads((tmp_path / "event.json").read_text())
    assert [s["file"] for s in manifest["sessions"]] == [f"heat-{n}.tbs" for n in range(1, 5)]
    assert manifest["sessions"][0]["rule"] == "split across 4 heats in order"


def test_feature_grid_from_the_heats(tmp_path: Path) -> None:
    paths = []
    for number, cars in enumerate((["1", "2", "3"], ["4", "5", "6"]), start=1):
        path = tmp_path / f"heat{number}.tbs"
        recorder = SessionRecorder.create(path, QUARTER_MILE_RACE)
        recorder.submit([*field(cars), FlagChanged(time_ms=0, flag=Flag.GREEN)])
        # the last car on the grid wins each heat
        streams = [laps_at(c, 100 * i, 14000 - 200 * i, 3) for i, c in enumerate(cars)]
        recorder.submit(merged_in_time(*streams))
        recorder.submit([FlagChanged(time_ms=50_000, flag=Flag.CHECKERED)])  # the heat is over
        recorder.close()
        paths.append(str(path))
    assert main(["lineup", *paths, "--rule", "transfer:2", "--name", "Feature"]) == 0
    feature = SessionRecorder.open(tmp_path / "feature.tbs")
    assert feature.engine.order() == ["3", "6", "2", "5"]
    feature.close()


@pytest.mark.parametrize(("paper", "size"), [("a4", (595, 842)), ("letter", (612, 792))])
def test_pdf_has_the_winner_on_the_paper_asked_for(tmp_path: Path, paper, size) -> None:
    from pypdf import PdfReader

    path = tmp_path / "race.tbs"
    recorder = SessionRecorder.create(path, QUARTER_MILE_RACE)
    recorder.submit(three_car_race())
    recorder.close()
    pdf = tmp_path / "results.pdf"
    assert main(["results", str(path), "--format", "pdf", "-o", str(pdf), "--paper", paper]) == 0
    reader = PdfReader(str(pdf))
    raw = "\n".join(page.extract_text() for page in reader.pages)
    text = unicodedata.normalize("NFKC", raw).replace("\t", " ")
    assert "Heat 1" in text and "Classification" in text
    # car 2 won, ahead of car 1 and car 3
    assert text.index("Driver 2") < text.index("Driver 1") < text.index("Driver 3")
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == size


def test_pdf_needs_a_file(tmp_path: Path, capsys) -> None:
    path = tmp_path / "race.tbs"
    SessionRecorder.create(path, QUARTER_MILE_RACE).close()
    assert main(["results", str(path), "--format", "pdf"]) == 2
    assert "add -o" in capsys.readouterr().err


def test_csv_round_trips() -> None:
    engine = run(QUARTER_MILE_RACE, three_car_race())
    out = io.StringIO()
    write_csv(engine, out)
    assert read_csv(io.StringIO(out.getvalue())) == result_rows(engine)
    with pytest.raises(ValueError, match="not a timingboard results CSV"):
        read_csv(io.StringIO("a,b\n1,2\n"))


def test_stage_results_at_set_laps() -> None:
    settings = dataclasses.replace(QUARTER_MILE_RACE, stage_laps=(2, 8))
    events = [*field(["1", "2", "3"]), FlagChanged(time_ms=0, flag=Flag.GREEN)]
    events += merged_in_time(
        laps_at("1", 0, 14000, 3), laps_at("2", 300, 13800, 3), laps_at("3", 600, 15000, 3)
    )
    engine = run(settings, events)
    first, second = stage_results(engine)
    assert first.end_lap == 2 and first.ended_ms == 27_900
    assert first.order == [("2", 2), ("1", 2), ("3", 2)]
    assert second.ended_ms is None and second.order == []


def test_exports_from_the_window(make_controller, tmp_path, qtbot) -> None:
    from PySide6.QtCore import QSettings

    from timingboard.app.main_window import MainWindow

    controller = make_controller(QUARTER_MILE_RACE)
    controller.submit(three_car_race())
    window = MainWindow(controller, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    for name in ("r.pdf", "r.html", "r.csv", "r.json"):
        window.results.export(tmp_path / name)
        assert (tmp_path / name).stat().st_size > 200
    assert "<h1>Heat 1</h1>" in (tmp_path / "r.html").read_text()
    assert json.loads((tmp_path / "r.json").read_text())["results"][0]["car"] == "2"
    with pytest.raises(ValueError, match="cannot tell the format"):
        window.results.export(tmp_path / "r.docx")


def test_the_field_has_36_cars() -> None:
    assert len(FIELD) == 36


def test_stage_laps_typed_in_the_new_session_dialog(qtbot) -> None:
    from timingboard.text.typed import stage_laps
    from timingboard.widgets.session_dialog import NewSessionDialog

    assert stage_laps("140, 60; 60") == (60, 140)
    dialog = NewSessionDialog()
    qtbot.addWidget(dialog)
    dialog.stages.setText("20, 40")
    dialog.laps.setValue(60)
    settings = dialog.settings()
    assert settings.stage_laps == (20, 40) and settings.race_laps == 60


def test_a_rule_given_as_its_text_is_the_rule() -> None:
    """A combo box's data comes back a plain str: "split" was no rule to ``build`` (its ``is``
    tests), which lined up one straight-up session while event.json said "split"."""
    from timingboard.engine.lineups import LineupRequest, LineupRule, build

    request = LineupRequest("split", 2)  # type: ignore[arg-type]
    assert request.rule is LineupRule.SPLIT
    assert build(request, [["5", "4", "2", "3", "6", "1"]]) == [["5", "2", "6"], ["4", "3", "1"]]
    with pytest.raises(ValueError):
        LineupRequest("shuffle", 2)  # type: ignore[arg-type]


def test_a_field_too_small_for_the_rule_is_said_in_words() -> None:
    from timingboard.engine.lineups import LineupRequest, LineupRule, misfit

    assert misfit(LineupRequest(LineupRule.SPLIT, 6), 6) == ""
    assert misfit(LineupRequest(LineupRule.SPLIT, 7), 6) == (
        "7 heats asked for but the field has 6 cars; use a number from 1 to 6"
    )
    assert misfit(LineupRequest(LineupRule.INVERT, 2), 1) == (
        "2 cars inverted asked for but the field has 1 car; use a number from 1 to 1"
    )
    assert misfit(LineupRequest(LineupRule.TRANSFER, 0), 6).startswith("transfer needs a number")
    assert misfit(LineupRequest(LineupRule.STRAIGHT), 0) == ""
