"""Edit ▸ Selected car and Edit ▸ Selected passing: the corrections of the car highlighted on
the board and of the passing highlighted in the Passings log, for a desk with no Menu key (and
a keyboard walk through the menu bar: Alt+E, C).

The items are the action registry's (``car.*``, ``passing.*``), the same as the context menus',
offered as those are (Into the pit lane greyed out for a car in it) and asked through the views
(:meth:`LeaderboardView.ask_for_highlighted`): what the board refuses (a session being
opened, a followed board) it refuses here too. Off while nothing is highlighted; the submenu's
title names what its items act on.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow, QMenu

from timingboard.qt.action_registry import ACTIONS, SELECTED_CAR, SELECTED_PASSING, make_action
from timingboard.qt.leaderboard_model import Column, LeaderboardModel
from timingboard.qt.passings_model import PassingColumn
from timingboard.widgets.correction_actions import (
    CAR_ACTION_IDS,
    PASSING_ACTION_IDS,
    CarAction,
    PassingAction,
    plain,
)
from timingboard.widgets.leaderboard_view import LeaderboardView
from timingboard.widgets.passings_log import PassingsLogView

NONE_HIGHLIGHTED = "none highlighted"


class SelectedActions(QObject):
    """The two submenus' actions, kept offered as the highlighted car and passing are."""

    def __init__(
        self,
        window: QMainWindow,
        board: LeaderboardView,
        board_model: LeaderboardModel,
        log: PassingsLogView,
    ) -> None:
        super().__init__(window)
        self._board = board
        self._board_model = board_model
        self._log = log
        self.car_actions: dict[CarAction, QAction] = {
            car_action: make_action(
                action_id,
                window,
                lambda _=False, a=car_action: board.ask_for_highlighted(a),
            )
            for car_action, action_id in CAR_ACTION_IDS.items()
        }
        self.passing_actions: dict[PassingAction, QAction] = {
            passing_action: make_action(
                action_id,
                window,
                lambda _=False, a=passing_action: log.ask_for_highlighted(a),
            )
            for passing_action, action_id in PASSING_ACTION_IDS.items()
        }
        self.car_menu: QMenu | None = None
        self.passing_menu: QMenu | None = None
        for view in (board, log):
            selection = view.selectionModel()
            selection.selectionChanged.connect(self._on_view_highlight_changed)
            selection.currentChanged.connect(self._on_view_highlight_changed)
            view.model().modelReset.connect(self._on_view_highlight_changed)  # none then

    def attach(self, car_menu: QMenu, passing_menu: QMenu) -> None:
        """The submenus the menu bar made for them (:data:`SELECTED_CAR`, ...): offered afresh
        as each is shown (a car's pit state, a lap's words change as the race runs)."""
        self.car_menu, self.passing_menu = car_menu, passing_menu
        for menu, tip in ((car_menu, SELECTED_CAR.tip), (passing_menu, SELECTED_PASSING.tip)):
            menu.menuAction().setToolTip(tip)
            menu.menuAction().setStatusTip(tip)
            menu.setToolTipsVisible(True)
        car_menu.aboutToShow.connect(self.refresh)
        passing_menu.aboutToShow.connect(self.refresh)
        self.refresh()

    def _on_view_highlight_changed(self, *_args: object) -> None:
        self.refresh()

    def refresh(self) -> None:
        """Each item offered as the highlighted row's context menu offers it; titles say which
        car and passing ("Selected car: #99 D. Suarez")."""
        self._refresh_car()
        self._refresh_passing()

    def _refresh_car(self) -> None:
        key = self._board.highlighted_car()
        items = [] if key is None else self._board.offered_for(key)
        offered = {name: (text, on, why) for name, text, on, why in items}
        for car_action, action in self.car_actions.items():
            spec = ACTIONS[CAR_ACTION_IDS[car_action]]
            text, on, why = offered.get(car_action, (spec.text, False, ""))
            action.setEnabled(on)
            action.setText(text)
            action.setToolTip(why or plain(text).rstrip(".…"))
            action.setStatusTip(why)
        if self.car_menu is not None:
            name = NONE_HIGHLIGHTED if key is None else self._car_named(key)
            self.car_menu.setTitle(f"{SELECTED_CAR.title}: {_literal(name)}")
            self.car_menu.menuAction().setEnabled(key is not None)

    def _car_named(self, key: str) -> str:
        """The car as the board shows it: "#99 D. Suarez"."""
        model = self._board_model
        row = model.row_of(key)
        number = model.index(row, Column.CAR).data() if row >= 0 else None
        driver = model.index(row, Column.DRIVER).data() if row >= 0 else None
        if not number:
            return key.lstrip("?")
        return f"#{number} {driver}" if driver else f"#{number}"

    def _refresh_passing(self) -> None:
        row = self._log.highlighted_row()
        items = [] if row is None else self._log.offered_at(row)
        offered = {name: (text, on) for name, text, on in items}
        for passing_action, action in self.passing_actions.items():
            spec = ACTIONS[PASSING_ACTION_IDS[passing_action]]
            text, on = offered.get(passing_action, (spec.text, False))
            action.setEnabled(on)
            action.setText(text)
        if self.passing_menu is not None:
            name = NONE_HIGHLIGHTED if row is None else self._passing_named(row)
            self.passing_menu.setTitle(f"{SELECTED_PASSING.title}: {_literal(name)}")
            self.passing_menu.menuAction().setEnabled(row is not None)

    def _passing_named(self, row: int) -> str:
        model = self._log.model()
        car = model.index(row, PassingColumn.CAR).data()
        clock = model.index(row, PassingColumn.TIME).data()
        return f"car {car} at {clock}"


def _literal(text: str) -> str:
    """A name in a menu's title as written: an "&" in it makes no mnemonic."""
    return text.replace("&", "&&")
