"""Reading an entry list CSV for the operator: unknown headers asked once, bad rows listed.

Used by Import CSV… (into the session shown) and by New session (before its file is made), so
a list is read, asked about and refused the same way wherever it comes in. A header the mapping
dialog was told about is remembered in the settings for every later list.
"""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

from timingboard.qt import user_settings
from timingboard.store.entry_list import (
    Column,
    CsvImport,
    header_key,
    parse_csv,
    plural,
    read_header,
    read_samples,
    unknown_headers,
)
from timingboard.widgets.column_mapping_dialog import ColumnMappingDialog


def known_mapping(settings: QSettings) -> dict[str, Column]:
    """The headers the operator has mapped before."""
    try:
        raw = json.loads(user_settings.ENTRY_COLUMN_MAPPING.read(settings))
        return {str(k): Column(v) for k, v in raw.items()}
    except (ValueError, TypeError, AttributeError):
        return {}


def remember_mapping(settings: QSettings, mapping: dict[str, Column]) -> None:
    known = known_mapping(settings)
    known.update({header_key(k): v for k, v in mapping.items()})
    user_settings.ENTRY_COLUMN_MAPPING.write(
        settings, json.dumps({k: v.value for k, v in known.items()})
    )


class ImportCancelled(Exception):
    """The operator said no (to the mapping or to the bad rows); nothing is to change."""


def read_entry_list(path: str | Path, settings: QSettings, parent: QWidget | None) -> CsvImport:
    """The CSV's entries, every unknown header asked about first.

    Raises :class:`EntryListError` or ``OSError`` (the message says why), or
    :class:`ImportCancelled` when the mapping dialog was cancelled.
    """
    path = Path(path)
    data = path.read_bytes()
    header = read_header(data)
    mapping = known_mapping(settings)
    unknown = unknown_headers(header, mapping)
    if unknown:
        dialog = ColumnMappingDialog(unknown, path.name, parent, read_samples(data))
        if dialog.exec() != QDialog.DialogCode.Accepted:
            raise ImportCancelled("Import cancelled; nothing changed.")
        remember_mapping(settings, dialog.mapping())
        mapping = known_mapping(settings)
    return parse_csv(data, mapping)


def take_good_rows(found: CsvImport, name: str, parent: QWidget | None, none: str) -> bool:
    """Bad rows listed with their reasons: True to import all the good rows, False for none.

    ``none`` is the button that takes nothing ("Import none", "Cancel the new session").
    """
    box = QMessageBox(parent)
    box.setObjectName("badRowsBox")
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("Rows that are not entries")
    box.setText(f"{name}: {plural(len(found.problems), 'row')} cannot be imported.")
    box.setDetailedText("\n".join(str(p) for p in found.problems))
    box.setInformativeText("\n".join(str(p) for p in found.problems[:8]))
    good = plural(len(found.entries), "good row")
    take = box.addButton(f"Import the {good}", QMessageBox.ButtonRole.AcceptRole)
    box.addButton(none, QMessageBox.ButtonRole.RejectRole)
    take.setEnabled(bool(found.entries))
    box.exec()
    return box.clickedButton() is take
