"""Every setting the application keeps between runs (QSettings): its key, type and default.

One home, so a key is never spelt twice and a reader never guesses a default the writer did not
mean: the correction dialogs and the results sheet share the operator's name; File ▸ Connect
and the command line share the feed's address. Each :class:`Setting` reads and writes its own
key; a stored value of the wrong type (a hand-edited file, an older version) reads as the
default, never as a traceback.

Here in ``qt/`` (not ``app/``): the correction flow, a widget, keeps the operator's name too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar, cast

from PySide6.QtCore import QByteArray, QSettings

from timingboard.feeds.p3_session import DEFAULT_PORT as DEFAULT_P3_PORT
from timingboard.qt.theme import DARK
from timingboard.text.typed import DEFAULT_RMONITOR_PORT

T = TypeVar("T")


def _home_folder() -> str:
    """Where a feed's or decoder's sessions go until the operator chooses (read when asked:
    the home of the user running it now)."""
    return str(Path.home() / "timingboard")


@dataclass(frozen=True, slots=True)
class Setting(Generic[T]):
    """One kept value: ``read`` gives ``default`` (or what ``make_default`` makes) when the key
    is not there or holds something ``convert`` cannot take."""

    key: str
    convert: Callable[[Any], T]
    default: T | None = None
    make_default: Callable[[], T] | None = None

    def fallback(self) -> T:
        return self.make_default() if self.make_default is not None else cast(T, self.default)

    def read(self, settings: QSettings) -> T:
        value = settings.value(self.key)
        if value is None:
            return self.fallback()
        try:
            return self.convert(value)
        except (TypeError, ValueError):
            return self.fallback()

    def write(self, settings: QSettings, value: T) -> None:
        settings.setValue(self.key, value)

    def stored(self, settings: QSettings) -> bool:
        return settings.contains(self.key)


def _text(value: Any) -> str:
    return str(value)


def _int(value: Any) -> int:
    return int(str(value))


def _flag(value: Any) -> bool:
    """As QSettings' ``type=bool``: an ini file holds "true"/"false"."""
    if isinstance(value, str):
        return value.strip().lower() in ("true", "1", "yes", "on")
    return bool(value)


def _texts(value: Any) -> list[str]:
    """A list of texts; an ini file gives a lone item as a text, and none as nothing."""
    if isinstance(value, str):
        return [value] if value else []
    if isinstance(value, (list, tuple)):
        return [str(item) for item in value]
    raise TypeError(f"not a list: {value!r}")


def _bytes(value: Any) -> QByteArray | None:
    return value if isinstance(value, QByteArray) else None


# --- the operator ----------------------------------------------------------------------------
OPERATOR: Setting[str] = Setting("operator/name", _text, "")  # signs corrections, declarations

# --- the results sheet -----------------------------------------------------------------------
RESULTS_EVENT: Setting[str] = Setting("results/event", _text, "")
RESULTS_WEATHER: Setting[str] = Setting("results/weather", _text, "")
RESULTS_SIGNATURES: Setting[str | None] = Setting(
    "results/signatures", _text, None
)  # None: the usual ones

# --- the window ------------------------------------------------------------------------------
WINDOW_GEOMETRY: Setting[QByteArray | None] = Setting("window/geometry", _bytes)
WINDOW_STATE: Setting[QByteArray | None] = Setting("window/state", _bytes)
WINDOW_SPLITTER: Setting[QByteArray | None] = Setting("window/splitter", _bytes)
BOARD_COLUMNS: Setting[list[str]] = Setting(
    "board/columns", _texts, make_default=list
)  # column ids
THEME: Setting[str] = Setting("view/theme", _text, DARK.name)
SCOREBOARD_SCREEN: Setting[str] = Setting("scoreboard/screen", _text, "")  # the screen's name
SCOREBOARD_SHOWN: Setting[bool] = Setting("scoreboard/shown", _flag, False)

# --- sessions --------------------------------------------------------------------------------
RECENT_SESSIONS: Setting[list[str]] = Setting("sessions/recent", _texts, make_default=list)
RECENT_MADE_BY_FEED: Setting[list[str]] = Setting(
    "sessions/made_by_feed", _texts, make_default=list
)  # which of the recent sessions a feed or decoder made (not the operator)
RECENT_REPLAYS: Setting[list[str]] = Setting("replay/recent", _texts, make_default=list)
LAST_FOLDER: Setting[str] = Setting("files/last_folder", _text, "")  # a file dialog's start
ENTRY_COLUMN_MAPPING: Setting[str] = Setting(
    "entries/column_mapping", _text, "{}"
)  # JSON header → column

# --- feeds -----------------------------------------------------------------------------------
FEED_ADDRESS: Setting[str] = Setting("feed/address", _text, f"127.0.0.1:{DEFAULT_RMONITOR_PORT}")
FEED_FOLDER: Setting[str] = Setting("feed/folder", _text, make_default=_home_folder)
PUBLISH_PORT: Setting[int] = Setting("publish/port", _int, DEFAULT_RMONITOR_PORT)
P3_ADDRESS: Setting[str] = Setting("p3/address", _text, f"p3://127.0.0.1:{DEFAULT_P3_PORT}")
P3_FOLDER: Setting[str] = Setting("p3/folder", _text, make_default=_home_folder)
P3_LINES: Setting[str] = Setting(
    "p3/lines", _text, ""
)  # the decoder's loops, as the dialog writes them
P3_KIND: Setting[str] = Setting("p3/kind", _text, "practice")  # the session kind last chosen
P3_ENTRIES: Setting[str] = Setting("p3/entries", _text, "")  # the entry list last given

ALL: tuple[Setting[Any], ...] = tuple(
    value for value in dict(globals()).values() if isinstance(value, Setting)
)
