"""Each correction changes the board as expected, undo restores it exactly, restarts lose none."""

from __future__ import annotations

from pathlib import Path

import pytest
from race_scripts import QUARTER_MILE_RACE, three_car_race

from timingboard.engine import (
    CarStatus,
    DeletePassing,
    Disqualify,
    InsertPassing,
    InvalidateLap,
    LapPenalty,
    ReassignPassing,
    Retire,
    Revert,
    TimePenalty,
)
from timingboard.qt.correction_desk import CorrectionDesk
from timingboard.qt.session_controller import SessionController
from timingboard.store import SessionRecorder


def _passing(controller: SessionController, car: str, time_ms: int) -> int:
    engine = controller.engine
    return next(pid for pid, r in engine.passings.items() if r.car == car and r.time_ms == time_ms)


CASES = {
    "delete car 2's last passing": (
        lambda c: DeletePassing(passing_id=_passing(c, "2", 56600)),
        ["1", "3", "2"],
    ),
    "time penalty car 2": (lambda c: TimePenalty(key="2", ms=1000), ["1", "2", "3"]),
    "lap penalty car 1": (lambda c: LapPenalty(key="1", laps=1), ["2", "3", "1"]),
    "disqualify car 2": (lambda c: Disqualify(key="2"), ["1", "3", "2"]),
    "retire car 3": (lambda c: Retire(key="3"), ["2", "1", "3"]),
    "insert a lap for car 3": (lambda c: InsertPassing(time_ms=76000, key="3"), ["3", "2", "1"]),
    "reassign car 2's passing to 3": (
        lambda c: ReassignPassing(passing_id=_passing(c, "2", 56600), key="3"),
        ["3", "1", "2"],
    ),
    "invalidate car 2's best lap": (
        lambda c: InvalidateLap(passing_id=_passing(c, "2", 14200)),
        ["2", "1", "3"],
    ),
}


@pytest.mark.parametrize("name", CASES)
def test_correction_changes_the_board_and_undo_restores_it(name, make_controller) -> None:
    controller = make_controller(QUARTER_MILE_RACE)
    desk = CorrectionDesk(controller)
    controller.submit(three_car_race())
    before = controller.engine.standings()
    build, expected_order = CASES[name]
    assert desk.correct(build(controller), reason=name)
    assert controller.engine.order() == expected_order
    after = controller.engine.standings()
    assert after != before
    desk.undo_stack.undo()
    assert controller.engine.standings() == before
    desk.undo_stack.redo()
    assert controller.engine.standings() == after
    desk.undo_stack.undo()
    assert controller.engine.standings() == before


def test_each_correction_records_operator_time_and_reason(make_controller) -> None:
    controller = make_controller(QUARTER_MILE_RACE)
    desk = CorrectionDesk(controller)
    desk.operator = "Pat"
    controller.submit(three_car_race())
    desk.correct(TimePenalty(key="2", ms=5000), reason="jumped the start")
    desk.undo_stack.undo()
    corrections = list(controller.engine.corrections.values())
    assert [(c.operator, c.reason) for c in corrections] == [
        ("Pat", "jumped the start"),
        ("Pat", "undo"),
    ]
    assert all(c.at.endswith("+00:00") for c in corrections)
    assert isinstance(corrections[1], Revert)


def test_specific_effects_on_rows(make_controller) -> None:
    controller = make_controller(QUARTER_MILE_RACE)
    desk = CorrectionDesk(controller)
    controller.submit(three_car_race())
    desk.correct(Disqualify(key="2"), reason="x")
    assert controller.engine.standing("2").status is CarStatus.DSQ
    desk.correct(InvalidateLap(passing_id=_passing(controller, "1", 14000)), reason="x")
    assert controller.engine.standing("1").best_lap_ms == 14000  # lap 2 was also 14.000
    assert controller.engine.standing("1").best_lap_number == 2


def test_undo_after_a_restart_is_a_new_correction(tmp_path: Path, qapp) -> None:
    path = tmp_path / "race.tbs"
    controller = SessionController(SessionRecorder.create(path, QUARTER_MILE_RACE))
    desk = CorrectionDesk(controller)
    controller.submit(three_car_race())
    before = controller.engine.standings()
    desk.correct(LapPenalty(key="2", laps=2), reason="pit lane speeding")
    corrected = controller.engine.standings()
    events = controller.engine.seq
    controller.close()

    reopened = SessionController(SessionRecorder.open(path))
    desk = CorrectionDesk(reopened)
    assert reopened.engine.standings() == corrected  # nothing lost
    assert desk.undo_stack.count() == 1 and desk.undo_stack.canUndo()
    desk.undo_stack.undo()
    assert reopened.engine.standings() == before
    assert reopened.engine.seq == events + 1
    assert isinstance(reopened.engine.corrections[events + 1], Revert)
    reopened.close()

    final = SessionController(SessionRecorder.open(path))
    assert final.engine.standings() == before
    assert CorrectionDesk(final).undo_stack.count() == 0
    final.close()


def test_a_refused_correction_does_not_enter_the_undo_stack(make_controller) -> None:
    controller = make_controller(QUARTER_MILE_RACE)
    desk = CorrectionDesk(controller)
    controller.submit(three_car_race())
    errors = []
    controller.error_reported.connect(errors.append)
    assert not desk.correct(DeletePassing(passing_id=9999), reason="x")
    assert desk.undo_stack.count() == 0
    assert errors == ["there is no passing #9999"]
