"""The new-user walk's texts (fresh clone, Xvfb 1280x800): what the header, the wall, the Entry
panel, the Event tab and the commands said that was cut, wrong or alarming, met through the real
window as ``timingboard open`` builds it, on the Road America practices it imported."""

from __future__ import annotations

from pathlib import Path

import pytest
from board_probe import shown_text
from conftest import SHARED_FEEDS
from journey import User, open_window
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from race_scripts import QUARTER_MILE_QUALIFYING, field

from timingboard.engine.events import CompetitorSet, Event, Flag, FlagChanged, LapsReported, Passing
from timingboard.store.feed_import import import_stream
from timingboard.store.recorder import SessionRecorder
from timingboard.text.board_columns import Column
from timingboard.text.event_text import EventColumn
from timingboard.widgets.elided_label import ElidedLabel

JOURNEY_LOG = pytest.mark.qt_log_ignore("does not support raise", "does not support grabbing")
FULL_DAY = SHARED_FEEDS / "redmist_roadamerica_2025-04-25_fullday.txt"
captures = pytest.mark.skipif(not FULL_DAY.exists(), reason="shared captures absent")


@pytest.fixture(scope="module")
def road_america(tmp_path_factory) -> Path:
    """``timingboard import`` of the Road America day, as the walk typed it: ra-01 … ra-11."""
    folder = tmp_path_factory.mktemp("imported")
    import_stream(FULL_DAY, folder / "ra.tbs")
    return folder


def desk(qtbot, path: Path, settings: Path) -> User:
    """``timingboard open FILE`` on the walk's 1280x800 screen."""
    user = User(qtbot, open_window(path, settings))
    user.window.showNormal()
    user.window.resize(1280, 800)
    user.show()
    qtbot.waitUntil(lambda: user.window.width() == 1280)
    qtbot.wait(20)  # the first layout done
    QApplication.processEvents()
    return user


def close(user: User) -> None:
    user.window.close()
    user.window.controller.close()


def shown(label) -> str:
    """What the label draws in its room (its text() is the whole text)."""
    return label.findChild(ElidedLabel).shown()


@captures
@JOURNEY_LOG
@pytest.mark.parametrize(
    ("session", "car", "time", "name"),
    [
        ("ra-01-race-practice-1", "#60", "2:21.572", "Stratus 60"),
        ("ra-05-race-practice-3", "#109", "2:20.030", "Roberts Motorsports"),
    ],
)
def test_the_session_best_reads_its_car_and_lap_time_whole_at_1280_px(
    qtbot, tmp_path, road_america, session, car, time, name
) -> None:
    """It read "Session best: #60 …1.572 102.936 mph" (cut in the middle) and "#109 Roberts
    M…ports 2:20.030": the name gives way first, then the speed; car and time are whole."""
    user = desk(qtbot, road_america / f"{session}.tbs", tmp_path / "settings.ini")
    best = user.window.header.best
    assert best.text().startswith(f"Session best: {car} ")  # whole in text() and the tooltip
    drawn = shown(best)
    assert f"{car} " in drawn and f"  {time}" in drawn, drawn
    assert best.text().startswith(f"Session best: {car} {name}  {time}")
    assert drawn.startswith(f"Session best: {car} "), drawn
    cut = drawn[len(f"Session best: {car} ") : drawn.index(f"  {time}")]
    assert cut in ("", name) or (cut.endswith("…") and name.startswith(cut[:-1])), drawn
    assert "…" not in drawn[drawn.index(time) :], drawn  # nothing after the time is cut either
    close(user)


def saved(path: Path, events: list[Event]) -> Path:
    recorder = SessionRecorder.create(path, QUARTER_MILE_QUALIFYING)
    recorder.submit(events)
    recorder.close()
    return path


@JOURNEY_LOG
def test_one_lap_not_seen_is_said_in_the_singular(qtbot, tmp_path) -> None:
    """The header said "1 laps not seen here *"."""
    events: list[Event] = [*field(["7", "8"]), FlagChanged(time_ms=0, flag=Flag.GREEN)]
    events += [Passing(time_ms=1000, car="7"), Passing(time_ms=61_000, car="7")]
    events.append(LapsReported(key="7", time_ms=61_000, laps=2))  # one lap it alone counted
    user = desk(qtbot, saved(tmp_path / "joined.tbs", events), tmp_path / "settings.ini")
    assert user.window.header.unseen.text() == "1 lap not seen here *"
    close(user)


@captures
@JOURNEY_LOG
def test_the_timing_systems_re_timings_are_not_called_deletions(
    qtbot, tmp_path, road_america
) -> None:
    """An imported practice read "388 passings (16 deleted)": 16 crossings the timing system
    sent again a few ms off, each moved (deleted and inserted), which alarmed race control."""
    user = desk(qtbot, road_america / "ra-01-race-practice-1.tbs", tmp_path / "settings.ini")
    passings = user.window.header.passings
    assert passings.text() == "388 passings (16 re-timed)"  # beside a long session best
    assert "388 passings (16 re-timed by the timing system)" in passings.toolTip()
    user.window.resize(1920, 800)  # room for the whole
    qtbot.waitUntil(lambda: passings.text() == "388 passings (16 re-timed by the timing system)")
    close(user)


def wall(qtbot, user: User):
    """F11: the window becomes the wall scoreboard, on a 1280x800 screen."""
    user.press(Qt.Key.Key_F11)
    scoreboard = user.window.scoreboard
    qtbot.waitUntil(scoreboard.isVisible)
    qtbot.waitUntil(lambda: user.window.isFullScreen())
    user.window.showNormal()  # as if full screen on the walk's screen (the test's is 800 px)
    user.window.resize(1280, 800)
    qtbot.waitUntil(lambda: scoreboard.width() == 1280 and scoreboard.height() == 800)
    qtbot.wait(50)
    qtbot.wait(20)
    QApplication.processEvents()
    return scoreboard


@captures
@JOURNEY_LOG
def test_the_wall_gives_the_names_their_room_before_class_and_status(
    qtbot, tmp_path, road_america
) -> None:
    """At 1280 px the wall read "Roberts…", "AE Victory…", "Automatic…", "Morehead…",
    "Forza…" beside a wide Class and "Finished": those now close up, the names read whole."""
    user = desk(qtbot, road_america / "ra-05-race-practice-3.tbs", tmp_path / "settings.ini")
    table = wall(qtbot, user).table
    model = table.model()
    on_page = table.rows_shown()
    names = {str(model.index(r, Column.DRIVER).data()): r for r in on_page}
    for name in (
        "Roberts Motorsports",
        "AE Victory Racing",
        "Automatic Racing",
        "Bruce Innovations",
    ):
        assert shown_text(table, names[name], Column.DRIVER) == name
    assert shown_text(table, names["FPRS Motorsports"], Column.DRIVER) == "FPRS Motorsports"
    assert shown_text(table, names["Roberts Motorsports"], Column.CLASS) == "GTU◆"
    assert shown_text(table, names["Roberts Motorsports"], Column.STATUS) == "Fin"
    title = table.horizontalHeader()
    assert [title.model().headerData(c, Qt.Orientation.Horizontal) for c in (5, 14)] == [
        "Class",
        "Status",
    ]  # the desk's titles are the model's, untouched
    close(user)


@JOURNEY_LOG
def test_two_different_names_never_read_alike_on_the_wall(qtbot, tmp_path) -> None:
    """Cut after a word, two teams read "Bruce Innovations…" alike: where their cuts are the
    same, the names are cut in the middle, their ends (which tell them apart) kept."""
    team = "Bruce Innovations Racing Team of Elkhart Lake, Wisconsin"
    alpha, bravo = f"{team} Alpha Blue", f"{team} Bravo Red"
    names = {"7": alpha, "8": bravo, "9": "Sam Steward"}
    events: list[Event] = [CompetitorSet(key=c, car=c, driver=n) for c, n in names.items()]
    events.append(FlagChanged(time_ms=0, flag=Flag.GREEN))
    events += [Passing(time_ms=1000 * n, car=car) for n, car in enumerate(names, 1)]
    user = desk(qtbot, saved(tmp_path / "teams.tbs", events), tmp_path / "settings.ini")
    table = wall(qtbot, user).table
    shown = [shown_text(table, row, Column.DRIVER) for row in range(3)]
    full = [str(table.model().index(row, Column.DRIVER).data()) for row in range(3)]
    assert {full[0], full[1]} == {alpha, bravo}
    assert shown[0] != shown[1], shown
    assert all("…" in text and text.endswith(("Blue", "Red")) for text in shown[:2]), shown
    close(user)


@captures
@JOURNEY_LOG
def test_the_entry_band_appears_in_room_kept_for_it_and_the_pages_stay(
    qtbot, tmp_path, road_america
) -> None:
    """The walk saw the page count flip as the band across the bottom came and went (a window
    not full screen: the first digit brought the Entry dock up beside the wall), and the band
    covered the rows under it: its room is kept under the rows, the pages never change."""
    user = desk(qtbot, road_america / "ra-05-race-practice-3.tbs", tmp_path / "settings.ini")
    scoreboard = wall(qtbot, user)
    table, band = scoreboard.table, scoreboard.entry_band
    before = (scoreboard.band.page.text(), table.page_count(), table.rows_shown())
    assert before[0] == f"page 1/{before[1]}" and before[1] > 1
    user.type("5")  # a number typed: the band shows it
    qtbot.waitUntil(band.isVisible)
    assert not user.window.docks["entry"].isVisible()  # the wall keeps the window
    assert (scoreboard.band.page.text(), table.page_count(), table.rows_shown()) == before
    last = before[2][-1]
    bottom = table.viewport().mapTo(
        scoreboard, table.visualRect(table.model().index(last, Column.CAR)).bottomLeft()
    )
    assert band.geometry().top() > bottom.y()  # over no row of the page
    user.press(Qt.Key.Key_Backspace)
    qtbot.waitUntil(lambda: not band.isVisible())
    assert (scoreboard.band.page.text(), table.page_count(), table.rows_shown()) == before
    close(user)


@captures
@JOURNEY_LOG
def test_the_event_tab_says_an_empty_session_had_no_laps(qtbot, tmp_path, road_america) -> None:
    """HPDE S1 (no crossing, no start, its end sent by the timing system) read "finished"."""
    user = desk(qtbot, road_america / "ra-01-race-practice-1.tbs", tmp_path / "settings.ini")
    user.window.docks["event"].raise_()  # the Event tab clicked
    view = user.window.event_actions.view
    view.refresh_action.trigger()
    model = view.table.model()

    def statuses() -> dict[str, str]:
        return {
            str(model.index(r, EventColumn.SESSION).data()): str(
                model.index(r, EventColumn.STATUS).data()
            )
            for r in range(model.rowCount())
        }

    qtbot.waitUntil(lambda: "reading…" not in statuses().values() and len(statuses()) == 11)
    assert statuses()["HPDE S1"] == "no laps"
    assert statuses()["Race Practice 2"] == "finished"
    close(user)


@JOURNEY_LOG
def test_a_new_session_from_the_demo_names_the_events_track_with_its_length(
    qtbot, tmp_path, dialogs
) -> None:
    """File ▸ New session from the demo: Track was empty beside Track length 0.250."""
    from PySide6.QtCore import QSettings

    from timingboard.app.run import build_demo_window
    from timingboard.widgets.session_dialog import NewSessionDialog

    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window, runner = build_demo_window(50.0, 31, False, tmp_path / "demo", settings)
    user = User(qtbot, window)
    user.show()
    seen: list[tuple[str, str, str]] = []

    def look(dialog) -> None:
        seen.append((dialog.track.text(), dialog.length.text(), dialog.unit.currentText()))
        dialog.reject()

    dialogs.expect(NewSessionDialog, look)
    user.choose("File", "New session")
    qtbot.waitUntil(lambda: bool(seen))
    assert seen == [("L.A. Memorial Coliseum", "0.250", "miles")]
    assert dialogs.unexpected == []
    runner.stop()
    window.close()
    window.controller.close()


@JOURNEY_LOG
def test_the_held_line_reads_whole_at_1280_px(qtbot, tmp_path, dialogs) -> None:
    """An unknown number held: the Entry panel cut "type the number again and Enter to ad…"."""
    events: list[Event] = [*field(["7", "8"]), FlagChanged(time_ms=0, flag=Flag.GREEN)]
    user = desk(qtbot, saved(tmp_path / "listed.tbs", events), tmp_path / "settings.ini")
    panel = user.window.entry_panel
    below = panel.flag_buttons[Flag.GREEN].mapTo(user.window, panel.rect().topLeft())
    user.enter("5")  # not on the entry list: held
    qtbot.waitUntil(panel.held_line.isVisible)
    QApplication.processEvents()
    held = panel.held_line
    lines = held.text().split("\n")
    assert " ".join(lines).endswith("type the number again and Enter to add it, Esc to retype it.")
    assert " ".join(lines).startswith("Held: 5 at ")
    room = held.contentsRect().width()
    assert all(held.fontMetrics().horizontalAdvance(line) <= room for line in lines), lines
    assert held.height() >= held.fontMetrics().lineSpacing() * len(lines)  # no line cut off
    assert panel.flag_buttons[Flag.GREEN].mapTo(user.window, panel.rect().topLeft()) == below
    user.press(Qt.Key.Key_Escape)
    user.press(Qt.Key.Key_Escape)
    close(user)
