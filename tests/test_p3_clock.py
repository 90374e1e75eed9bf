"""A decoder's clock (issue 15): the session clock shown never goes back when a decoder (or a
feed) says an earlier time, and a clock that runs steadily fast (a capture replayed with
``simulate --speed 10``) is not a clock that jumps."""

from __future__ import annotations

from journey import FakeTime
from race_scripts import QUARTER_MILE_QUALIFYING

from timingboard.feeds.p3_session import DecoderHealth
from timingboard.qt.session_controller import SessionController
from timingboard.store import SessionRecorder


def test_a_clock_ten_times_as_fast_is_no_jump_and_a_step_still_is() -> None:
    health = DecoderHealth(0x41813)
    for i in range(8):  # GET_TIME every 5 s, its clock 10 times ours: +45 s a reading
        now = 1000.0 + 5 * i
        health.note_clock(int((5_000_000 + 50 * i) * 1_000_000), now)
        assert health.warnings(now) == [], i  # "clock jumped +44.9 s (6 times)"
    health.note_clock((5_000_000 + 50 * 8 + 30) * 1_000_000, 1040.0)  # 30 s more
    assert health.warnings(1040.0) == ["clock jumped +75.000 s"]  # a step of 30 s on its rate
    assert health.clock_jumps == 1


def test_the_clock_follows_a_timing_system_forward_never_back(tmp_path, qapp, monkeypatch) -> None:
    clock = FakeTime().install(monkeypatch)
    controller = SessionController(
        SessionRecorder.create(tmp_path / "p3.tbs", QUARTER_MILE_QUALIFYING)
    )
    controller.follow_clock(170_000)  # 0:02:50
    clock.advance(2.0)
    assert controller.clock_ms() == 172_000
    controller.follow_clock(162_000)  # back after a drop, the decoder says 0:02:42
    assert controller.clock_ms() == 172_000  # it went back to 0:02:42
    clock.advance(1.0)
    assert controller.clock_ms() == 173_000  # and runs on
    controller.follow_clock(180_000)
    assert controller.clock_ms() == 180_000
    controller.close()
