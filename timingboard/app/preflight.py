"""Before Qt starts: say plainly what the machine lacks, instead of letting Qt abort."""

from __future__ import annotations

import ctypes
import os
import sys

APT_HINT = (
    "sudo apt-get install libegl1 libgl1 libfontconfig1 libdbus-1-3 libxkbcommon0 "
    "libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 "
    "libxcb-xinerama0 libxcb-randr0 libxcb-render-util0 libxcb-image0 libxcb-xkb1"
)
XCB_LIBRARIES = ("libxcb-cursor.so.0", "libxcb-icccm.so.4", "libxkbcommon-x11.so.0")


def display_problem() -> str | None:
    """Why the window cannot open on this machine, or None if it can."""
    if not sys.platform.startswith("linux"):
        return None
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    if platform.startswith(("offscreen", "minimal", "vnc", "eglfs", "linuxfb")):
        return None
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        return (
            "no display to open the board on (DISPLAY is not set). Run it on a desktop, "
            "under xvfb-run, or with QT_QPA_PLATFORM=offscreen."
        )
    if os.environ.get("WAYLAND_DISPLAY") and platform.startswith("wayland"):
        return None
    missing = [name for name in XCB_LIBRARIES if not _loadable(name)]
    if missing:
        return f"Qt needs system libraries that are missing ({', '.join(missing)}): {APT_HINT}"
    return None


def _loadable(name: str) -> bool:
    try:
        ctypes.CDLL(name)
    except OSError:
        return False
    return True
