"""The Event view's wiring: the open session's folder is the event; its sessions are listed."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

from timingboard.app.session_actions import SessionActions
from timingboard.app.session_title import session_mark
from timingboard.engine.events import Flag
from timingboard.qt.event_model import EventModel
from timingboard.qt.replay_driver import ReplayDriver
from timingboard.qt.session_controller import SessionController
from timingboard.store.event_folder import (
    EventFolderError,
    EventInfo,
    SessionSummary,
    Status,
    being_read,
    read_event,
    summarise_engine,
    unless_held,
    write_event,
)
from timingboard.store.replay_source import ReplaySource
from timingboard.text.event_text import no_event_reason
from timingboard.widgets.event_view import EventDetailsDialog, EventView


class EventActions(QObject):
    """Keeps the Event view on the folder of the session shown, and opens what is picked."""

    def __init__(
        self,
        controller: SessionController,
        sessions: SessionActions,
        replay: ReplayDriver,
        window: QWidget,
    ) -> None:
        super().__init__(window)
        self._controller = controller
        self._replay = replay  # the replayed file's row comes from its timeline
        self._sessions = sessions
        self._window = window
        self.model = EventModel(self)
        self.model.known = self._summary_at_hand  # the open session: from its engine
        self.view = EventView(self.model)
        self.view.open_requested.connect(self._on_view_open_requested)
        self.view.details_requested.connect(self._on_view_details_requested)
        self.view.refresh_requested.connect(self.refresh)
        controller.session_reset.connect(self._on_controller_session_reset)
        controller.flag_changed.connect(self._on_controller_flag_changed)
        controller.laps_completed.connect(self._on_controller_laps_completed)
        controller.board_changed.connect(self._on_controller_board_changed)
        self._status_key: tuple[object, ...] | None = None
        self._shown: object = None  # the session whose folder was listed last
        sessions.session_created.connect(lambda *_: self.refresh())
        self._on_controller_session_reset()

    def session_path(self) -> Path | None:
        path = self._controller.recorder.path
        return path.resolve() if path else None

    def folder(self) -> Path | None:
        path = self.session_path()
        return path.parent if path else None

    def info(self) -> EventInfo:
        folder = self.folder()
        try:
            return read_event(folder) if folder else EventInfo()
        except EventFolderError:
            return EventInfo()

    def refresh(self) -> None:
        folder = self.folder()
        if folder != self.model.folder:
            self.model.show_folder(folder)
        else:
            self.model.refresh()
        if folder is None:  # a capture replayed, a board followed: say why nothing is listed
            recorder = self._controller.recorder
            self.view.show_no_event(no_event_reason(recorder.replayed, recorder.read_from))
            return
        self.view.show_event(self.info(), folder.name)

    def _on_controller_session_reset(self) -> None:
        """Another session's folder is listed. A replay's seek shows the same session at
        another moment: its row is the file's, as read, so its folder is not read again (each
        seek re-read the 24 h file in the worker, and a seek during that read waited for it)."""
        recorder = self._controller.recorder
        if recorder is self._shown and self._controller.is_replay:
            return
        self._shown = recorder
        self.refresh()

    def _on_controller_flag_changed(self, flag: object) -> None:
        """A live session started or finished: its row's status. A flag replayed is a moment
        of the file, whose row stays as read."""
        if flag in (Flag.GREEN, Flag.CHECKERED) and not self._controller.is_replay:
            self.refresh()

    def on_declared(self, _line: str = "") -> None:
        """The open session's results were declared official: its row says so now."""
        self._on_controller_board_changed(None)

    def _on_controller_board_changed(self, _change: object) -> None:
        """The open session's status and leader show at once: live, finished, declared
        official, and a new leader (a penalty moved car 1 into the lead: the row named the old
        one until the next lap) or the leader's entry fixed (his name: in a finished race the
        row kept the old one). Read again only when one of them changed."""
        engine = self._controller.engine
        leader = engine.order()[:1]
        key = (
            bool(engine.passing_count() or engine.flag_changes()),
            engine.over,
            engine.results_declared(),
            leader,
            engine.entry_list().get(leader[0]) if leader else None,
        )
        if key != self._status_key:
            self._status_key = key
            self._on_controller_laps_completed([])

    def _on_controller_laps_completed(self, _keys: list[str]) -> None:
        """The open session's row follows its laps from the engine (no file read)."""
        path = self.session_path()
        shown = next((s for s in self.model.rows() if s.path.resolve() == path), None)
        file = self._controller.recorder.file
        if shown is None or shown.problem or file is None:
            return  # a replay's board is a moment of it: its row is the file's, as read
        official = shown.status is Status.OFFICIAL or self._controller.engine.results_declared()
        summary = summarise_engine(
            self._controller.engine, shown.path, file.origin, shown.made_from, shown.rule, official
        )
        self.model.update(self._timed_now(summary))

    def _timed_now(self, summary: SessionSummary) -> SessionSummary:
        """The open session's row says live only while the title does: one nothing times now
        (an imported capture, a record of an earlier day: the title's STOPPED) is stopped."""
        title = getattr(self._window, "session_title", None)
        mark = title.mark() if title is not None else session_mark(self._controller)
        if summary.status is Status.LIVE and mark.startswith("STOPPED"):
            return replace(summary, status=Status.STOPPED)
        return summary

    def _summary_at_hand(
        self, path: Path, made_from: tuple[str, ...], rule: str
    ) -> SessionSummary | None:
        """The open session's row from its engine (never its file read and rebuilt again)."""
        if path.resolve() != self.session_path():
            return None
        engine = self._controller.engine
        replayed = self._replayed_source()
        if replayed is not None:
            return self._replayed_row(replayed, path, made_from, rule)
        file = self._controller.recorder.file
        if file is None:
            return None
        official = engine.results_declared()
        return self._timed_now(
            summarise_engine(engine, path, file.origin, made_from, rule, official)
        )

    @staticmethod
    def _replayed_row(
        source: ReplaySource, path: Path, made_from: tuple[str, ...], rule: str
    ) -> SessionSummary:
        """The replayed file's row: its board at the end, once its checkpoints are all built
        (then at hand), else "reading…" (:meth:`on_replay_built`). Read again in the worker,
        its 24 h log held the GIL for seconds, and each of the window's paints waited on it."""
        timeline = source.timeline
        if not timeline.built or source.origin is None:
            return being_read(path, made_from, rule)
        final = timeline.final()
        official = final.results_declared()
        return unless_held(summarise_engine(final, path, source.origin, made_from, rule, official))

    def on_replay_built(self) -> None:
        """The replay's checkpoints are all built: its file's row, from its end, when it still
        reads "reading…". Once built they are kept (a seek copies one), and the row, made from
        the end already, stays (the log never changes): its end read again held the window's
        thread ~10-20 ms a quarter second after every seek at 24 h when seeks made one again."""
        replayed = self._replayed_source()
        path = self.session_path()
        shown = next((s for s in self.model.rows() if s.path.resolve() == path), None)
        if replayed is not None and shown is not None and shown.status is Status.READING:
            self.model.update(self._replayed_row(replayed, shown.path, shown.made_from, shown.rule))

    def _replayed_source(self) -> ReplaySource | None:
        """The replay shown, if the board shows one (asked of the replay's driver, not of the
        session's class)."""
        return self._replay.source if self._replay.session_shown else None

    def _on_view_open_requested(self, path: str) -> None:
        self._sessions.open_session(path)

    def _on_view_details_requested(self) -> None:
        folder = self.folder()
        if folder is None:
            return
        dialog = EventDetailsDialog(self.info(), self._window)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        try:
            write_event(folder, dialog.info())
        except (EventFolderError, OSError) as exc:
            QMessageBox.warning(self._window, "timingboard", f"Event details not saved: {exc}")
            return
        self.refresh()
