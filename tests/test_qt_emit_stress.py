"""Guards the PySide6 pin: 6.12.0 aborts after ~100k dataChanged emits on a table model."""

from __future__ import annotations

import subprocess
import sys

EMITS = 150_000

STRESS = f"""
import os
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtWidgets import QApplication

class Model(QAbstractTableModel):
    def rowCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else 60
    def columnCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else 10
    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        return None

app = QApplication([])
model = Model()
for n in range({EMITS}):
    index = model.index(n % 60, n % 10)
    if n % 2:
        model.dataChanged.emit(index, index)
    else:
        model.dataChanged.emit(index, index, [Qt.ItemDataRole.DisplayRole])
print("survived")
"""


def test_many_data_changed_emits_do_not_abort_the_interpreter() -> None:
    run = subprocess.run(
        [sys.executable, "-c", STRESS], capture_output=True, text=True, timeout=300
    )
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.strip() == "survived"
