"""Following a P3 decoder from the window: the Feed menu's actions, the health dock, the link."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QSettings, Qt, Signal
from PySide6.QtWidgets import QDialog, QDockWidget, QLabel, QMainWindow, QMessageBox

from timingboard.app.p3_inputs import P3InputError, entry_list
from timingboard.engine.events import CompetitorSet
from timingboard.engine.settings import SessionKind
from timingboard.feeds.p3_session import (
    FINISH,
    DecoderHealth,
    TimingLine,
    format_lines,
    parse_lines,
)
from timingboard.qt import user_settings
from timingboard.qt.action_registry import ActionId, make_action
from timingboard.qt.decoder_health_model import DecoderHealthModel
from timingboard.qt.frame_throttle import FrameThrottle
from timingboard.qt.p3_client import P3Client, new_p3_session
from timingboard.qt.session_controller import SessionController
from timingboard.store.recorder import SessionRecorder
from timingboard.store.session_file import SessionFileError
from timingboard.widgets.decoder_health_view import DecoderHealthView
from timingboard.widgets.p3_dialogs import P3ConnectDialog

DOCK_HEIGHT = 130  # a few decoders' rows; the board keeps the room
STOPPED_TIP = (
    "The decoder was stopped: another session was opened, and its passings must not go into"
    " it. Feed ▸ Connect to a P3 decoder to follow it again."
)


def _kind(text: str) -> SessionKind:
    """A kept session kind; one not known (a hand-edited file) reads as a practice."""
    try:
        return SessionKind(text)
    except ValueError:
        return SessionKind.PRACTICE


class P3Actions(QObject):
    """Owns the P3 client of the window; shows how the link and the decoders stand.

    Signals
    -------
    following_started()
        A decoder is being followed.
    decoder_followed(P3Client)
        The client that follows it was made (before it connects: its first states are seen).
    """

    following_started = Signal()
    decoder_followed = Signal(object)

    def __init__(
        self, controller: SessionController, settings: QSettings, window: QMainWindow
    ) -> None:
        super().__init__(window)
        self._controller = controller
        self._settings = settings
        self._window = window
        self.client: P3Client | None = None
        self.link_label = QLabel("")
        self.link_label.setObjectName("p3Link")
        self.warning_label = QLabel("")
        self.warning_label.setObjectName("p3Warning")
        self.warning_label.setStyleSheet("color: #e05050; font-weight: bold")
        self.connect_action = make_action(
            ActionId.P3_CONNECT, window, self._on_connect_action_triggered
        )
        self.disconnect_action = make_action(
            ActionId.P3_DISCONNECT, window, self.disconnect_decoder
        )
        self.health_model = DecoderHealthModel(self._health, self._line_of, self)
        self.health_view = DecoderHealthView(self.health_model)
        self.dock = QDockWidget("Decoder health", window)
        self.dock.setObjectName("decoderHealthDock")
        self.dock.setWidget(self.health_view)
        window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.dock)
        self.dock.hide()
        self.dock.toggleViewAction().setEnabled(False)  # no decoder feeds the session yet
        # a layout saved or put back (board mode) while a decoder fed the session shows it
        self.dock.visibilityChanged.connect(self._on_dock_visibility_changed)
        self._refresh = FrameThrottle(self._show_health, self)
        for label in (self.link_label, self.warning_label):
            window.statusBar().addPermanentWidget(label)
        controller.session_reset.connect(self._on_controller_session_reset)

    def follow(
        self,
        host: str,
        port: int,
        folder: Path,
        lines: dict[int, TimingLine] | None = None,
        entries: list[CompetitorSet] | None = None,
        recorder: SessionRecorder | None = None,
        kind: SessionKind = SessionKind.PRACTICE,
    ) -> P3Client:
        """Follow the decoder at ``host:port`` into a new session file in ``folder``."""
        self.disconnect_decoder()
        self.following_started.emit()
        recorder = recorder or new_p3_session(folder, host, port, kind)
        client = P3Client(self._controller, recorder, lines, entries, self)
        client.link_changed.connect(self._on_client_link_changed)
        client.records_skipped.connect(self._on_client_records_skipped)
        client.health_changed.connect(self._refresh.request)
        self.client = client
        self.decoder_followed.emit(client)
        client.connect_to(host, port)
        self.disconnect_action.setEnabled(True)
        self.dock.toggleViewAction().setEnabled(True)
        if not self.dock.isVisible():
            self.dock.show()
            self._window.resizeDocks([self.dock], [DOCK_HEIGHT], Qt.Orientation.Vertical)
            width = self.health_view.fitted_width()  # beside the Entries: its columns whole
            self._window.resizeDocks([self.dock], [width], Qt.Orientation.Horizontal)
        self._window.statusBar().showMessage(f"Session file: {recorder.file.path}")
        user_settings.P3_ADDRESS.write(self._settings, f"p3://{host}:{port}")
        user_settings.P3_FOLDER.write(self._settings, str(folder))
        user_settings.P3_LINES.write(self._settings, format_lines(client.mapper.lines))
        return client

    def disconnect_decoder(self) -> None:
        if self.client is not None:
            self.client.disconnect_from_decoder()
            self.client.deleteLater()
            self.client = None
        self._refresh.cancel()
        self.health_model.refresh()
        self.disconnect_action.setEnabled(False)
        self.dock.toggleViewAction().setEnabled(False)
        self.dock.hide()  # the panel is the decoder's: no decoder feeds the session now
        self._say("")
        self.warning_label.setText("")

    def _on_controller_session_reset(self) -> None:
        """Another session is shown: the decoder's passings must not go into it."""
        client = self.client
        if client is not None and self._controller.recorder is not client.recorder:
            self.disconnect_decoder()
            self._say("Decoder: stopped", STOPPED_TIP)  # whole in a narrow status bar

    def _on_dock_visibility_changed(self, visible: bool) -> None:
        if visible and self.client is None:
            self.dock.hide()

    def _health(self) -> dict[int | None, DecoderHealth]:
        return self.client.health if self.client else {}

    def _line_of(self, decoder_id: int | None) -> TimingLine:
        return self.client.mapper.line_of(decoder_id) if self.client else FINISH

    def _on_connect_action_triggered(self) -> None:
        address = user_settings.P3_ADDRESS.read(self._settings)
        folder = Path(user_settings.P3_FOLDER.read(self._settings))
        spec = user_settings.P3_LINES.read(self._settings)
        kind = _kind(user_settings.P3_KIND.read(self._settings))
        entries = user_settings.P3_ENTRIES.read(self._settings)
        dialog = P3ConnectDialog(address, folder, spec, self._window, kind, entries)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        user_settings.P3_KIND.write(self._settings, dialog.session_kind().value)
        user_settings.P3_ENTRIES.write(self._settings, dialog.entries_path())
        user_settings.P3_ADDRESS.write(self._settings, dialog.address.text().strip())
        host, port = dialog.target()
        folder = Path(dialog.folder.text())
        resume = dialog.resume_path()
        # as ``connect --resume``: no lines given, the file's own
        given = dialog.lines.text().strip()
        lines = parse_lines(given) if given or not resume else None
        try:
            entered = entry_list(dialog.entries_path())
            recorder = SessionRecorder.open(resume) if resume else None
        except (P3InputError, SessionFileError) as exc:
            QMessageBox.warning(self._window, "Connect to a P3 decoder", str(exc))
            return
        self.follow(host, port, folder, lines, entered, recorder, dialog.session_kind())

    def _on_client_link_changed(self, state: str) -> None:
        self._say(f"Decoder: {state}", self._resent_tip())

    def _on_client_records_skipped(self, count: int) -> None:
        """Short in the bar (it was cut to "last: passing 3…"); why, whole, in the tooltip."""
        assert self.client is not None
        text = f"Decoder: {self.client.state}; {count} part(s) skipped"
        last = self.client.skipped[-1]
        self._say(text, "\n".join([text, f"last: {last.reason}", self._resent_tip()]).strip())

    def _resent_tip(self) -> str:
        """Passings sent again after a reconnect are kept once: nothing lost, said apart."""
        resent = self.client.mapper.resent if self.client is not None else 0
        return f"{resent} passing(s) sent again, each kept once (nothing lost)" if resent else ""

    def _say(self, text: str, tip: str = "") -> None:
        """The decoder's status-bar line; a long one is elided with its whole text as tooltip."""
        self.link_label.setToolTip(tip)
        self.link_label.setText(text)

    def _show_health(self) -> None:
        self.health_model.refresh()
        short = self.health_view.width_short()
        if short and self.dock.isVisible() and not self.dock.isFloating():  # wider, not scrolled
            self._window.resizeDocks(
                [self.dock], [self.dock.width() + short], Qt.Orientation.Horizontal
            )
        warnings = self.health_model.warnings()
        self.warning_label.setText(" · ".join(warnings))
