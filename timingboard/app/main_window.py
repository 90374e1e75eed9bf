"""The main window: wires the session to the board, the header and the chart; no race logic."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QMainWindow,
    QMenu,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from timingboard.app.board_mode import BoardMode, actions_with_shortcuts
from timingboard.app.copy_actions import CopyActions
from timingboard.app.desk_layout import FirstShow, place_on_screen, share_the_room
from timingboard.app.end_session_actions import EndSessionActions
from timingboard.app.entries_actions import EntriesActions
from timingboard.app.entry_focus import EntryFocus
from timingboard.app.event_actions import EventActions
from timingboard.app.feed_actions import FeedActions
from timingboard.app.feed_watch import FeedWatch
from timingboard.app.held_crossings import settle_held, settle_recording
from timingboard.app.help_actions import HelpActions, explain_controls
from timingboard.app.official_actions import OfficialActions
from timingboard.app.opening_guard import OpeningGuard
from timingboard.app.p3_actions import P3Actions
from timingboard.app.read_only_notice import ReadOnlyNotice
from timingboard.app.replay_actions import ReplayActions
from timingboard.app.results_actions import ResultsActions
from timingboard.app.scoreboard_actions import ScoreboardActions
from timingboard.app.selected_actions import SelectedActions
from timingboard.app.session_actions import SessionActions
from timingboard.app.session_title import SessionTitle
from timingboard.app.status_keeper import StatusKeeper
from timingboard.engine.classes import class_names
from timingboard.engine.standings import Standing
from timingboard.qt import user_settings
from timingboard.qt.action_registry import (
    ACTIONS,
    MENUS,
    SELECTED_CAR,
    SELECTED_PASSING,
    ActionId,
    MenuPart,
    Submenu,
    apply_spec,
    find_action,
    make_action,
)
from timingboard.qt.app_icon import app_icon
from timingboard.qt.audit_model import AuditModel
from timingboard.qt.correction_desk import CorrectionCommand, CorrectionDesk
from timingboard.qt.frame_throttle import flush_before_paint
from timingboard.qt.gui_thread import collect_on_gui_thread
from timingboard.qt.lap_series import LapSeries
from timingboard.qt.leaderboard_model import (
    CLASS_COLUMNS,
    HEADERS,
    OPTIONAL_COLUMNS,
    PIT_COLUMNS,
    SECTOR_COLUMNS,
    Column,
    LeaderboardModel,
)
from timingboard.qt.manual_entry import ManualEntry
from timingboard.qt.passings_model import PassingsModel
from timingboard.qt.session_controller import SessionController
from timingboard.qt.theme import DARK, THEMES, Theme
from timingboard.text.board_columns import given_way_line
from timingboard.text.passing_text import placed_note
from timingboard.widgets.audit_view import AuditView
from timingboard.widgets.correction_flow import CorrectionFlow
from timingboard.widgets.elided_label import fit_status_labels
from timingboard.widgets.entry_band import WARNING
from timingboard.widgets.entry_panel import EntryPanel
from timingboard.widgets.keyboard_menu import PICK_FIRST_SHOWN_MS
from timingboard.widgets.lap_chart import LapChart
from timingboard.widgets.leaderboard_view import LeaderboardView
from timingboard.widgets.passings_log import PassingsLogView
from timingboard.widgets.race_charts import RaceCharts
from timingboard.widgets.scoreboard import Scoreboard
from timingboard.widgets.session_header import SessionHeader

ERROR_SHOWN_MS = 15000
NOTHING_TO_UNDO = (
    "Nothing to undo: Ctrl+Z takes back corrections. A passing typed by mistake is taken back "
    "by Delete passing (right-click it in the Passings log)."
)


def column_id(column: Column) -> str:
    """How the settings name a column: its id, which a renamed title ("Int." to "Interval")
    or another language does not change."""
    return column.name.lower()


GIVEN_WAY_SUFFIX = " (hidden: no room)"
OFFERED_COLUMNS = {"class": CLASS_COLUMNS, "pit": PIT_COLUMNS, "sectors": SECTOR_COLUMNS}


class MainWindow(QMainWindow):
    """Race control's window: header, leaderboard and lap chart, desk or board mode."""

    def __init__(self, controller: SessionController, settings: QSettings) -> None:
        super().__init__()
        collect_on_gui_thread()  # its charts' garbage is freed on this thread, between events
        self.setObjectName("mainWindow")
        self.setWindowTitle("timingboard")
        self.setWindowIcon(app_icon())
        self.controller = controller
        self._settings = settings
        self.stopping = False  # a TERM or Ctrl+C closes it (run.stop_on_signals): nothing asked
        flush_before_paint(self)  # one state on screen: the header never ahead of the board
        self.board_model = LeaderboardModel(controller, self)
        self.series = LapSeries(controller, self, self.board_model.class_colours)
        self.header = SessionHeader(controller)
        self.board = LeaderboardView(self.board_model)
        self.series.chart_after(  # a long session's board painted first (or shown ahead)
            self.board.viewport(), lambda: self.board_model.kept_as_painted
        )
        self.chart = LapChart(self.series)
        self.charts = RaceCharts(self.chart, self.series)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setObjectName("splitter")
        self.splitter.addWidget(self.board)
        self.splitter.addWidget(self.charts)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.header)
        layout.addWidget(self.splitter, 1)
        self.scoreboard = Scoreboard(controller, self.board_model)
        self.board_mode = BoardMode(self, central, self.scoreboard)
        self.scoreboard_actions = ScoreboardActions(controller, self.board_model, settings, self)
        self.entry = ManualEntry(controller, self)
        self.desk = CorrectionDesk(controller, self)
        self.passings_model = PassingsModel(controller, self)
        self.audit_model = AuditModel(controller, self)
        self.entry_panel = EntryPanel(self.entry)
        self.passings_log = PassingsLogView(self.passings_model)
        self.audit = AuditView(self.audit_model)
        self.flow = CorrectionFlow(self.desk, settings, self)
        self.session_actions = SessionActions(controller, self, settings)
        self.session_actions.may_leave = lambda: settle_held(self, self.entry)
        self.session_actions.background.prepare(self.passings_model.prepared_for)
        self.session_actions.background.prepare(self.board_model.prepared_for)
        # a long session's board first, from its snapshot, while the rest of it is read
        self.session_actions.background.board_read.connect(self._on_background_board_read)
        self.session_actions.background.failed.connect(self._on_background_failed)
        self.session_actions.background.dropped.connect(self._on_background_failed)
        self.copy_actions = CopyActions(controller, self, settings)
        self.read_only_notice = ReadOnlyNotice(controller, self, self.entry_panel)
        fit_status_labels(self.statusBar())  # its labels elided: they never widen the window
        self.statusBar().addPermanentWidget(self.read_only_notice.label)
        self.feed = FeedActions(controller, self.board, self.board_model, settings, self)
        self.feed_watch = FeedWatch(
            self.feed, self.header, self.scoreboard, self.scoreboard_actions, self
        )
        layout.insertWidget(0, self.feed_watch.banner)
        self.p3 = P3Actions(controller, settings, self)
        self.p3.following_started.connect(self.feed.disconnect_feed)
        self.p3.decoder_followed.connect(self.feed_watch.follow_decoder)
        self.replay = ReplayActions(controller, settings, self)
        # a long replay's passings sorted in its worker: no seek then merges any on this thread
        self.replay.background.prepare(self.passings_model.prepared_for_replay)
        # the header's clock moves with the replay's frames, not a quarter second behind the bar
        self.replay.driver.position_changed.connect(self._on_replay_position_changed)
        self.replay.driver.seeked.connect(self._on_replay_seeked)
        self.replay.typed_refused.connect(self._on_replay_typed_refused)
        self.results = ResultsActions(controller, self, settings)
        self.entries = EntriesActions(
            controller, self.desk, settings, self, self.board_model.class_colours
        )
        self.read_only_notice.also_tell(self.entries.editor.set_read_only)
        self.event_actions = EventActions(
            controller, self.session_actions, self.replay.driver, self
        )
        self.results.sessions_created.connect(self._on_results_sessions_created)
        self.official = OfficialActions(controller, settings, self)
        self.end_session = EndSessionActions(controller, self.desk, self)
        self.results.sheet_options = self.official.sheet_options
        self.official.declared.connect(self.statusBar().showMessage)
        self.entry.refused.connect(self.statusBar().showMessage)  # a timing system times it
        self.official.declared.connect(self.event_actions.on_declared)
        self.replay.driver.built.connect(self.event_actions.on_replay_built)
        self.addToolBar(Qt.ToolBarArea.BottomToolBarArea, self.replay.toolbar)
        self.replay.branched.connect(self.session_actions.open_session)
        self.feed.feed_started.connect(self.replay.driver.close)
        self.feed.feed_started.connect(self.p3.disconnect_decoder)
        self.p3.following_started.connect(self.replay.driver.close)
        for label in (self.feed.link_label, self.feed.order_label, self.feed.publish_label):
            self.statusBar().addPermanentWidget(label)
        self.docks = {
            "entry": self._dock("Entry", self.entry_panel, Qt.DockWidgetArea.RightDockWidgetArea),
            "passings": self._dock(
                "Passings", self.passings_log, Qt.DockWidgetArea.RightDockWidgetArea
            ),
            "audit": self._dock("Corrections", self.audit, Qt.DockWidgetArea.BottomDockWidgetArea),
            "entries": self._dock(
                "Entries", self.entries.editor, Qt.DockWidgetArea.BottomDockWidgetArea
            ),
            "event": self._dock(
                "Event", self.event_actions.view, Qt.DockWidgetArea.BottomDockWidgetArea
            ),
        }
        self.entry_panel.grid_toggle.toggled.connect(self._on_grid_toggle_toggled)
        self.tabifyDockWidget(self.docks["entries"], self.docks["event"])
        self.tabifyDockWidget(self.docks["event"], self.docks["audit"])  # wide: long texts
        self.docks["entries"].raise_()
        self.docks["passings"].raise_()
        self._docks_shown: list[QDockWidget] = []
        self.entry_focus = EntryFocus(
            self,
            self.entry_panel.car_field,
            self.docks["entry"],
            dock_kept_hidden=lambda: self.board_mode.is_on,
        )
        self.session_title = SessionTitle(controller, self)
        self.status_keeper = StatusKeeper(self)  # menus do not wipe the status message
        controller.producer_changed.connect(self.entry_focus.on_session_shown)
        self.session_actions.session_opened.connect(self.entry_focus.on_session_shown)
        self._build_menus()
        self.board_mode.keep_keys(actions_with_shortcuts(self.menuBar()))
        self.board_mode.keep_keys(self.entry_panel.actions())
        self.board_mode.keep_keys_from(self.entry_panel.car_field)
        self.board_mode.esc_first(self.entry_panel.escape)
        self.scoreboard_actions.type_into(self.entry_panel.car_field, self.entry_panel.escape)
        # the wall shows what is typed and said of it: the Entry panel is out of sight there
        self.entry_panel.told.connect(self.scoreboard.entry_band.show_told)
        self.entry_panel.told.connect(self.scoreboard_actions.show_told)
        self.board.cars_picked.connect(self.series.pick)
        self.board.car_action_requested.connect(self.flow.on_car)
        self.flow.refused.connect(self.statusBar().showMessage)
        self.board.menu_held.connect(self.flow.refused_while_opening)
        self.board.menu_key_missed.connect(self._on_view_menu_key_missed)
        self.passings_log.menu_key_missed.connect(self._on_view_menu_key_missed)
        self.passings_log.correction_requested.connect(self.flow.on_passing)
        controller.error_reported.connect(self._on_controller_error_reported)
        controller.board_changed.connect(self._on_controller_board_changed)
        controller.session_reset.connect(self._on_controller_session_reset)
        self._columns_offered: set[str] = set()
        self._restore()
        self._on_controller_session_reset()
        self.scoreboard_actions.restore()
        explain_controls(self)
        self.entry_focus.focus_field()

    def _dock(self, title: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(f"{title.lower()}Dock")
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        return dock

    # --- menus ---------------------------------------------------------------------------------

    def _on_undo_stack_index_changed(self, index: int) -> None:
        if (
            index > self._corrections_done and not self.desk.rebuilding
        ):  # done or redone (redo then says "Redone")
            self.statusBar().showMessage(f"Done: {self._said_of(index - 1)}")
        self._corrections_done: int = index

    def _said_of(self, index: int) -> str:
        """A correction on the undo stack as the status bar says it done or redone: its words,
        and where the passing it put on a car does not count, why (an insert after the car's
        finish said only "Done: Insert a passing for car 3 at …")."""
        command = self.desk.undo_stack.command(index)
        if not isinstance(command, CorrectionCommand):
            return command.text()
        engine = self.controller.engine
        return command.text() + placed_note(engine, command.correction, command.seq)

    def _build_menus(self) -> None:
        """The menu bar as :data:`qt.action_registry.MENUS` lays it out."""
        undo = self.desk.undo_stack.createUndoAction(self, ACTIONS[ActionId.UNDO].text)
        redo = self.desk.undo_stack.createRedoAction(self, ACTIONS[ActionId.REDO].text)
        self.undo_action = apply_spec(undo, ActionId.UNDO, made_by_qt=True)
        self.redo_action = apply_spec(redo, ActionId.REDO, made_by_qt=True)
        # Ctrl+Z with nothing to undo says so (the undo action is off then, and silent)
        stack = self.desk.undo_stack
        nothing = QAction("Nothing to undo", self, shortcut=QKeySequence("Ctrl+Z"))
        nothing.setEnabled(not stack.canUndo())
        nothing.triggered.connect(
            lambda: self.statusBar().showMessage(
                self.opening_guard.undo_refusal() or NOTHING_TO_UNDO, ERROR_SHOWN_MS
            )
        )
        stack.canUndoChanged.connect(lambda can: nothing.setEnabled(not can))
        self.addAction(nothing)
        # Ctrl+Shift+Z (Ctrl+Y) while a session is opened says why, as Ctrl+Z does (the guard
        # turns it on then; it was silent)
        nothing_redone = QAction("Redo refused", self)
        nothing_redone.setShortcuts(redo.shortcuts())
        nothing_redone.setEnabled(False)
        nothing_redone.triggered.connect(
            lambda: self.statusBar().showMessage(
                self.opening_guard.undo_refusal(redo=True) or "", ERROR_SHOWN_MS
            )
        )
        self.addAction(nothing_redone)
        # nothing typed, corrected or undone reaches the session leaving while one is opened
        self.opening_guard: OpeningGuard = OpeningGuard(
            self,
            self.session_actions.background,
            self.replay.background,
            self.entry,
            self.desk,
            self.session_title,
            (undo, redo, nothing, nothing_redone),
        )
        # what Ctrl+Z or Ctrl+Shift+Z did, said where the operator looks (it said nothing)
        undo.triggered.connect(
            lambda: self.statusBar().showMessage(f"Undone: {stack.command(stack.index()).text()}")
        )
        redo.triggered.connect(
            lambda: self.statusBar().showMessage(f"Redone: {self._said_of(stack.index() - 1)}")
        )
        # a new correction says itself (the last "Redone: …" was left standing after a penalty)
        self._corrections_done = stack.index()
        stack.indexChanged.connect(self._on_undo_stack_index_changed)
        self.board_mode_action = self.board_mode.action
        self.help = HelpActions(self)
        self.selected = SelectedActions(self, self.board, self.board_model, self.passings_log)
        make_action(ActionId.QUIT, self, self.close)
        self.column_actions: dict[Column, QAction] = {}
        self.theme_actions: dict[str, QAction] = {}
        parts = {
            MenuPart.RECENT_REPLAYS: lambda menu: menu.addMenu(self.replay.recent_menu),
            MenuPart.ENTRY_LIST_FILES: lambda menu: menu.addActions(
                [self.entries.import_action, self.entries.export_action]
            ),
            MenuPart.DOCKS: self._add_dock_toggles,
            MenuPart.SCOREBOARD: lambda menu: menu.addMenu(self.scoreboard_actions.menu),
            MenuPart.COLUMNS: self._add_columns_menu,
            MenuPart.CLASS: self._add_class_menu,
            MenuPart.THEME: self._add_theme_menu,
        }
        submenus: dict[str, QMenu] = {}

        def lay_out(menu: QMenu, layout: tuple[ActionId | MenuPart | Submenu, ...]) -> None:
            for item in layout:
                if item is MenuPart.SEPARATOR:
                    menu.addSeparator()
                elif isinstance(item, MenuPart):
                    parts[item](menu)
                elif isinstance(item, Submenu):
                    submenu = menu.addMenu(item.title)
                    submenu.setObjectName(item.name)
                    submenus[item.name] = submenu
                    lay_out(submenu, item.items)
                else:
                    action = find_action(self, item)
                    assert action is not None, f"no action made for {item}"
                    menu.addAction(action)

        for title, layout in MENUS.items():
            lay_out(self.menuBar().addMenu(title.value), layout)
        self.selected.attach(submenus[SELECTED_CAR.name], submenus[SELECTED_PASSING.name])

    def _add_dock_toggles(self, view: QMenu) -> None:
        for dock in self.docks.values():
            view.addAction(dock.toggleViewAction())
        view.addAction(self.p3.dock.toggleViewAction())

    def _add_columns_menu(self, view: QMenu) -> None:
        columns = view.addMenu("&Columns")
        for column in OPTIONAL_COLUMNS:
            action = QAction(HEADERS[column], self, checkable=True)
            action.toggled.connect(lambda on, c=column: self.board.show_optional_column(c, on))
            columns.addAction(action)
            self.column_actions[column] = action
        columns.addSeparator()
        self.given_way_action = columns.addAction("")  # what gave way for the driver's name
        self.given_way_action.setEnabled(False)
        self.board.gave_way.connect(self._on_board_gave_way)
        self._on_board_gave_way(self.board.given_way())  # what gave way before the menu was

    def _on_board_gave_way(self, hidden: list[Column]) -> None:
        """Columns hidden for lack of room are said so in View ▸ Columns (each optional one by
        its item, every one in the line under them) and in the board header's tooltips."""
        for column, action in self.column_actions.items():
            action.setText(HEADERS[column] + (GIVEN_WAY_SUFFIX if column in hidden else ""))
        self.given_way_action.setText(given_way_line(hidden))
        self.given_way_action.setVisible(bool(hidden))

    def _add_class_menu(self, view: QMenu) -> None:
        self.class_menu = view.addMenu("C&lass")
        self.class_menu.aboutToShow.connect(self._fill_class_menu)

    def _add_theme_menu(self, view: QMenu) -> None:
        themes = view.addMenu("&Theme")
        group = QActionGroup(self)
        for name in THEMES:
            action = QAction(name.capitalize(), self, checkable=True)
            action.triggered.connect(lambda _=False, n=name: self.set_theme(THEMES[n]))
            group.addAction(action)
            themes.addAction(action)
            self.theme_actions[name] = action

    # --- modes and themes ----------------------------------------------------------------------

    def set_board_mode(self, on: bool) -> None:
        """The wall scoreboard, full screen; F11 or Esc goes back to the desk as it was."""
        self.board_mode.set_on(on)

    def set_theme(self, theme: Theme) -> None:
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.setPalette(theme.palette())
        self.setPalette(theme.palette())
        self.board_model.set_theme(theme)
        self.charts.set_theme(theme)
        self.header.set_theme(theme)
        self.scoreboard.set_theme(theme)
        self.scoreboard_actions.set_theme(theme)
        self.theme_actions[theme.name].setChecked(True)
        self._theme = theme

    # --- messages ------------------------------------------------------------------------------

    def _on_results_sessions_created(self, paths: list[str], said: str) -> None:
        """The first new session opens, ready to run (heat 1 runs first); the others wait in
        the event folder, listed in the Event tab."""
        if self.session_actions.open_session(paths[0]):
            self.statusBar().showMessage(said, ERROR_SHOWN_MS)
        elif not self.statusBar().currentMessage():  # the open's refusal is said, not hidden
            made = ", ".join(paths)
            self.statusBar().showMessage(f"Made {made}; none is open (see the Event tab)")

    def _on_controller_error_reported(self, message: str) -> None:
        self.statusBar().showMessage(f"Not taken: {message}", ERROR_SHOWN_MS)

    def _on_view_menu_key_missed(self, how: str) -> None:
        """The Menu key on the board or the log with no row highlighted: how to pick one."""
        self.statusBar().showMessage(how, PICK_FIRST_SHOWN_MS)

    # --- classes and pit columns ----------------------------------------------------------------

    def _fill_class_menu(self) -> None:
        """All classes, then each class of the session; the checked one is on the board."""
        self.class_menu.clear()
        group = QActionGroup(self.class_menu)
        competitors = self.controller.engine.entry_list().values()
        for name in ["", *class_names(c.car_class for c in competitors)]:
            action = QAction(name or "All classes", self.class_menu, checkable=True)
            action.setChecked(name == self.board.class_filter)
            action.triggered.connect(lambda _=False, n=name: self.show_class(n))
            group.addAction(action)
            self.class_menu.addAction(action)

    def show_class(self, car_class: str) -> None:
        """One class on the board and the chart ("" for all)."""
        self.board.set_class_filter(car_class)
        self.series.set_class(car_class)
        self.header.set_class_filter(car_class)

    def _on_grid_toggle_toggled(self, shown: bool) -> None:
        """The grid hidden gives the Passings dock back the room it took (an empty framed box,
        the recent list, stayed ~75 px tall under the toggle)."""
        panel, dock, passings = self.entry_panel, self.docks["entry"], self.docks["passings"]
        if not shown and panel.height_before_grid is not None:
            height = dock.height() - panel.height() + panel.height_before_grid
            docks, heights = [dock], [height]
            if passings.isVisible() and self.dockWidgetArea(passings) == self.dockWidgetArea(dock):
                docks, heights = (
                    [dock, passings],
                    [height, dock.height() + passings.height() - height],
                )
            # once the panel's layout has let the grid go (its least height still held it)
            QTimer.singleShot(
                0, self, lambda: self.resizeDocks(docks, heights, Qt.Orientation.Vertical)
            )

    def _on_background_board_read(self, rows: list[Standing], path: str) -> None:
        self.board_model.show_ahead(rows)
        self.header.show_opening(f"Opening {Path(path).name}…")  # not the session before's
        # nor the session before's passings and laps beside it (they stayed, and their
        # corrections reached the new session once it was shown)
        self.passings_model.hold_rows()
        self.series.hold()
        self.entries.model.hold_rows()  # nor its cars and corrections, not to be changed
        self.audit_model.hold_rows()
        self.entry_panel.hold_recent()  # nor the crossings typed in it

    def _on_background_failed(self, *_: object) -> None:
        """Not opened, or no longer wanted (dropped): the board and header of the one shown."""
        self.board_model.drop_ahead()
        self.header.show_opening(None)
        self.passings_model.release_rows()
        self.series.release()
        self.entries.model.release_rows()
        self.audit_model.release_rows()
        self.entry_panel.release_recent()

    def _on_controller_session_reset(self) -> None:
        self._columns_offered.clear()
        self.show_class("")
        self._offer_columns(reset=True)

    def _on_controller_board_changed(self, _change: object) -> None:
        if len(self._columns_offered) < len(OFFERED_COLUMNS):
            self._offer_columns()

    def _offer_columns(self, reset: bool = False) -> None:
        """Class and pit columns appear once a session has classes or pit stops, go with it."""
        engine = self.controller.engine
        present = {
            "class": engine.has_classes(),
            "pit": engine.has_pit_data(),
            "sectors": engine.has_sector_data(),
        }
        for what, columns in OFFERED_COLUMNS.items():
            if present[what] and what not in self._columns_offered:
                self._columns_offered.add(what)
                for column in columns:
                    self.column_actions[column].setChecked(True)
            elif reset and not present[what]:
                for column in columns:
                    self.column_actions[column].setChecked(False)

    # --- settings ------------------------------------------------------------------------------

    def _restore(self) -> None:
        s = self._settings
        geometry = user_settings.WINDOW_GEOMETRY.read(s)
        maximize_at = None
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        else:
            maximize_at = place_on_screen(self)
        state = user_settings.WINDOW_STATE.read(s)
        if isinstance(state, QByteArray):
            self.restoreState(state)
            self.replay.fit_bar()  # a layout saved in a replay has its bar shown
        splitter = user_settings.WINDOW_SPLITTER.read(s)
        arrange = None
        if isinstance(splitter, QByteArray):
            self.splitter.restoreState(splitter)
        else:  # first start: the board gets the room, docks and charts the rest
            bottom = [] if isinstance(state, QByteArray) else [self.docks["entries"]]
            right = (self.docks["entry"], self.docks["passings"])

            def arrange() -> None:
                share_the_room(self, self.splitter, bottom, right)

        FirstShow(self, maximize_at, arrange)
        shown = user_settings.BOARD_COLUMNS.read(s)
        for column, action in self.column_actions.items():
            # by the column's id; a layout saved before that named columns by their titles
            action.setChecked(column_id(column) in shown or HEADERS[column] in shown)
        self.set_theme(THEMES.get(user_settings.THEME.read(s), DARK))

    def save_settings(self) -> None:
        s = self._settings
        user_settings.WINDOW_GEOMETRY.write(s, self.board_mode.desk_geometry())
        user_settings.WINDOW_STATE.write(s, self.board_mode.desk_state())
        user_settings.WINDOW_SPLITTER.write(s, self.splitter.saveState())
        user_settings.BOARD_COLUMNS.write(
            s, [column_id(c) for c in self.board.visible_optional_columns()]
        )
        user_settings.THEME.write(s, self._theme.name)
        s.sync()

    def _on_replay_position_changed(self, _position_ms: int) -> None:
        self.header.refresh_clock()

    def _on_replay_typed_refused(self, why: str) -> None:
        """Said in the Entry panel over what it said before (a flag key's refusal)."""
        self.entry_panel.say(why, WARNING)

    def _on_replay_seeked(self, _position_ms: int) -> None:
        """A board far from the last one: its rows now, its columns fitted to them at once."""
        self.board_model.flush()
        self.board.fit_columns()

    def feeds(self) -> list[tuple[str, str]]:
        """(host, link state) of each live feed followed: the timing system's, the decoder's."""
        followed = []
        if self.feed.client is not None:
            followed.append((self.feed.client.host, str(self.feed.client.state)))
        if self.p3.client is not None:
            host = self.p3.client.address.rpartition(":")[0]
            followed.append((host, str(self.p3.client.state)))
        return followed

    def closeEvent(self, event: QCloseEvent) -> None:
        if not settle_held(self, self.entry):  # the operator went back to the session
            event.ignore()
            return
        if not self.stopping and not settle_recording(self, self.controller, self.feeds()):
            event.ignore()  # the feed goes on recording
            return
        self.event_actions.model.stop_reading()  # its worker ends with the window
        self.session_actions.background.cancel()  # and a session still being opened
        self.replay.background.cancel()
        self.feed.disconnect_feed()
        self.p3.disconnect_decoder()
        self.feed.stop_publishing()
        self.scoreboard_actions.close()
        self.save_settings()
        super().closeEvent(event)
