"""File ▸ Declare results official…, and File ▸ Results sheet… (event, weather, signatures)."""

from __future__ import annotations

from PySide6.QtCore import QObject, QSettings, Signal
from PySide6.QtWidgets import QWidget

from timingboard.engine.session_end import unfinished
from timingboard.qt import user_settings
from timingboard.qt.action_registry import ActionId, make_action
from timingboard.qt.session_controller import SessionController
from timingboard.reports.sheet import DEFAULT_SIGNATURES, SheetOptions, parse_signatures
from timingboard.store.declare import declaration
from timingboard.store.event_folder import event_name_of
from timingboard.widgets.results_sheet_dialogs import DeclareOfficialDialog, SheetSettingsDialog


class OfficialActions(QObject):
    """Signals
    -------
    declared(str)
        The results were declared official; the status line of the sheet.
    """

    declared = Signal(str)

    def __init__(self, controller: SessionController, settings: QSettings, window: QWidget) -> None:
        super().__init__(window)
        self._controller = controller
        self._settings = settings
        self._window = window
        self.dialog: DeclareOfficialDialog | SheetSettingsDialog | None = None
        self.declare_action = make_action(
            ActionId.DECLARE_OFFICIAL, window, self._on_declare_action_triggered
        )
        self.sheet_action = make_action(
            ActionId.RESULTS_SHEET, window, self._on_sheet_action_triggered
        )
        controller.session_reset.connect(self._on_controller_session_reset)
        controller.board_changed.connect(self._on_controller_board_changed)
        self._on_controller_session_reset()

    def sheet_options(self) -> SheetOptions:
        """What File ▸ Results sheet holds, for every sheet printed or exported."""
        return SheetOptions(
            event=user_settings.RESULTS_EVENT.read(self._settings) or self._event_name(),
            weather=user_settings.RESULTS_WEATHER.read(self._settings),
            signatures=parse_signatures(self._signatures_text()),
        )

    def _event_name(self) -> str:
        """The name of the shown session's event, for a sheet the operator gave no event name
        (a new session of the demo's event printed none): as ``results`` names it."""
        path = self._controller.recorder.path
        return "" if path is None else event_name_of(path)

    def _signatures_text(self) -> str:
        stored = user_settings.RESULTS_SIGNATURES.read(self._settings)
        return "; ".join(DEFAULT_SIGNATURES) if stored is None else stored

    def _on_declare_action_triggered(self) -> None:
        operator = user_settings.OPERATOR.read(self._settings)
        engine = self._controller.engine
        dialog = DeclareOfficialDialog(
            engine.settings.name,
            operator,
            self._window,
            unfinished=unfinished(engine, self._controller.clock_ms()),
        )
        dialog.accepted.connect(self._on_declare_dialog_accepted)
        self.dialog = dialog
        dialog.open()

    def _on_declare_dialog_accepted(self) -> None:
        dialog = self.dialog
        assert isinstance(dialog, DeclareOfficialDialog)
        user_settings.OPERATOR.write(self._settings, dialog.operator())
        event = declaration(dialog.operator(), dialog.reason_field.text().strip())
        if self._controller.submit([event]):  # a refusal is reported by the controller
            self.declared.emit(f"Results declared OFFICIAL by {event.operator}")
        self._on_controller_board_changed()

    def _on_sheet_action_triggered(self) -> None:
        options = self.sheet_options()
        dialog = SheetSettingsDialog(
            options.event, options.weather, self._signatures_text(), self._window
        )
        dialog.accepted.connect(self._on_sheet_dialog_accepted)
        self.dialog = dialog
        dialog.open()

    def _on_sheet_dialog_accepted(self) -> None:
        dialog = self.dialog
        assert isinstance(dialog, SheetSettingsDialog)
        user_settings.RESULTS_EVENT.write(self._settings, dialog.event_field.text().strip())
        user_settings.RESULTS_WEATHER.write(self._settings, dialog.weather_field.text().strip())
        user_settings.RESULTS_SIGNATURES.write(
            self._settings, dialog.signatures_field.text().strip()
        )

    def _on_controller_session_reset(self) -> None:
        self._on_controller_board_changed()

    def _on_controller_board_changed(self, *_: object) -> None:
        """Only a session being timed or corrected can be declared, and only once."""
        engine = self._controller.engine
        declarable = not self._controller.is_replay and not engine.results_declared()
        self.declare_action.setEnabled(declarable)
