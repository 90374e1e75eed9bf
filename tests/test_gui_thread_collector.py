"""The cyclic collector runs on the GUI thread only, between events (timingboard.qt.gui_thread).

It used to run wherever an allocation crossed its threshold: in a worker thread, freeing the
window's Qt objects there, and on the GUI thread in the middle of PySide's conversion of
``QApplication.topLevelWidgets()``, which then met a menu it had just freed (a segfault in the
suite's teardown, 3 runs of 3).
"""

from __future__ import annotations

import gc
import subprocess
import sys
import threading
from pathlib import Path

from timingboard.qt.gui_thread import collect_on_gui_thread
from timingboard.store.bulk import collection_is_paused, collection_paused

CHILD = Path(__file__).with_name("gc_stress_child.py")


def test_windows_made_dropped_and_collected_with_a_worker_running_do_not_crash() -> None:
    run = subprocess.run(
        [sys.executable, str(CHILD), "10"], capture_output=True, text=True, timeout=300
    )
    assert run.returncode == 0, run.stderr[-2000:]  # -11 (a segfault) before
    assert run.stdout.split() == ["MainThread"]  # no collection ran in the worker


def _collections_by_thread(work) -> set[str]:
    ran_in: set[str] = set()

    def note(phase: str, _info: dict) -> None:
        if phase == "start":
            ran_in.add(threading.current_thread().name)

    thresholds = gc.get_threshold()
    gc.callbacks.append(note)
    gc.set_threshold(1, 1, 1)
    try:
        work()
    finally:
        gc.set_threshold(*thresholds)
        gc.callbacks.remove(note)
    return ran_in


def _cycles() -> None:
    for _ in range(200):
        junk: list = [[]]
        junk.append(junk)


def test_a_worker_allocating_runs_no_collection_and_the_gui_thread_collects(qtbot) -> None:
    collector = collect_on_gui_thread()
    assert not gc.isenabled()

    def work() -> None:
        worker = threading.Thread(target=_cycles, name="worker")
        worker.start()
        worker.join()
        with qtbot.waitSignal(collector._timer.timeout, timeout=2000):
            pass

    assert _collections_by_thread(work) == {"MainThread"}


def test_the_collector_collects_the_generation_due(qapp) -> None:
    collector = collect_on_gui_thread()
    gc.collect()
    assert collector.collect_due() is None  # nothing allocated since
    thresholds = gc.get_threshold()
    try:
        gc.set_threshold(5, 1, 1000)
        kept = [[i] for i in range(10)]
        assert collector.collect_due() == 0
        kept += [[i] for i in range(10)]
        assert collector.collect_due() == 0
        kept += [[i] for i in range(10)]
        assert collector.collect_due() == 1  # a second young pass since the last older one
    finally:
        gc.set_threshold(*thresholds)
    gc.enable()
    collector.collect_due()
    assert not gc.isenabled()  # automatic collection turned back on is turned off again


def test_a_session_loading_in_a_worker_is_not_collected_there(qapp) -> None:
    def load() -> None:
        with collection_paused():
            assert collection_is_paused()
            _cycles()

    def work() -> None:
        worker = threading.Thread(target=load, name="loader")
        worker.start()
        worker.join()

    assert _collections_by_thread(work) == set()
    assert not collection_is_paused()
    assert not gc.isenabled()  # as the GUI thread's collector left it


def test_sections_overlapping_in_two_threads_turn_collection_back_on_after_the_last() -> None:
    collecting = gc.isenabled()
    gc.enable()
    inside, leave = threading.Event(), threading.Event()

    def load() -> None:
        with collection_paused():
            inside.set()
            leave.wait(10)

    worker = threading.Thread(target=load, name="loader")
    try:
        with collection_paused():
            worker.start()
            inside.wait(10)
        assert not gc.isenabled()  # the worker's section still runs
        leave.set()
        worker.join()
        assert gc.isenabled()
    finally:
        leave.set()
        worker.join()
        if not collecting:
            gc.disable()
