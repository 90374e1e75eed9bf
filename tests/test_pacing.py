"""Paced reading (timingboard.store.pacing): a worker that reads a session for the window reads in
slices, each once the window's thread says it is free; a thread that waits for it lets it run
straight through; the collector stays out of what it reads until the taker has it."""

from __future__ import annotations

import gc
import threading
import time
from pathlib import Path

import pytest
from test_session_snapshot import board, corrected_race, rebuilt

from timingboard.store import SessionRecorder, recorder
from timingboard.store.bulk import collection_is_paused
from timingboard.store.pacing import Pacer, paced, pause_point

pytestmark = pytest.mark.pure


@pytest.fixture(autouse=True)
def _long_logs_are_short(monkeypatch):
    """The worker reads logs of 20,000 events and more; these sessions stand in for them."""
    monkeypatch.setattr(recorder, "CHECK_LATER_FROM", 1)


def _until(done, seconds: float = 10.0) -> bool:
    """Whether ``done()`` came true within ``seconds`` (polled: another thread makes it)."""
    end = time.monotonic() + seconds
    while not done():
        if time.monotonic() > end:
            return False
        time.sleep(0.001)
    return True


def _open_paced(path: Path, pacer: Pacer) -> tuple[threading.Thread, list[SessionRecorder]]:
    opened: list[SessionRecorder] = []

    def work() -> None:
        try:
            with paced(pacer):
                opened.append(SessionRecorder.open(path, check_later=True, hold_check=True))
        finally:
            pacer.release()

    pacer.hold()
    thread = threading.Thread(target=work)
    thread.start()
    return thread, opened


def test_a_paced_open_waits_for_each_free_moment_and_gives_the_same_board(
    tmp_path: Path,
) -> None:
    path = tmp_path / "race.tbs"
    corrected_race(path)
    pacer = Pacer(slice_s=0.0, longest_wait_s=30.0)  # every pause point waits to be allowed
    thread, opened = _open_paced(path, pacer)
    assert _until(lambda: pacer.waits >= 1)
    assert opened == [] and thread.is_alive()  # not allowed: it waits
    while thread.is_alive():  # the window's thread free: each slice allowed
        pacer.allow()
        time.sleep(0.001)
    assert pacer.waits > 1  # a slice at a time
    assert pacer.busy  # the log's check it made, held back, is paced too (till it is read)
    (session,) = opened
    assert session.settle() is False  # its check, waited for, runs straight through: intact
    assert not pacer.busy
    assert board(session.engine) == board(rebuilt(path))
    session.close()


def test_the_log_check_made_by_paced_work_is_paced_and_runs_straight_when_waited_for(
    tmp_path: Path,
) -> None:
    path = tmp_path / "race.tbs"
    corrected_race(path)
    pacer = Pacer(slice_s=0.0, longest_wait_s=30.0)
    pacer.hold()
    with paced(pacer), pacer.waited_for():  # the open run straight through here
        session = SessionRecorder.open(path, check_later=True, hold_check=True)
    pacer.release()  # the open done; the check it made holds the pacer
    assert session.checking and pacer.busy
    waits = pacer.waits
    session.begin_check()
    assert _until(lambda: pacer.waits > waits)  # the check's worker waits to be allowed
    assert not session.check_finished
    assert collection_is_paused()  # the collector kept off the log it reads
    assert session.settle() is False  # waited for: it runs straight through, no damage
    assert not pacer.busy and not collection_is_paused()
    assert board(session.engine) == board(rebuilt(path))
    assert len(session.engine.log) == session.file.last_seq
    session.close()


def test_a_log_check_dropped_untaken_gives_the_collector_back(tmp_path: Path) -> None:
    path = tmp_path / "race.tbs"
    corrected_race(path)
    session = SessionRecorder.open(path, check_later=True, hold_check=True)
    session.begin_check()
    assert _until(lambda: session.check_finished)
    assert collection_is_paused()  # until the verdict is taken
    session._check = None  # dropped, never taken
    gc.collect()
    assert not collection_is_paused()
    session.close()


def test_pause_points_outside_paced_work_never_wait() -> None:
    pause_point()  # no pacer in this thread: nothing happens
    pacer = Pacer(slice_s=0.0, longest_wait_s=30.0)
    with pacer.waited_for(), paced(pacer):  # someone waits for it: it runs straight through
        pause_point()
    assert pacer.waits == 0


def test_a_log_check_of_paced_work_dropped_before_it_began_lets_its_gate_stop(
    tmp_path: Path,
) -> None:
    path = tmp_path / "race.tbs"
    corrected_race(path)
    pacer = Pacer(slice_s=0.0, longest_wait_s=30.0)
    with paced(pacer), pacer.waited_for():
        session = SessionRecorder.open(path, check_later=True, hold_check=True)
    assert pacer.busy  # its check, held back, is paced work to come
    session._check = None  # dropped, never begun (its session never closed)
    gc.collect()
    assert not pacer.busy  # the window's gate stops ticking
    session.file.close()


def test_paced_work_cancelled_stops_at_its_next_pause_point() -> None:
    """A window closed while a long read runs: the read ends at its next slice's end, not at
    the end of the file (the window waited for it)."""
    import threading

    from timingboard.store import pacing

    cancelled = threading.Event()
    steps = []
    with pacing.paced(pacing.Pacer(), cancelled):
        pacing.pause_point()
        steps.append(1)
        cancelled.set()
        try:
            pacing.pause_point()
            steps.append(2)
        except pacing.Cancelled:
            steps.append("cancelled")
    pacing.pause_point()  # outside it: not cancelled
    assert steps == [1, "cancelled"]
