"""Every kept setting has one home (qt/user_settings.py): its key, type and default."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

from timingboard.qt import user_settings

PACKAGE = Path(user_settings.__file__).parents[1]


def scratch(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


def test_no_key_is_spelt_outside_the_settings_module():
    spelt = re.compile(r"""(\.value|\.setValue)\(\s*["']""")
    found = [
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        if path.name != "user_settings.py" and spelt.search(path.read_text())
    ]
    assert found == []


def test_keys_are_distinct():
    keys = [setting.key for setting in user_settings.ALL]
    assert len(keys) == len(set(keys))
    assert "operator/name" in keys


def test_a_value_not_kept_reads_as_its_default(tmp_path):
    settings = scratch(tmp_path)
    assert user_settings.OPERATOR.read(settings) == ""
    assert user_settings.PUBLISH_PORT.read(settings) == 50000
    assert user_settings.SCOREBOARD_SHOWN.read(settings) is False
    assert user_settings.RECENT_SESSIONS.read(settings) == []
    assert user_settings.RESULTS_SIGNATURES.read(settings) is None
    assert user_settings.WINDOW_GEOMETRY.read(settings) is None
    assert user_settings.FEED_FOLDER.read(settings) == str(Path.home() / "timingboard")


def test_values_come_back_as_their_types_after_a_restart(tmp_path):
    settings = scratch(tmp_path)
    user_settings.PUBLISH_PORT.write(settings, 50001)
    user_settings.SCOREBOARD_SHOWN.write(settings, True)
    user_settings.RECENT_REPLAYS.write(settings, ["/a.tbs"])  # one item: ini keeps it as text
    user_settings.BOARD_COLUMNS.write(settings, ["team", "make"])
    user_settings.WINDOW_STATE.write(settings, QByteArray(b"\x00\x01"))
    settings.sync()
    again = scratch(tmp_path)
    assert user_settings.PUBLISH_PORT.read(again) == 50001
    assert user_settings.SCOREBOARD_SHOWN.read(again) is True
    assert user_settings.RECENT_REPLAYS.read(again) == ["/a.tbs"]
    assert user_settings.BOARD_COLUMNS.read(again) == ["team", "make"]
    assert user_settings.WINDOW_STATE.read(again) == QByteArray(b"\x00\x01")


def test_a_hand_edited_value_of_the_wrong_type_reads_as_the_default(tmp_path):
    settings = scratch(tmp_path)
    settings.setValue(user_settings.PUBLISH_PORT.key, "fifty")
    settings.setValue(user_settings.WINDOW_GEOMETRY.key, "not a geometry")
    assert user_settings.PUBLISH_PORT.read(settings) == 50000  # was a traceback on File ▸ Publish
    assert user_settings.WINDOW_GEOMETRY.read(settings) is None
