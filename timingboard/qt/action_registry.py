"""Every command of the window in one table: its id, menu text, keys, tip and menu.

The classes that carry out a command (``app/*_actions.py``) make its QAction here with
:func:`make_action` and connect their handler; the main window lays out its menus from
:data:`MENUS`, and Help ▸ Keyboard shortcuts (F1) lists the keys from :data:`ACTIONS` in this
order. A command's text or key is changed in one place, and a new command is one entry here plus
its handler. The menus' texts are what users (and the journey tests) trigger by.

The flags (F5 to F9) are here too: the Entry panel makes their actions (its buttons say their
keys) and the Flag menu holds the same ones. Commands whose actions a widget makes for itself
(the Entries editor's own menu) or that are lists of things (recent replays, columns, classes,
themes, screens) are not here: the menus hold them in the places :class:`MenuPart` names.

The corrections of a car (``car.*``) and of a passing (``passing.*``) are here too: Edit ▸
Selected car and Edit ▸ Selected passing hold them (the highlighted row's, for a desk with no
Menu key), and the board's and the Passings log's context menus give their items the same texts.
Each menu's mnemonics (the letter after "&") are its own: no two items of a menu share one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum, StrEnum

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence

from timingboard.engine.events import Flag
from timingboard.engine.formatting import FLAG_NAMES


class Menu(StrEnum):
    """The menu bar's menus, in order (the text is the menu's title)."""

    FILE = "&File"
    FEED = "Fee&d"  # Alt+E is Edit's
    EDIT = "&Edit"
    VIEW = "&View"
    FLAG = "F&lag"  # Alt+L (Alt+F is File's), the letter a new user tried
    HELP = "&Help"


class ActionId(StrEnum):
    """A command of the window (also its QAction's object name)."""

    NEW_SESSION = "session.new"
    OPEN_SESSION = "session.open"
    SAVE_COPY = "session.save_copy"
    REPLAY_OPEN = "replay.open"
    REPLAY_BRANCH = "replay.branch"
    EXPORT_RESULTS = "results.export"
    RESULTS_SHEET = "results.sheet"
    DECLARE_OFFICIAL = "results.declare"
    NEXT_SESSION = "results.next_session"
    QUIT = "window.quit"
    FEED_CONNECT = "feed.connect"
    FEED_DISCONNECT = "feed.disconnect"
    FEED_RECONNECT = "feed.reconnect"
    P3_CONNECT = "p3.connect"
    P3_DISCONNECT = "p3.disconnect"
    PUBLISH = "publish.start"
    STOP_PUBLISHING = "publish.stop"
    UNDO = "correction.undo"
    REDO = "correction.redo"
    BOARD_MODE = "view.board_mode"
    SCOREBOARD_OFF = "scoreboard.off"
    FLAG_GREEN = "flag.green"
    FLAG_YELLOW = "flag.yellow"
    FLAG_FULL_COURSE_YELLOW = "flag.full_course_yellow"
    FLAG_RED = "flag.red"
    FLAG_WHITE = "flag.white"
    FLAG_CHECKERED = "flag.checkered"
    END_SESSION = "session.end"
    SHORTCUTS = "help.shortcuts"
    ABOUT = "help.about"
    # keys of the window, in no menu
    LEAVE_BOARD_MODE = "view.leave_board_mode"
    LEAVE_SCOREBOARD_WINDOW = "scoreboard.leave"
    REPLAY_PLAY_PAUSE = "replay.play_pause"
    REPLAY_NEXT_PASSING = "replay.next_passing"
    REPLAY_PREVIOUS_PASSING = "replay.previous_passing"
    REPLAY_NEXT_LEADER_LAP = "replay.next_leader_lap"
    REPLAY_PREVIOUS_LEADER_LAP = "replay.previous_leader_lap"
    # the corrections of the car highlighted on the board (Edit ▸ Selected car)
    CAR_INSERT = "car.insert"
    CAR_TIME_PENALTY = "car.time_penalty"
    CAR_LAP_PENALTY = "car.lap_penalty"
    CAR_DISQUALIFY = "car.disqualify"
    CAR_RETIRE = "car.retire"
    CAR_PIT_IN = "car.pit_in"
    CAR_PIT_OUT = "car.pit_out"
    CAR_ASSIGN_TRANSPONDER = "car.assign_transponder"
    # the corrections of the passing highlighted in the Passings log (Edit ▸ Selected passing)
    PASSING_DELETE = "passing.delete"
    PASSING_INSERT_BEFORE = "passing.insert_before"
    PASSING_INSERT_AFTER = "passing.insert_after"
    PASSING_REASSIGN = "passing.reassign"
    PASSING_INVALIDATE = "passing.invalidate"


Keys = str | QKeySequence.StandardKey | tuple[str, ...]  # a tuple: the first is the one shown


@dataclass(frozen=True, slots=True)
class ActionSpec:
    """What a command looks like: ``keys`` as Qt reads them ("Ctrl+R", or a standard key),
    ``tip`` its tooltip, ``status`` its status-bar line; ``enabled`` as it starts."""

    text: str
    keys: Keys | None = None
    tip: str = ""
    status: str = ""
    checkable: bool = False
    enabled: bool = True
    window_key: bool = False  # the key works wherever the focus is in the window


def _flag(flag: Flag, keys: str) -> ActionSpec:
    """Throwing a flag: its key works wherever the focus is (the operator's hands stay put)."""
    return ActionSpec(f"{FLAG_NAMES[flag]} flag", keys, window_key=True)


ACTIONS: dict[ActionId, ActionSpec] = {
    ActionId.NEW_SESSION: ActionSpec("&New session…", QKeySequence.StandardKey.New),
    ActionId.OPEN_SESSION: ActionSpec(
        "&Open session to continue or correct…", QKeySequence.StandardKey.Open
    ),
    ActionId.SAVE_COPY: ActionSpec(
        "Save a &copy…", status="Write the session as it stands to a new file"
    ),
    ActionId.REPLAY_OPEN: ActionSpec("&Replay a session or capture…", "Ctrl+R"),
    ActionId.REPLAY_BRANCH: ActionSpec("&Branch a copy to correct…", enabled=False),
    ActionId.EXPORT_RESULTS: ActionSpec("&Export results…"),
    ActionId.RESULTS_SHEET: ActionSpec("Results &sheet…"),
    ActionId.DECLARE_OFFICIAL: ActionSpec("&Declare results official…"),
    ActionId.NEXT_SESSION: ActionSpec("Ne&xt session from these results…"),  # N: New
    ActionId.QUIT: ActionSpec("&Quit", "Ctrl+Q"),  # on every platform
    ActionId.FEED_CONNECT: ActionSpec("&Connect to timing feed…"),
    ActionId.FEED_DISCONNECT: ActionSpec("D&isconnect", enabled=False),  # D: the P3 decoder
    ActionId.FEED_RECONNECT: ActionSpec(
        "&Reconnect now",
        tip="Drop the link to the timing system and connect again",
        enabled=False,
    ),
    ActionId.P3_CONNECT: ActionSpec("Connect to a P3 &decoder…"),
    ActionId.P3_DISCONNECT: ActionSpec("Disconnec&t from the P3 decoder", enabled=False),
    ActionId.PUBLISH: ActionSpec("&Publish standings…"),
    ActionId.STOP_PUBLISHING: ActionSpec("&Stop publishing", enabled=False),
    ActionId.UNDO: ActionSpec("&Undo correction", "Ctrl+Z"),
    ActionId.REDO: ActionSpec("&Redo correction", ("Ctrl+Shift+Z", "Ctrl+Y")),  # both in use
    ActionId.BOARD_MODE: ActionSpec(
        "&Board mode (wall scoreboard, full screen)",
        "F11",
        tip="The wall scoreboard in this window; F11 or Esc goes back",
        checkable=True,
    ),
    ActionId.SCOREBOARD_OFF: ActionSpec("&Off", checkable=True),
    ActionId.FLAG_GREEN: _flag(Flag.GREEN, "F5"),
    ActionId.FLAG_YELLOW: _flag(Flag.YELLOW, "F6"),
    ActionId.FLAG_FULL_COURSE_YELLOW: _flag(Flag.FULL_COURSE_YELLOW, "Shift+F6"),
    ActionId.FLAG_RED: _flag(Flag.RED, "F7"),
    ActionId.FLAG_WHITE: _flag(Flag.WHITE, "F8"),
    ActionId.FLAG_CHECKERED: _flag(Flag.CHECKERED, "F9"),
    ActionId.END_SESSION: ActionSpec(
        "&End session…",
        tip="Every car's result final from now, as a timing system's end of session",
        status="End the session: cars that have not taken the flag are classified as they stand",
    ),
    ActionId.SHORTCUTS: ActionSpec(
        "&Keyboard shortcuts", "F1", tip="Every key the board answers to"
    ),
    ActionId.ABOUT: ActionSpec("&About timingboard", tip="Version and licence"),
    ActionId.LEAVE_BOARD_MODE: ActionSpec("Leave board mode", "Esc", enabled=False),
    ActionId.LEAVE_SCOREBOARD_WINDOW: ActionSpec(  # a key of the scoreboard window alone
        "Close the scoreboard window shown over the desk", "Esc"
    ),
    ActionId.REPLAY_PLAY_PAUSE: ActionSpec(
        "Replay: play or pause", "Space", enabled=False, window_key=True
    ),
    ActionId.REPLAY_NEXT_PASSING: ActionSpec(
        "Replay: next passing", "Right", enabled=False, window_key=True
    ),
    ActionId.REPLAY_PREVIOUS_PASSING: ActionSpec(
        "Replay: previous passing", "Left", enabled=False, window_key=True
    ),
    ActionId.REPLAY_NEXT_LEADER_LAP: ActionSpec(
        "Replay: next lap of the leader", "Shift+Right", enabled=False, window_key=True
    ),
    ActionId.REPLAY_PREVIOUS_LEADER_LAP: ActionSpec(
        "Replay: previous lap of the leader", "Shift+Left", enabled=False, window_key=True
    ),
    # off until a car (a passing) is highlighted; the context menus use the same texts
    ActionId.CAR_INSERT: ActionSpec("Insert a &missed lap…", enabled=False),
    ActionId.CAR_TIME_PENALTY: ActionSpec("&Time penalty…", enabled=False),
    ActionId.CAR_LAP_PENALTY: ActionSpec("&Lap penalty…", enabled=False),
    ActionId.CAR_DISQUALIFY: ActionSpec("&Disqualify…", enabled=False),
    ActionId.CAR_RETIRE: ActionSpec("&Retire (DNF)…", enabled=False),
    ActionId.CAR_PIT_IN: ActionSpec("Into the &pit lane now", enabled=False),
    ActionId.CAR_PIT_OUT: ActionSpec("&Out of the pit lane now", enabled=False),
    ActionId.CAR_ASSIGN_TRANSPONDER: ActionSpec(
        "&Assign this transponder to a car…", enabled=False
    ),
    ActionId.PASSING_DELETE: ActionSpec("&Delete passing…", enabled=False),
    ActionId.PASSING_INSERT_BEFORE: ActionSpec("Insert a missed passing &before…", enabled=False),
    ActionId.PASSING_INSERT_AFTER: ActionSpec("Insert a missed passing &after…", enabled=False),
    ActionId.PASSING_REASSIGN: ActionSpec("&Reassign to another car…", enabled=False),
    ActionId.PASSING_INVALIDATE: ActionSpec("&Invalidate this lap", enabled=False),
}


class MenuPart(Enum):
    """A place in a menu that the window fills with what is not one command."""

    SEPARATOR = "separator"
    RECENT_REPLAYS = "recent replays"
    ENTRY_LIST_FILES = "entry list import and export"
    DOCKS = "the docks, shown or hidden"
    SCOREBOARD = "the scoreboard's screens"
    COLUMNS = "optional columns"
    CLASS = "one class"
    THEME = "themes"


@dataclass(frozen=True, slots=True)
class Submenu:
    """A menu within a menu: ``title`` (its mnemonic one of the outer menu's), its QMenu's
    object name ``name``, and what it holds."""

    title: str
    name: str
    items: tuple[ActionId | MenuPart, ...]
    tip: str = ""


_ = MenuPart.SEPARATOR
CAR_ITEMS: tuple[ActionId | MenuPart, ...] = (  # also the board's context menu, in this order
    ActionId.CAR_INSERT,
    ActionId.CAR_TIME_PENALTY,
    ActionId.CAR_LAP_PENALTY,
    ActionId.CAR_DISQUALIFY,
    ActionId.CAR_RETIRE,
    _,
    ActionId.CAR_PIT_IN,
    ActionId.CAR_PIT_OUT,
    _,
    ActionId.CAR_ASSIGN_TRANSPONDER,
)
PASSING_ITEMS: tuple[ActionId | MenuPart, ...] = (  # also the Passings log's context menu
    ActionId.PASSING_DELETE,
    ActionId.PASSING_INSERT_BEFORE,
    ActionId.PASSING_INSERT_AFTER,
    ActionId.PASSING_REASSIGN,
    ActionId.PASSING_INVALIDATE,
)
MENU_KEYS_TIP = "Also the Menu key or Shift+F10"
SELECTED_CAR = Submenu(
    "Selected &car",
    "selectedCarMenu",
    CAR_ITEMS,
    f"The car highlighted on the board (click it, or the arrow keys). {MENU_KEYS_TIP} there.",
)
SELECTED_PASSING = Submenu(
    "Selected &passing",
    "selectedPassingMenu",
    PASSING_ITEMS,
    f"The passing highlighted in the Passings log. {MENU_KEYS_TIP} there.",
)
MENUS: dict[Menu, tuple[ActionId | MenuPart | Submenu, ...]] = {
    Menu.FILE: (
        ActionId.NEW_SESSION,
        ActionId.OPEN_SESSION,
        ActionId.SAVE_COPY,
        _,
        ActionId.REPLAY_OPEN,
        MenuPart.RECENT_REPLAYS,
        ActionId.REPLAY_BRANCH,
        _,
        ActionId.EXPORT_RESULTS,
        ActionId.RESULTS_SHEET,
        ActionId.DECLARE_OFFICIAL,
        ActionId.NEXT_SESSION,
        _,
        MenuPart.ENTRY_LIST_FILES,
        _,
        ActionId.QUIT,
    ),
    Menu.FEED: (
        ActionId.FEED_CONNECT,
        ActionId.FEED_DISCONNECT,
        ActionId.FEED_RECONNECT,
        ActionId.P3_CONNECT,
        ActionId.P3_DISCONNECT,
        _,
        ActionId.PUBLISH,
        ActionId.STOP_PUBLISHING,
    ),
    Menu.EDIT: (ActionId.UNDO, ActionId.REDO, _, SELECTED_CAR, SELECTED_PASSING),
    Menu.VIEW: (
        MenuPart.DOCKS,
        _,
        ActionId.BOARD_MODE,
        MenuPart.SCOREBOARD,
        MenuPart.COLUMNS,
        MenuPart.CLASS,
        MenuPart.THEME,
    ),
    Menu.FLAG: (  # the Entry panel's actions: their keys work from anywhere in the window
        ActionId.FLAG_GREEN,
        ActionId.FLAG_YELLOW,
        ActionId.FLAG_FULL_COURSE_YELLOW,
        ActionId.FLAG_RED,
        ActionId.FLAG_WHITE,
        ActionId.FLAG_CHECKERED,
        _,
        ActionId.END_SESSION,
    ),
    Menu.HELP: (ActionId.SHORTCUTS, ActionId.ABOUT),
}


FLAG_ACTIONS: dict[Flag, ActionId] = {  # the flag of each flag command, in the menu's order
    Flag.GREEN: ActionId.FLAG_GREEN,
    Flag.YELLOW: ActionId.FLAG_YELLOW,
    Flag.FULL_COURSE_YELLOW: ActionId.FLAG_FULL_COURSE_YELLOW,
    Flag.RED: ActionId.FLAG_RED,
    Flag.WHITE: ActionId.FLAG_WHITE,
    Flag.CHECKERED: ActionId.FLAG_CHECKERED,
}
FLAG_KEYS: dict[Flag, str] = {flag: str(ACTIONS[a].keys) for flag, a in FLAG_ACTIONS.items()}


def key_sequences(keys: Keys) -> list[QKeySequence]:
    if isinstance(keys, tuple):
        return [QKeySequence(one) for one in keys]
    return [QKeySequence(keys)]


def keys_text(action: QAction) -> str:
    """Every key of ``action`` as this platform writes them: "Ctrl+Shift+Z, Ctrl+Y"."""
    native = QKeySequence.SequenceFormat.NativeText
    return ", ".join(keys.toString(native) for keys in action.shortcuts() if not keys.isEmpty())


def apply_spec(action: QAction, action_id: ActionId, *, made_by_qt: bool = False) -> QAction:
    """Give ``action`` the command's text, keys and tips. ``made_by_qt``: an action Qt keeps
    up to date itself (undo and redo: their text and whether they can be used), which is
    given only the command's id and keys."""
    spec = ACTIONS[action_id]
    action.setObjectName(action_id.value)
    if spec.keys is not None:
        action.setShortcuts(key_sequences(spec.keys))
    if spec.window_key:
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    if made_by_qt:
        return action
    action.setText(spec.text)
    if spec.tip:
        action.setToolTip(spec.tip)
    if spec.status:
        action.setStatusTip(spec.status)
    if spec.checkable:
        action.setCheckable(True)
    action.setEnabled(spec.enabled)
    return action


def make_action(
    action_id: ActionId, parent: QObject, triggered: Callable[..., object] | None = None
) -> QAction:
    """The command's QAction, ``triggered`` connected to the handler that carries it out."""
    action = apply_spec(QAction(parent), action_id)
    if triggered is not None:
        action.triggered.connect(triggered)
    return action


def find_action(root: QObject, action_id: ActionId) -> QAction | None:
    """The command's QAction under ``root`` (the window), if it was made."""
    return root.findChild(QAction, action_id.value)


def shortcut_rows(root: QObject) -> list[tuple[str, str]]:
    """(keys, what they do) of every command with a key, in the table's order, as its action
    has them now (a key given by Qt's standard keys reads as this platform writes it)."""
    rows = []
    for action_id, spec in ACTIONS.items():
        action = find_action(root, action_id)
        text = keys_text(action) if action is not None else ""
        if spec.keys is None or not text:
            continue
        rows.append((text, spec.text.replace("&", "").rstrip(".…")))
    return rows
