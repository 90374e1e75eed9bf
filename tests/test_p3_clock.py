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
    assert health.warnings(1040.0) == ["clock jumped +30.000 s"]  # a step of 30 s on its rate
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


def test_a_clock_twenty_times_as_fast_read_a_few_ms_late_is_no_jump() -> None:
    """The walk at ``simulate --speed 20``: "clock jumped +86.097 s" throughout. Its clock
    read on connecting, again half a second on, then every 5 s (as the client does), our stamp
    of one reading 12 ms late: over that half second the rate read 18.5 s a second, not 19,
    and the next step "jumped". A step on that clock is still one, said by its own size."""
    health = DecoderHealth(0x41813)
    readings = [0.0, 0.5, *(0.5 + 5 * i for i in range(1, 9))]
    late = {1: 0.012, 4: 0.03, 6: 0.02}  # s: the event loop was busy
    for i, at in enumerate(readings):
        now = 1000.0 + at + late.get(i, 0.0)
        health.note_clock(int((5_000_000 + 20 * at) * 1_000_000), now)
        assert health.warnings(now) == [], (i, health.warnings(now))
    at = readings[-1] + 5
    health.note_clock(int((5_000_000 + 20 * at + 30) * 1_000_000), 1000.0 + at)  # 30 s more
    (said,) = health.warnings(1000.0 + at)
    assert said.startswith("clock jumped +") and abs(health.last_jump_ms - 30_000) < 100, said
