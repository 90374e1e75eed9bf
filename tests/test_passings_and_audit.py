"""The passings log and the audit: what they list, and corrections made from them."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox
from race_scripts import QUARTER_MILE_RACE, field, three_car_race

from timingboard.engine import Flag, FlagChanged, Passing, Retire
from timingboard.qt.audit_model import AuditColumn, AuditModel
from timingboard.qt.correction_desk import CorrectionDesk
from timingboard.qt.passings_model import PassingColumn, PassingsModel
from timingboard.store import SessionRecorder


def _texts(model, row: int) -> list[str]:
    return [model.index(row, c).data() for c in PassingColumn]


def test_passings_log_lists_every_passing_newest_first(make_controller, qtbot, qtmodeltester):
    controller = make_controller(QUARTER_MILE_RACE)
    model = PassingsModel(controller)
    qtmodeltester.check(model)
    controller.submit([*field(["1"]), FlagChanged(time_ms=0, flag=Flag.GREEN)])
    controller.submit([Passing(time_ms=t, car="1") for t in (1000, 15000, 15300, 29000)])
    controller.submit([Passing(time_ms=2000, car="99")])
    model.flush()
    assert model.rowCount() == 5
    assert _texts(model, 0)[:7] == [
        "0:00:29.000",
        "1",
        "Driver 1",
        "2",
        "14.000",
        "manual",
        "accepted",
    ]
    assert _texts(model, 1)[6] == "double read"
    assert _texts(model, 3)[:3] == ["0:00:02.000", "99", "unknown car"]
    assert _texts(model, 4)[6] == "start"
    qtmodeltester.check(model)


def test_passings_arriving_together_go_in_where_they_belong(make_controller, qtbot, qtmodeltester):
    from PySide6.QtCore import QPersistentModelIndex

    controller = make_controller(QUARTER_MILE_RACE)
    model = PassingsModel(controller)
    qtmodeltester.check(model)
    controller.submit([*field(["1", "2"]), FlagChanged(time_ms=0, flag=Flag.GREEN)])
    controller.submit([Passing(time_ms=t, car="1") for t in (10_000, 30_000, 50_000)])
    model.flush()
    kept = QPersistentModelIndex(model.index(1, 0))  # car 1 at 0:00:30
    inserted: list[tuple[int, int]] = []
    model.rowsInserted.connect(lambda _parent, first, last: inserted.append((first, last)))
    late = [20_000, 21_000, 40_000, 60_000, 61_000, 62_000]  # three on top, one, then two
    controller.submit([Passing(time_ms=t, car="2") for t in late])
    model.flush()
    times = [model.index(row, PassingColumn.TIME).data() for row in range(model.rowCount())]
    assert times == sorted(times, reverse=True) and len(times) == 9
    assert inserted == [(0, 2), (4, 4), (6, 7)]  # one insertion for each run, in place
    assert kept.data() == "0:00:30.000"
    qtmodeltester.check(model)


def test_deleting_a_passing_from_the_log_with_preview(make_controller, qtbot, tmp_path) -> None:
    from PySide6.QtCore import QSettings

    from timingboard.widgets.correction_flow import CorrectionFlow

    controller = make_controller(QUARTER_MILE_RACE)
    desk = CorrectionDesk(controller)
    passings = PassingsModel(controller)
    audit = AuditModel(controller)
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    from PySide6.QtWidgets import QWidget

    window = QWidget()
    qtbot.addWidget(window)
    flow = CorrectionFlow(desk, settings, window)
    controller.submit(three_car_race())
    passings.flush()
    pid = next(
        p for p, r in controller.engine.passings.items() if (r.car, r.time_ms) == ("2", 56600)
    )
    dialog = flow.on_passing("delete", pid)
    assert dialog is not None
    effect = [dialog.effect.item(i).text() for i in range(dialog.effect.count())]
    assert effect == ["Car 2: P1 → P3, laps 4 → 3", "Car 1: P2 → P1", "Car 3: P3 → P2"]
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled()  # no operator yet
    qtbot.keyClicks(dialog.operator_field, "Sam")
    assert dialog.reason_field.text() == ""  # a counted lap: no "double read" offered
    qtbot.keyClicks(dialog.reason_field, "transponder swap")
    assert ok.isEnabled()
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert controller.engine.order() == ["1", "3", "2"]
    passings.flush()
    row = passings.row_of(pid)
    assert passings.index(row, PassingColumn.STATUS).data() == "deleted"
    assert passings.index(row, PassingColumn.NOTE).data() == "deleted"
    assert audit.rowCount() == 1
    assert audit.index(0, AuditColumn.OPERATOR).data() == "Sam"
    assert audit.index(0, AuditColumn.REASON).data() == "transponder swap"
    assert audit.index(0, AuditColumn.ACTION).data().startswith("Delete the passing of car 2 at")
    assert settings.value("operator/name") == "Sam"
    desk.undo_stack.undo()
    assert audit.rowCount() == 2
    assert audit.index(0, AuditColumn.STATE).data() == "undone"
    passings.flush()
    assert passings.index(row, PassingColumn.STATUS).data() == "accepted"


def test_inserting_a_missed_lap_by_lap_time(make_controller, qtbot, tmp_path) -> None:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QWidget

    from timingboard.widgets.correction_flow import CorrectionFlow

    controller = make_controller(QUARTER_MILE_RACE)
    desk = CorrectionDesk(controller)
    window = QWidget()
    qtbot.addWidget(window)
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    settings.setValue("operator/name", "Sam")
    flow = CorrectionFlow(desk, settings, window)
    controller.submit(three_car_race())
    controller.run_clock(120_000)  # the session clock now: the missed lap was made by then
    dialog = flow.on_car("insert", "3")
    dialog.set_input("nonsense", 1)
    assert dialog.summary.text().startswith("⚠")
    dialog.set_input("14.250", 1)  # no lap of car 3 looks like two: after its last passing
    assert "at 0:01:16.750" in dialog.summary.text()
    dialog.accept()
    assert controller.engine.standing("3").laps == 5
    assert controller.engine.order()[0] == "3"


def test_a_deleted_passing_taken_back_is_no_longer_struck_through_in_any_cell(
    make_controller, qtbot
) -> None:
    """Undoing a delete changes only the Status text; the strike-through was on every cell."""
    from timingboard.engine import DeletePassing, Revert

    controller = make_controller(QUARTER_MILE_RACE)
    model = PassingsModel(controller)
    controller.submit([*field(["31", "8"]), FlagChanged(time_ms=0, flag=Flag.GREEN)])
    controller.submit([Passing(time_ms=1000, car="31"), Passing(time_ms=15_000, car="31")])
    model.flush()
    pid = controller.engine.seq  # the second crossing
    controller.submit([DeletePassing(passing_id=pid, operator="Pat", reason="double")])
    model.flush()
    row = model.row_of(pid)

    def struck() -> list[bool]:
        fonts = [model.index(row, c).data(Qt.ItemDataRole.FontRole) for c in PassingColumn]
        return [bool(font and font.strikeOut()) for font in fonts]

    assert all(struck())
    refreshed: list[tuple[int, int]] = []
    model.dataChanged.connect(lambda a, b, _roles: refreshed.append((a.column(), b.column())))
    controller.submit([Revert(correction_id=controller.engine.seq, operator="Pat", reason="no")])
    model.flush()
    assert not any(struck())
    assert (0, len(PassingColumn) - 1) in refreshed


def test_the_log_s_listed_ids_set_at_once_are_those_set_one_by_one() -> None:
    """A replay seek lists the whole log's passings at once (numpy), a frame a few at a time."""
    import numpy as np

    from timingboard.qt.passings_model import _Listed

    ids = [3, 0, 7, 8, 15, 16, 1023, 1024, 5000]
    at_once, one_by_one = _Listed.of_array(np.array(ids, dtype=np.int64)), _Listed(ids)
    assert [i for i in range(6000) if i in at_once] == sorted(ids)
    assert [i for i in range(6000) if i in one_by_one] == sorted(ids)
    at_once.update([5001, 90000])
    assert 5001 in at_once and 90000 in at_once and 89999 not in at_once
    assert 1 not in _Listed.of_array(np.array([], dtype=np.int64))


def test_held_while_another_session_opens_the_audit_has_no_row_until_one_is_shown(
    make_controller, qtbot, qtmodeltester, tmp_path
) -> None:
    """A long session opened in a worker: the corrections of the one leaving go (reset, no
    row), one made in it meanwhile is not listed, and the rows come back with the session
    shown: the same one if the open failed, the new one once it is opened."""
    controller = make_controller(QUARTER_MILE_RACE)
    assert controller.submit(three_car_race())
    assert controller.submit([Retire(key="3", reason="engine")])
    audit = AuditModel(controller)
    qtmodeltester.check(audit)
    assert audit.rowCount() == 1
    with qtbot.waitSignal(audit.modelReset):
        audit.hold_rows()
    assert audit.loading and audit.rowCount() == 0
    assert controller.submit([Retire(key="2", reason="gearbox")])  # not listed while held
    assert audit.rowCount() == 0
    with qtbot.waitSignal(audit.modelReset):
        audit.release_rows()  # the open failed: the session shown's corrections
    assert not audit.loading
    assert [audit.index(r, AuditColumn.REASON).data() for r in range(2)] == ["engine", "gearbox"]
    audit.hold_rows()
    other = SessionRecorder.create(tmp_path / "other.tbs", QUARTER_MILE_RACE)
    with qtbot.waitSignal(audit.modelReset):
        controller.load(other)  # the new one shown: none made in it
    assert not audit.loading and audit.rowCount() == 0
    qtmodeltester.check(audit)
