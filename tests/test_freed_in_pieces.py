"""What a closed session held is freed a piece at a time (timingboard.store.piecemeal), and
only what nothing else holds is taken apart.

A 24-hour session's engine freed at once kept the GUI thread waiting ~200 ms (in a worker as
well: the freeing holds the GIL). These tests check the rules, not the time (that is
``benchmarks/bench_gui_stall.py``): everything is freed, each step is small, a part still held
elsewhere is left whole, and the window's close lets go of the session when the worker is done.
"""

from __future__ import annotations

import threading
import weakref
from pathlib import Path

from race_scripts import QUARTER_MILE_RACE, three_car_race

from timingboard.engine import Passing, TimingEngine
from timingboard.engine.events import LogEntry
from timingboard.qt.gui_thread import idle_releaser, release_when_idle
from timingboard.qt.session_controller import SessionController
from timingboard.store import SessionRecorder, closing, event_folder
from timingboard.store.piecemeal import CHUNK, pieces, release_in_pieces


class Node:
    """A weak-referable stand-in for a part of the graph."""

    def __init__(self, payload: object) -> None:
        self.payload = payload


def _graph() -> tuple[list[object], list[int], weakref.ref[Node]]:
    kept_elsewhere = list(range(1000))
    node = Node(kept_elsewhere)
    big = {i: (i, str(i)) for i in range(5 * CHUNK)}
    graph: list[object] = [[list(range(10)) for _ in range(3 * CHUNK)], big, {"n": [node]}]
    return graph, kept_elsewhere, weakref.ref(node)


def test_a_graph_is_freed_in_many_small_steps_leaving_alone_what_is_held_elsewhere() -> None:
    graph, kept_elsewhere, node = _graph()
    held: list[object] = [graph]
    del graph
    steps = pieces(held)
    assert held == []  # handed over at once
    assert node() is not None  # nothing freed before the first step
    count = sum(1 for _ in steps)
    assert count >= 3 + 5  # the big list and dict emptied CHUNK items a step
    assert node() is None  # a Node is not taken apart (not the project's), but freed
    assert kept_elsewhere == list(range(1000))  # held by this test too: left whole


def test_an_engine_is_taken_apart_but_the_lists_a_view_still_holds_are_not() -> None:
    engine = TimingEngine.from_log(
        QUARTER_MILE_RACE, [LogEntry(seq, event) for seq, event in enumerate(three_car_race(), 1)]
    )
    key = next(iter(engine.entries))
    laps = engine.entries[key].timing.laps
    shown = list(laps)
    alive = weakref.ref(engine)
    held: list[object] = [engine]
    del engine
    release_in_pieces(held)
    assert alive() is None
    assert laps == shown  # a view holding a car's laps still reads them all


def test_a_worker_frees_in_pieces_while_another_thread_runs() -> None:
    graph, _, node = _graph()
    held: list[object] = [graph]
    del graph
    worker = threading.Thread(target=release_in_pieces, args=(held,))
    worker.start()
    worker.join(60)
    assert node() is None


def test_the_idle_releaser_waits_until_it_is_told_the_worker_is_done(qtbot) -> None:
    graph, _, node = _graph()
    done = threading.Event()
    release_when_idle(graph, done.is_set)
    del graph
    releaser = idle_releaser()
    assert releaser.busy
    qtbot.wait(100)
    assert node() is not None  # the worker is not done with it
    done.set()
    qtbot.waitUntil(lambda: not releaser.busy, timeout=10_000)
    assert node() is None


def test_switching_sessions_frees_the_one_closed_once_its_snapshot_is_kept(
    tmp_path: Path, qtbot
) -> None:
    first = SessionRecorder.create(tmp_path / "a.tbs", QUARTER_MILE_RACE)
    first.submit(three_car_race())
    first.submit([Passing(time_ms=99_000, car="3")])
    engine = weakref.ref(first.engine)
    controller = SessionController(first)
    del first
    controller.load(SessionRecorder.create(tmp_path / "b.tbs", QUARTER_MILE_RACE))
    closing.wait_for_all()  # the snapshot was kept in the worker
    releaser = idle_releaser()
    qtbot.waitUntil(lambda: not releaser.busy, timeout=10_000)
    assert engine() is None  # by the releaser: no cycle left it to the collector
    reopened = SessionRecorder.open(tmp_path / "a.tbs")
    assert reopened.engine.seq == reopened.file.last_seq  # closed, whole, its snapshot kept
    reopened.close()
    controller.close()


def test_the_close_worker_lets_go_of_the_session_before_it_is_done(tmp_path: Path) -> None:
    recorder = SessionRecorder.create(tmp_path / "a.tbs", QUARTER_MILE_RACE)
    recorder.submit(three_car_race())
    gone = weakref.ref(recorder)
    recorder.close(in_background=True)
    closing.wait_for_all()
    del recorder
    assert gone() is None  # freed here, where the last holder let go, not in the worker


def test_the_event_view_reader_hands_over_what_it_read(tmp_path: Path) -> None:
    path = tmp_path / "a.tbs"
    recorder = SessionRecorder.create(path, QUARTER_MILE_RACE)
    recorder.submit(three_car_race())
    recorder.close()
    handed: list[list[object]] = []
    summary = event_folder.summarise_session(path, release=lambda held: handed.append(held[:]))
    assert summary.laps
    assert [type(thing).__name__ for thing in handed[0]] == ["TimingEngine", "list"]
