"""The window's commands come from one table (qt/action_registry.py): each made once, with the
text, keys and tips the table gives, in the menus the table lays out; F1 lists their keys."""

from __future__ import annotations

from race_scripts import QUARTER_MILE_RACE

from timingboard.qt.action_registry import ACTIONS, MENUS, ActionId, MenuPart, find_action


def test_every_command_of_the_table_is_made_once_and_as_the_table_says(
    make_controller, show_window
) -> None:
    window = show_window(make_controller(QUARTER_MILE_RACE))
    for action_id, spec in ACTIONS.items():
        action = find_action(window, action_id)
        assert action is not None, action_id
        if action_id not in (ActionId.UNDO, ActionId.REDO):  # Qt adds what it would undo
            assert action.text() == spec.text
        assert (spec.keys is None) == action.shortcut().isEmpty(), action_id
    window.close()


def test_the_menus_hold_the_commands_in_the_tables_order(make_controller, show_window) -> None:
    window = show_window(make_controller(QUARTER_MILE_RACE))
    menus = {a.text(): a.menu() for a in window.menuBar().actions()}
    assert list(menus) == [menu.value for menu in MENUS]
    for menu, layout in MENUS.items():
        shown = [a.objectName() for a in menus[menu.value].actions()]
        listed = [item.value for item in layout if isinstance(item, ActionId)]
        assert [name for name in shown if name in listed] == listed, menu
    assert not any(isinstance(item, str) for item in MenuPart)
    window.close()


def test_f1_lists_every_key_of_the_table(make_controller, show_window) -> None:
    window = show_window(make_controller(QUARTER_MILE_RACE))
    dialog = window.help.show_shortcuts()
    listed = [what for _, what in dialog.rows()]  # a list: Esc leaves board mode or the wall
    for spec in ACTIONS.values():
        if spec.keys is not None:
            assert spec.text.replace("&", "").rstrip(".…") in listed, spec.text
    dialog.close()
    window.close()
