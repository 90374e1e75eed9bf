"""The Entries table: rows follow the log, edits are logged and undone, also after a restart."""

from __future__ import annotations

from PySide6.QtCore import QPersistentModelIndex, Qt
from race_scripts import QUARTER_MILE_RACE

from timingboard.engine.audit import audit_trail
from timingboard.engine.events import CompetitorSet, EditEntry, Passing, Revert
from timingboard.qt.correction_desk import CorrectionDesk
from timingboard.qt.entries_model import EntriesModel
from timingboard.qt.entry_desk import EntryDesk
from timingboard.qt.session_controller import SessionController
from timingboard.store import SessionRecorder
from timingboard.text.entry_text import EntryColumn

HALEY = CompetitorSet(key="31", car="31", driver="Justin Haley", team="Kaulig Racing")
BUSCH = CompetitorSet(key="8", car="8", driver="Kyle Busch", grid=2)
BELL = CompetitorSet(key="20", car="20", driver="Christopher Bell")


def cars(model: EntriesModel) -> list[str]:
    return [model.index(r, EntryColumn.NUMBER).data() for r in range(model.rowCount())]


def make(make_controller) -> tuple[SessionController, EntryDesk, EntriesModel]:
    controller = make_controller(QUARTER_MILE_RACE)
    controller.submit([HALEY, BUSCH])
    desk = EntryDesk(CorrectionDesk(controller))
    return controller, desk, EntriesModel(desk)


def test_rows_are_in_number_order_and_follow_the_log(make_controller, qtbot, qtmodeltester):
    controller, desk, model = make(make_controller)
    qtmodeltester.check(model)
    assert cars(model) == ["8", "31"]
    assert model.index(1, EntryColumn.LAST).data() == "Haley"
    haley = QPersistentModelIndex(model.index(1, EntryColumn.TEAM))
    with qtbot.waitSignal(model.rowsInserted):
        assert desk.set_entry(BELL)
    assert cars(model) == ["8", "20", "31"]
    assert haley.row() == 2 and haley.data() == "Kaulig Racing"
    with qtbot.waitSignal(model.rowsMoved):  # 31 renumbered 3: one move
        assert model.setData(model.index(2, EntryColumn.NUMBER), "3")
    assert cars(model) == ["3", "8", "20"]
    assert haley.row() == 0 and haley.data() == "Kaulig Racing"
    assert controller.engine.competitors["31"].car == "3"
    qtmodeltester.check(model)


def test_an_edit_is_one_data_change_of_its_row(make_controller, qtbot):
    _controller, _desk, model = make(make_controller)
    changes = []
    model.dataChanged.connect(lambda a, b, _roles: changes.append((a.row(), b.row())))
    assert model.setData(model.index(0, EntryColumn.FIRST), "Kurt")
    assert changes == [(0, 0)]
    assert model.index(0, EntryColumn.FIRST).data() == "Kurt"


def test_bad_cells_are_refused_with_the_reason(make_controller, qtbot):
    controller, desk, model = make(make_controller)
    said = []
    desk.refused.connect(said.append)
    assert not model.setData(model.index(0, EntryColumn.NUMBER), "31")
    assert not model.setData(model.index(0, EntryColumn.GRID), "front")
    assert not model.setData(model.index(0, EntryColumn.NUMBER), "8 8")
    assert said == [
        "Car 31 is already on the list (Justin Haley).",
        "'front' is not a grid slot (1 to 999).",
        "'8 8' is not a car number (letters and digits, at most 8).",
    ]
    assert controller.engine.competitors["8"] == BUSCH


def test_an_edit_is_a_signed_correction_undone_after_a_restart(tmp_path, qapp, qtbot):
    path = tmp_path / "heat.tbs"
    recorder = SessionRecorder.create(path, QUARTER_MILE_RACE)
    recorder.submit([HALEY, BUSCH])
    controller = SessionController(recorder)
    corrections = CorrectionDesk(controller)
    corrections.operator = "Pat"
    model = EntriesModel(EntryDesk(corrections))
    assert model.setData(model.index(1, EntryColumn.LAST), "Haly")  # a typo
    assert controller.engine.competitors["31"].driver == "Justin Haly"
    [record] = audit_trail(controller.engine)
    assert (record.operator, record.reason) == ("Pat", "driver changed in the Entries editor")
    assert record.action == "Entry of car 31: Justin Haly, Kaulig Racing"
    assert corrections.undo_stack.undoText() == record.action
    corrections.undo_stack.undo()
    assert controller.engine.competitors["31"].driver == "Justin Haley"
    corrections.undo_stack.redo()
    assert controller.engine.competitors["31"].driver == "Justin Haly"
    controller.close()
    # a restart: the stack is made again from the log, the edit still on it
    again = SessionController(SessionRecorder.open(path))
    corrections = CorrectionDesk(again)
    corrections.operator = "Sam"
    assert corrections.undo_stack.canUndo()
    corrections.undo_stack.undo()
    assert again.engine.competitors["31"].driver == "Justin Haley"
    again.close()
    reopened = SessionRecorder.open(path)
    assert reopened.engine.competitors["31"].driver == "Justin Haley"
    logged = [e.event for e in reopened.file.entries()]
    assert [type(e).__name__ for e in logged[2:]] == ["EditEntry", "Revert", "Revert", "Revert"]
    last = logged[-1]
    assert isinstance(last, Revert) and last.operator == "Sam" and last.reason == "undo"
    assert not any(r.in_force for r in audit_trail(reopened.engine) if r.seq == 3)
    reopened.close()


def test_an_edit_undone_gives_back_the_entry_before_it_and_a_later_registration_wins():
    from timingboard.engine import TimingEngine
    from timingboard.engine.events import LogEntry

    renumbered = EditEntry.of(CompetitorSet(key="31", car="3", driver="Justin Haley"))
    log = [LogEntry(1, HALEY), LogEntry(2, renumbered)]
    engine = TimingEngine.from_log(QUARTER_MILE_RACE, log)
    assert engine.competitors["31"].car == "3"
    undone = TimingEngine.from_log(QUARTER_MILE_RACE, [*log, LogEntry(3, Revert(correction_id=2))])
    assert undone.competitors["31"] == HALEY
    live = TimingEngine.from_log(QUARTER_MILE_RACE, log)
    live.apply([LogEntry(3, Passing(time_ms=1000, car="3"))])
    assert live.passing_owner(3) == "31"  # the car's new number
    live.apply([LogEntry(4, Revert(correction_id=2))])
    assert live.competitors["31"] == HALEY  # incrementally as from scratch
    assert live.passing_owner(3) == "?3"  # 3 is nobody's number again
    feed = CompetitorSet(key="31", car="31", driver="J. Haley")
    later = TimingEngine.from_log(QUARTER_MILE_RACE, [*log, LogEntry(3, feed)])
    assert later.competitors["31"] == feed  # registered again after the edit: that stands
    redone = [*log, LogEntry(3, feed), LogEntry(4, Revert(correction_id=2))]
    assert TimingEngine.from_log(QUARTER_MILE_RACE, redone).competitors["31"] == feed


def test_search_and_sort_in_the_editor(make_controller, qtbot):
    from timingboard.widgets.entries_editor import EntriesEditor

    _controller, desk, model = make(make_controller)
    desk.set_entry(BELL)
    editor = EntriesEditor(model)
    qtbot.addWidget(editor)
    assert [row[0] for row in editor.rows_shown()] == ["8", "20", "31"]
    editor.table.sortByColumn(EntryColumn.LAST, Qt.SortOrder.AscendingOrder)
    assert [row[2] for row in editor.rows_shown()] == ["Bell", "Busch", "Haley"]
    editor.search.setText("kaulig")
    assert [row[0] for row in editor.rows_shown()] == ["31"]


def test_sorted_by_number_the_editor_keeps_the_model_order_without_asking_each_row(
    make_controller, qtbot, monkeypatch
):
    """Numbers upwards (the list's first order) is the model's own: a reset asks no row's
    sort key (Qt's sort asked two rows' data for each comparison, ~500 calls for 60 cars);
    the other orders still sort, and back to numbers reads as numbers ("8" before "20")."""
    from timingboard.qt.entries_model import SORT_ROLE
    from timingboard.widgets.entries_editor import EntriesEditor

    asked: list[int] = []
    answer = EntriesModel.data

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        asked.append(role)
        return answer(self, index, role)

    monkeypatch.setattr(EntriesModel, "data", data)  # before the model: PySide keeps it then
    _controller, desk, model = make(make_controller)
    desk.set_entry(BELL)
    editor = EntriesEditor(model)
    qtbot.addWidget(editor)
    editor.rows_shown()
    asked.clear()
    model.beginResetModel()  # as another session's entries come
    model.endResetModel()
    assert [row[0] for row in editor.rows_shown()] == ["8", "20", "31"]
    assert SORT_ROLE not in asked  # the rows as the model has them
    header = editor.table.horizontalHeader()
    assert (header.sortIndicatorSection(), header.sortIndicatorOrder()) == (
        EntryColumn.NUMBER,
        Qt.SortOrder.AscendingOrder,
    )
    editor.table.sortByColumn(EntryColumn.NUMBER, Qt.SortOrder.DescendingOrder)
    assert [row[0] for row in editor.rows_shown()] == ["31", "20", "8"]
    editor.table.sortByColumn(EntryColumn.FIRST, Qt.SortOrder.AscendingOrder)
    assert [row[1] for row in editor.rows_shown()] == ["Christopher", "Justin", "Kyle"]
    editor.table.sortByColumn(EntryColumn.NUMBER, Qt.SortOrder.AscendingOrder)
    assert [row[0] for row in editor.rows_shown()] == ["8", "20", "31"]
    with qtbot.waitSignal(model.rowsInserted):  # a car added lands in number order
        assert desk.set_entry(CompetitorSet(key="9", car="9", driver="Noah Gragson"))
    assert [row[0] for row in editor.rows_shown()] == ["8", "9", "20", "31"]


def test_held_while_another_session_opens_the_list_has_no_row_until_one_is_shown(
    make_controller, qtbot, qtmodeltester, tmp_path
) -> None:
    """A long session opened in a worker: the cars of the one leaving go (reset, no row),
    what changes in it meanwhile is not listed, and the rows come back with the session shown:
    the same one if the open failed, the new one once it is opened."""
    controller, desk, model = make(make_controller)
    qtmodeltester.check(model)
    with qtbot.waitSignal(model.modelReset):
        model.hold_rows()
    assert model.loading and model.rowCount() == 0
    assert desk.set_entry(BELL)  # the session leaving changes (a feed's, say): not listed
    assert model.rowCount() == 0
    with qtbot.waitSignal(model.modelReset):
        model.release_rows()  # the open failed: the session shown's cars
    assert not model.loading and cars(model) == ["8", "20", "31"]
    model.hold_rows()
    other = SessionRecorder.create(tmp_path / "other.tbs", QUARTER_MILE_RACE)
    other.submit([CompetitorSet(key="77", car="77")])
    with qtbot.waitSignal(model.modelReset):
        controller.load(other)  # the new one shown
    assert not model.loading and cars(model) == ["77"]
    model.release_rows()  # its failed or dropped said after: nothing more
    assert cars(model) == ["77"]
    qtmodeltester.check(model)
