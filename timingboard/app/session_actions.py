"""File ▸ New session and Open session: the operator's way to a session file."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QObject, QSettings, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from timingboard.app.background_open import BackgroundOpen, opens_in_worker
from timingboard.app.file_folders import remember_folder, shown_file, working_folder
from timingboard.app.new_session_flow import ask_new_session
from timingboard.app.scratch import is_scratch
from timingboard.engine.settings import SessionSettings
from timingboard.qt.action_registry import ActionId, make_action
from timingboard.qt.session_controller import SessionController
from timingboard.store.event_folder import EventFolderError, EventInfo, read_event
from timingboard.store.recorder import SessionRecorder
from timingboard.store.session_file import SessionFileError
from timingboard.text.opening_text import dropped_line, opening_line

FILE_FILTER = "timingboard sessions (*.tbs);;All files (*)"


class SessionActions(QObject):
    """Creates and opens session files; a file that cannot be used is explained, not opened.

    Signals
    -------
    session_opened(str)
        The path of the session now shown. A long file is opened in a worker
        (:mod:`timingboard.app.background_open`): this says when its board is shown.
    session_created(str)
        A new session file was made, with its entries, and is shown: its path.
    """

    session_opened = Signal(str)
    session_created = Signal(str)

    def __init__(
        self, controller: SessionController, window: QWidget, settings: QSettings | None = None
    ) -> None:
        super().__init__(window)
        self._controller = controller
        self._window = window
        self._settings = settings if settings is not None else QSettings()
        self.may_leave: Callable[[], bool] = lambda: True  # the window asks of crossings held
        # how a file that cannot be opened is told: a message box (the command says it on
        # stderr while its window waits for its first file: timingboard/app/run.py)
        self.explain: Callable[[str], None] = lambda message: self._explain(message)
        self.new_action = make_action(ActionId.NEW_SESSION, window, self._on_new_action_triggered)
        self.open_action = make_action(
            ActionId.OPEN_SESSION, window, self._on_open_action_triggered
        )
        self.background = BackgroundOpen(self)
        self.background.opened.connect(self._on_background_opened)
        self.background.failed.connect(self._on_background_failed)
        self.background.dropped.connect(self._on_background_dropped)

    def new_session(self, settings: SessionSettings, path: str | Path) -> bool:
        """Start a live session in a new file; its clock runs from now."""
        if not self.may_leave():
            return False
        return self._show(lambda: SessionRecorder.create(path, settings), path)

    def open_session(self, path: str | Path) -> bool:
        """Open a saved session to go on with it or correct it.

        The session shown, held for writing by this board (picked again in the Event view, or
        by another name: a link to it), is shown afresh as it is: opened a second time it was
        read-only, locked out by this board's own lock.
        """
        if not self.may_leave():  # crossings held: asked first (before any file is read)
            return False
        shown = self._controller.recorder
        if (
            shown.file is not None
            and not shown.file.read_only
            and _same_file(shown.file.path, Path(path))
        ):
            self._controller.load(shown)  # the operator's from now on, the views afresh
            self._controller.run_wall_clock()
            self.session_opened.emit(str(path))
            return True
        if opens_in_worker(path):  # the board before stays until the new one is whole
            self.background.start(path)
            self._say(opening_line(Path(path).name))
            return True
        return self._show(lambda: SessionRecorder.open(path, check_later=True), path)

    @property
    def opening(self) -> bool:
        """Whether a session asked for is still being opened (``session_opened`` follows)."""
        return self.background.busy

    def _on_background_opened(self, recorder: SessionRecorder, path: str) -> None:
        self._say("")
        try:
            self._show(lambda: recorder, path)
        finally:  # the log's check in its worker from now on, not during the views' reset
            recorder.begin_check()

    def _on_background_failed(self, message: str, _path: str) -> None:
        self._say("")
        self.explain(message)

    def _on_background_dropped(self, path: str) -> None:
        """Another session shown meanwhile: the bar's "Opening…" is no longer true."""
        bar = getattr(self._window, "statusBar", None)
        if bar is not None and bar().currentMessage() == opening_line(Path(path).name):
            bar().showMessage(dropped_line(Path(path).name, self._controller.recorder.name))

    def _say(self, message: str) -> None:
        bar = getattr(self._window, "statusBar", None)
        if bar is not None:
            bar().showMessage(message)

    def _show(self, make: Callable[[], SessionRecorder], path: str | Path) -> bool:
        try:
            recorder = make()
        except SessionFileError as exc:
            self.explain(str(exc))
            return False
        self._controller.load(recorder)
        self._controller.run_wall_clock()
        self.session_opened.emit(str(path))
        return True

    def _on_new_action_triggered(self) -> None:
        """The one New session flow (as the start dialog's): nothing is made until it is all
        known, entries included."""
        if not self.may_leave():  # asked before the dialog, not after it
            return
        shown = self._controller.recorder.path
        made = ask_new_session(
            self._window,
            self._settings,
            self._folder(),
            self._shown_event(),
            Path(shown).parent if shown is not None else None,
        )
        if made is None:
            return
        path, recorder, _said = made
        if self._show(lambda: recorder, path):
            self.session_created.emit(str(path))

    def _folder(self) -> Path | None:
        """The folder of the session shown: a new session goes beside it, in its event. Not the
        demo's temporary folder, gone at exit: None, for a lasting folder of the demo's event."""
        shown = self._controller.recorder.path
        if shown is not None:
            return None if is_scratch(shown) else Path(shown).parent
        return working_folder(self._settings)

    def _shown_event(self) -> EventInfo:
        """The event of the session shown (its folder's details, else its own track): what a
        new session of it takes into a new event folder."""
        recorder = self._controller.recorder
        event = EventInfo()
        if recorder.path is not None:
            with contextlib.suppress(EventFolderError):
                event = read_event(Path(recorder.path).parent)
        if event.track_name or event.track_length:
            return event
        track = recorder.settings
        return replace(
            event,
            track_name=track.track_name,
            track_length=track.track_length,
            length_unit=track.length_unit,
        )

    def _on_open_action_triggered(self) -> None:
        start = str(working_folder(self._settings, shown_file(self._controller)))
        path, _ = QFileDialog.getOpenFileName(self._window, "Open session", start, FILE_FILTER)
        if path:
            remember_folder(self._settings, path)
            self.open_session(path)

    def _explain(self, message: str) -> None:
        QMessageBox.warning(self._window, "timingboard", message)


def _same_file(one: Path, other: Path) -> bool:
    try:
        return one.samefile(other)
    except OSError:
        return False
