"""The event's classes: each one's colour, and their order in lists and results."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QColorDialog,
    QDialog,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from timingboard.store.entry_list import CarClass, EntryList
from timingboard.widgets.form_dialog import ok_cancel


class ClassesDialog(QDialog):
    """A list of classes in their order: Colour… picks one's colour, Up/Down move it."""

    def __init__(self, classes: list[CarClass], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Classes")
        self.setMinimumWidth(360)
        self.list = QListWidget(self)
        for car_class in classes:
            self._add_item(car_class.name, car_class.colour)
        self.new_name = QLineEdit(self)
        self.new_name.setPlaceholderText("New class, then Enter")
        self.colour_button = QPushButton("Colour…", self)
        self.up_button = QPushButton("Up", self)
        self.down_button = QPushButton("Down", self)
        buttons = ok_cancel(self)
        side = QVBoxLayout()
        for button in (self.colour_button, self.up_button, self.down_button):
            side.addWidget(button)
        side.addStretch(1)
        row = QHBoxLayout()
        row.addWidget(self.list, 1)
        row.addLayout(side)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.new_name)
        layout.addWidget(buttons)
        self.colour_button.clicked.connect(self._on_colour_button_clicked)
        self.up_button.clicked.connect(lambda: self.move_current(-1))
        self.down_button.clicked.connect(lambda: self.move_current(1))
        self.new_name.returnPressed.connect(self._on_new_name_return_pressed)
        self.list.setCurrentRow(0)

    def _add_item(self, name: str, colour: str) -> None:
        item = QListWidgetItem(name, self.list)
        item.setData(Qt.ItemDataRole.DecorationRole, QColor(colour))
        item.setData(Qt.ItemDataRole.UserRole, colour)

    def set_colour(self, row: int, colour: str) -> None:
        item = self.list.item(row)
        item.setData(Qt.ItemDataRole.DecorationRole, QColor(colour))
        item.setData(Qt.ItemDataRole.UserRole, colour)

    def move_current(self, step: int) -> None:
        row = self.list.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < self.list.count():
            return
        item = self.list.takeItem(row)
        self.list.insertItem(target, item)
        self.list.setCurrentRow(target)

    def classes(self) -> list[CarClass]:
        return [
            CarClass(item.text(), str(item.data(Qt.ItemDataRole.UserRole)), order)
            for order, item in ((i + 1, self.list.item(i)) for i in range(self.list.count()))
        ]

    def _on_colour_button_clicked(self) -> None:
        row = self.list.currentRow()
        if row < 0:
            return
        current = QColor(str(self.list.item(row).data(Qt.ItemDataRole.UserRole)))
        colour = QColorDialog.getColor(current, self, "Class colour")
        if colour.isValid():
            self.set_colour(row, colour.name())

    def _on_new_name_return_pressed(self) -> None:
        listed = EntryList(classes=self.classes())
        for made in listed.add_classes([self.new_name.text().strip()]):
            self._add_item(made.name, made.colour)
            self.list.setCurrentRow(self.list.count() - 1)
        self.new_name.clear()
