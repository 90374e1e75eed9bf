"""The application's icon, from ``resources/`` (installed with the package as its data)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from PySide6.QtGui import QIcon

ICON_FILES = ("timingboard.svg", "timingboard.png")


def resource_path(name: str) -> Path:
    """A file of ``resources/``: in the installed package, or in the checkout it runs from."""
    return Path(str(resources.files("timingboard") / "resources" / name))


def app_icon() -> QIcon:
    icon = QIcon()
    for name in ICON_FILES:
        path = resource_path(name)
        if path.is_file():
            icon.addFile(str(path))
    return icon
