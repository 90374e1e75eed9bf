"""The class colours of the session shown, for every view that paints a class.

The rule is :func:`timingboard.store.class_colours.class_colours`; this keeps the event's classes
(read from the session's folder when a session is shown, and again when they are edited) and
the colours it gives, worked out again only when the classes or the session's cars change.

Signals
-------
changed()
    The event's classes were edited (another session shown resets every view anyway).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal

from timingboard.engine.classes import class_names
from timingboard.qt.session_controller import SessionController
from timingboard.store.class_colours import class_colours, text_on
from timingboard.store.entry_list import CarClass
from timingboard.store.event_folder import EventFolderError, read_classes


def session_folder(controller: SessionController) -> Path | None:
    """The folder of the session shown (its event), for a recorded session or a replay."""
    path = controller.recorder.path
    return path.parent if path is not None else None


class ClassColours(QObject):
    """Class name -> colour (#rrggbb) for the session shown; see the module's rule."""

    changed = Signal()

    def __init__(self, controller: SessionController, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._controller = controller
        self._listed: list[CarClass] = []
        self._colours: dict[str, str] = {}
        controller.session_reset.connect(self._on_controller_session_reset)
        self._read()

    @property
    def listed(self) -> list[CarClass]:
        """The event's classes, in their order."""
        return list(self._listed)

    def colour(self, name: str) -> str | None:
        """The colour of class ``name``; None for no class."""
        if not name:
            return None
        folded = name.casefold()
        if folded not in self._colours:
            self._work_out(name)
        return self._colours.get(folded)

    def text_colour(self, name: str) -> str | None:
        """The colour of text written on class ``name``'s colour."""
        colour = self.colour(name)
        return text_on(colour) if colour else None

    def reload(self) -> None:
        """The event's classes were written: read them again."""
        self._read()
        self.changed.emit()

    def _work_out(self, also: str = "") -> None:
        competitors = self._controller.engine.entry_list().values()
        names = class_names([*(c.car_class for c in competitors), also])
        self._colours = class_colours(self._listed, names)

    def _read(self) -> None:
        folder = session_folder(self._controller)
        try:
            self._listed = read_classes(folder) if folder else []
        except (EventFolderError, OSError):
            self._listed = []
        self._work_out()

    def _on_controller_session_reset(self) -> None:
        self._read()  # every view is reset with the session: no ``changed`` for it
