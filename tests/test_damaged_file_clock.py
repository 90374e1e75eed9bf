"""A damaged file opened read-only shows its clock as its last intact event left it (walk,
third round): the clock ticked on from the file's time zero ("GREEN since green 0:10:18")
though the data ended at 0:00:37, and the file can never be written again."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from journey import FakeTime, User, open_window
from race_scripts import QUARTER_MILE_RACE, field

from timingboard.engine import Flag, FlagChanged, Passing
from timingboard.store import SessionRecorder


def _change_a_lap_time(path: Path, seq: int) -> None:
    """One event edited, as a flipped digit would: the hash chain breaks there."""
    db = sqlite3.connect(path)
    (payload,) = db.execute("SELECT payload FROM events WHERE seq = ?", (seq,)).fetchone()
    event = json.loads(payload)
    event["time_ms"] += 1
    db.execute("UPDATE events SET payload = ? WHERE seq = ?", (json.dumps(event), seq))
    db.commit()
    db.close()


def test_a_damaged_files_clock_stands_at_its_last_intact_event(
    qtbot, tmp_path, monkeypatch
) -> None:
    clock = FakeTime().install(monkeypatch)
    path = tmp_path / "heat.tbs"
    recorder = SessionRecorder.create(path, QUARTER_MILE_RACE)
    recorder.submit([*field(["1", "2"]), FlagChanged(time_ms=0, flag=Flag.GREEN)])
    times = [(1_000, "1"), (1_500, "2"), (19_000, "1"), (19_800, "2"), (37_000, "1")]
    for time_ms, car in times:
        recorder.submit([Passing(time_ms=time_ms, car=car)])
    recorder.submit([Passing(time_ms=38_000, car="2")])
    last_seq = recorder.engine.seq
    recorder.close()
    _change_a_lap_time(path, last_seq)  # intact up to car 1's crossing at 0:00:37
    clock.advance(618)  # opened 10 min 18 s after the file was made
    user = User(qtbot, open_window(path, tmp_path / "settings.ini"))
    user.show()
    assert user.window.controller.recorder.read_only_reason  # opened read-only: damaged
    assert user.header()["clock"] == "0:00:37"  # was 0:10:18, ticking
    clock.advance(5)
    qtbot.wait(1200)  # the header's clock is repainted each second
    assert user.header()["clock"] == "0:00:37"
    user.window.close()
    user.window.controller.close()
