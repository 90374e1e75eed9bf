"""The new-user walk's texts (fresh clone, Xvfb 1280x800): what the header, the wall, the Entry
panel, the Event tab and the commands said that was cut, wrong or alarming, met through the real
window as ``timingboard open`` builds it, on the Road America practices it imported."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SHARED_FEEDS
from journey import User, open_window
from PySide6.QtWidgets import QApplication
from race_scripts import QUARTER_MILE_QUALIFYING, field

from timingboard.engine.events import Event, Flag, FlagChanged, LapsReported, Passing
from timingboard.store.feed_import import import_stream
from timingboard.store.recorder import SessionRecorder
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
