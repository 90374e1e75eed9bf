"""The event folder: event.json's details, classes and sessions, read and written safely."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from timingboard.engine.events import CompetitorSet, Flag, FlagChanged, Passing
from timingboard.engine.settings import LengthUnit, SessionKind, SessionSettings
from timingboard.store import SessionRecorder
from timingboard.store.entry_list import CarClass
from timingboard.store.event_folder import (
    EventFolderError,
    EventInfo,
    Status,
    inherit_track,
    read_classes,
    read_event,
    record_session,
    summarise,
    write_classes,
    write_event,
)
from timingboard.store.session_lock import SessionLock

CLASH = EventInfo("Busch Light Clash", "2023-02-05", "LA Memorial Coliseum", 0.25)


def test_event_details_are_kept_beside_the_sessions_and_read_back(tmp_path: Path) -> None:
    (tmp_path / "event.json").write_text(json.dumps({"sessions": [{"file": "q.tbs"}], "x": 1}))
    write_event(tmp_path, CLASH)
    write_classes(tmp_path, [CarClass("Cup", "#e6194b", 1)])
    assert read_event(tmp_path) == CLASH
    assert read_classes(tmp_path) == [CarClass("Cup", "#e6194b", 1)]
    stored = json.loads((tmp_path / "event.json").read_text())
    assert stored["sessions"] == [{"file": "q.tbs"}] and stored["x"] == 1  # untouched


@pytest.mark.parametrize(
    ("event", "words"),
    [
        ({"date": "5 Feb"}, "is not a date"),
        ({"track_length": -1}, "a track of -1"),
        ({"track_length": "long"}, "not a number"),
        ({"length_unit": "furlong"}, "furlong"),
    ],
)
def test_a_bad_event_is_refused_with_the_reason(tmp_path: Path, event, words) -> None:
    (tmp_path / "event.json").write_text(json.dumps({"sessions": [], "event": event}))
    with pytest.raises(EventFolderError, match=words):
        read_event(tmp_path)
    with pytest.raises(EventFolderError, match="is not a date"):
        write_event(tmp_path, EventInfo(date="tomorrow"))


def test_a_damaged_manifest_is_said_and_not_overwritten(tmp_path: Path) -> None:
    (tmp_path / "event.json").write_text("{not json")
    with pytest.raises(EventFolderError, match="cannot be read"):
        record_session(tmp_path, tmp_path / "a.tbs", [], "new")
    assert (tmp_path / "event.json").read_text() == "{not json"


def test_a_session_without_a_track_takes_the_events(tmp_path: Path) -> None:
    write_event(tmp_path, CLASH)
    settings = inherit_track(SessionSettings(name="Heat 1", track_length=0.25), tmp_path)
    assert (settings.track_name, settings.track_length, settings.length_unit) == (
        "LA Memorial Coliseum", 0.25, LengthUnit.MILES,
    )  # fmt: skip
    own = SessionSettings(name="Test", track_name="Irwindale", track_length=0.5)
    assert inherit_track(own, tmp_path) == own


def _session(folder: Path, name: str, kind: SessionKind, events: list) -> Path:
    path = folder / f"{name.lower()}.tbs"
    recorder = SessionRecorder.create(path, SessionSettings(name=name, kind=kind))
    recorder.submit([CompetitorSet(key="31", car="31", driver="Justin Haley"), *events])
    recorder.close()
    return path


def test_a_checkered_a_green_took_back_is_no_finish_in_the_event_view(tmp_path: Path) -> None:
    """F9 then F5 (a mistaken checkered taken back): the race goes on, as the sheet says; the
    Event tab said "finished" for it, also after Refresh."""
    laps = [Passing(time_ms=t, car="31") for t in (0, 13_413, 26_900)]
    flags = [FlagChanged(time_ms=t, flag=f) for t, f in ((0, Flag.GREEN), (20_000, Flag.CHECKERED))]
    taken_back = [*flags, FlagChanged(time_ms=21_000, flag=Flag.GREEN)]
    heat = _session(tmp_path, "Heat", SessionKind.RACE, [*taken_back, *laps])
    record_session(tmp_path, heat, [], "new")
    assert summarise(tmp_path)[0].status is Status.STOPPED  # begun, unfinished, open nowhere
    final = _session(tmp_path, "Final", SessionKind.RACE, [*flags, *laps])
    record_session(tmp_path, final, [], "new")
    assert summarise(tmp_path)[1].status is Status.FINISHED


def test_sessions_are_listed_with_their_status_in_the_events_order(tmp_path: Path) -> None:
    green = FlagChanged(time_ms=0, flag=Flag.GREEN)
    laps = [Passing(time_ms=t, car="31") for t in (0, 13_413, 26_900)]
    feature = _session(tmp_path, "Feature", SessionKind.RACE, [])
    heat = _session(tmp_path, "Heat", SessionKind.RACE, [green, *laps])
    qualifying = _session(
        tmp_path, "Qualifying", SessionKind.QUALIFYING,
        [green, *laps, FlagChanged(time_ms=30_000, flag=Flag.CHECKERED)],
    )  # fmt: skip
    (tmp_path / "broken.tbs").write_text("not a session")
    record_session(tmp_path, qualifying, [], "new")
    record_session(tmp_path, heat, [qualifying], "entries")
    record_session(tmp_path, feature, [heat], "straight")
    rows = summarise(tmp_path)
    assert [(r.name, r.status, r.laps, r.winner, r.made_from) for r in rows[:3]] == [
        ("Qualifying", Status.FINISHED, 2, "31 Justin Haley", ()),
        ("Heat", Status.STOPPED, 2, "31 Justin Haley", ("qualifying.tbs",)),
        ("Feature", Status.SCHEDULED, None, "", ("heat.tbs",)),
    ]  # the heat begun and not finished is timed by nobody now: stopped, not live
    lock = SessionLock.acquire(heat)
    try:  # while a window or a feed has it open, it is live
        assert summarise(tmp_path)[1].status is Status.LIVE
    finally:
        lock.release()
    assert rows[3].path.name == "broken.tbs" and "not a timingboard session" in rows[3].problem
