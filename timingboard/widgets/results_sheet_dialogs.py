"""The dialogs of the results sheet: who declares the results official, and what the sheet says
beyond the session (event, weather, signature lines)."""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QWidget

from timingboard.engine.session_end import DECLARE_ONLY_STOPPED
from timingboard.widgets.form_dialog import ok_cancel


class DeclareOfficialDialog(QDialog):
    """Asks who declares the results official; OK only with a name."""

    def __init__(
        self, session: str, operator: str, parent: QWidget | None = None, unfinished: str = ""
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Declare results official")
        self.setMinimumWidth(480)
        explain = QLabel(
            f"The results of <b>{escape(session)}</b> become OFFICIAL. The declaration is logged "
            "with your name and the time; any correction made after it is listed on the sheet as "
            "an amendment.",
            self,
        )
        explain.setWordWrap(True)
        self.operator_field = QLineEdit(operator, self)
        self.operator_field.setPlaceholderText("your name")
        self.reason_field = QLineEdit(self)
        self.reason_field.setPlaceholderText("optional, e.g. after the protest period")
        self.buttons = ok_cancel(self)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Declare official")
        form = QFormLayout(self)
        form.addRow(explain)
        self.unfinished = QLabel(
            f"<b>{escape(unfinished)}.</b> {DECLARE_ONLY_STOPPED}",
            self,
        )
        self.unfinished.setObjectName("unfinishedWarning")
        self.unfinished.setWordWrap(True)
        self.unfinished.setStyleSheet("color: #ff6b6b;")
        self.unfinished.setVisible(bool(unfinished))
        if unfinished:  # the button says what it does: no unfinished results declared by habit
            self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(
                "Declare unfinished results official"
            )
        form.addRow(self.unfinished)
        form.addRow("Declared by", self.operator_field)
        form.addRow("Note", self.reason_field)
        form.addRow(self.buttons)
        self.operator_field.textChanged.connect(self._on_operator_field_text_changed)
        self._on_operator_field_text_changed(operator)

    def operator(self) -> str:
        return self.operator_field.text().strip()

    def _on_operator_field_text_changed(self, text: str) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(bool(text.strip()))


class SheetSettingsDialog(QDialog):
    """The event's name, a weather line and the signature lines, as printed on every sheet."""

    def __init__(
        self, event: str, weather: str, signatures: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Results sheet")
        self.setMinimumWidth(520)
        self.event_field = QLineEdit(event, self)
        self.event_field.setPlaceholderText("e.g. Busch Light Clash at the Coliseum")
        self.weather_field = QLineEdit(weather, self)
        self.weather_field.setPlaceholderText("optional, e.g. dry, 24 °C")
        self.signatures_field = QLineEdit(signatures, self)
        self.signatures_field.setPlaceholderText("Chief timekeeper; Clerk of the course")
        self.buttons = ok_cancel(self)
        form = QFormLayout(self)
        form.addRow("Event", self.event_field)
        form.addRow("Weather", self.weather_field)
        form.addRow("Signature lines", self.signatures_field)
        hint = QLabel("The titles of the lines to sign, with ';' between them.", self)
        hint.setWordWrap(True)
        form.addRow(hint)
        form.addRow(self.buttons)
