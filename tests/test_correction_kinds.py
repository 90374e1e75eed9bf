"""One table of correction kinds (engine/correction_kinds.py) that folding, scope, audit words
and the dialogs read: a correction class without an entry is caught here."""

from __future__ import annotations

from timingboard.engine.correction_kinds import KINDS
from timingboard.engine.events import EVENT_TYPES, CompetitorSet, Correction
from timingboard.widgets.correction_actions import CAR_MENU, PASSING_MENU, CarAction, PassingAction


def test_every_correction_the_log_can_hold_has_a_kind():
    corrections = {cls for cls in EVENT_TYPES.values() if issubclass(cls, Correction)}
    assert corrections == set(KINDS)
    assert len(corrections) == 13


def test_every_kind_has_a_title_and_words_and_a_reach():
    for cls, kind in KINDS.items():
        assert kind.event is cls
        assert kind.title and callable(kind.words) and callable(kind.reach)


def test_every_menu_action_has_its_text():
    assert set(CAR_MENU) == set(CarAction)
    assert set(PASSING_MENU) == set(PassingAction)
    assert CarAction("time_penalty") is CarAction.TIME_PENALTY  # what the views used to emit


def test_the_menus_say_which_correction_as_its_enum(make_controller, show_window) -> None:
    from race_scripts import QUARTER_MILE_RACE

    controller = make_controller(QUARTER_MILE_RACE)
    controller.submit([CompetitorSet(key="3", car="3", driver="Sam")])
    window = show_window(controller)
    asked: list[tuple[object, object]] = []
    window.board.car_action_requested.disconnect(window.flow.on_car)
    window.board.car_action_requested.connect(lambda action, key: asked.append((action, key)))
    key = "3"
    menu = window.board.menu_for(key)
    next(a for a in menu.actions() if a.text() == "&Time penalty…").trigger()
    assert asked == [(CarAction.TIME_PENALTY, key)]
    assert type(asked[0][0]) is CarAction  # the enum itself, not its text
    window.close()
