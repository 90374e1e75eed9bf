"""Run as a script: plain ``timingboard`` (run_start) on a desk with a second screen; prints one
JSON line: the screen the start chooser opened on, and its centre. The offscreen platform's
screens come from a config file (one set of screens a process)."""

from __future__ import annotations

import json

from PySide6.QtCore import QTimer
from PySide6.QtGui import QShowEvent

import timingboard.app.run as run
from timingboard.widgets.start_dialog import StartDialog

seen: dict[str, object] = {}


class Chooser(StartDialog):
    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        centre = self.frameGeometry().center()
        seen.update(screen=self.screen().name(), centre=[centre.x(), centre.y()])
        QTimer.singleShot(0, self.reject)  # the operator closes it


run.StartDialog = Chooser  # type: ignore[misc]
code = run.run_start()
print(json.dumps(seen | {"code": code}))
