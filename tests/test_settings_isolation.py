"""The suite never touches the user's own settings: the walk of main found test sessions in
its Recent list and a small window layout saved in ~/.config/timingboard/timingboard.conf,
from subprocess tests run with the normal environment."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import REAL_HOME, SUITE_HOME
from PySide6.QtCore import QSettings, QStandardPaths

from timingboard.app.run import APPLICATION, ORGANIZATION

WHERE = (
    "from pathlib import Path\n"
    "from PySide6.QtCore import QSettings\n"
    f"print(Path.home()); print(QSettings({ORGANIZATION!r}, {APPLICATION!r}).fileName())\n"
)


def test_settings_and_folders_in_the_suite_are_its_own(qapp) -> None:
    assert Path.home() == SUITE_HOME != REAL_HOME
    settings = QSettings(ORGANIZATION, APPLICATION)
    assert Path(settings.fileName()).is_relative_to(SUITE_HOME), settings.fileName()
    for kind in (
        QStandardPaths.StandardLocation.AppConfigLocation,
        QStandardPaths.StandardLocation.AppDataLocation,
        QStandardPaths.StandardLocation.GenericConfigLocation,
    ):
        assert Path(QStandardPaths.writableLocation(kind)).is_relative_to(SUITE_HOME)


def test_a_command_run_by_a_test_keeps_its_settings_in_the_test_home(
    tmp_path: Path, command_env
) -> None:
    own = subprocess.run(
        [sys.executable, "-c", WHERE], env=command_env, capture_output=True, text=True, timeout=60
    )
    home, conf = own.stdout.split("\n")[:2]
    assert Path(home) == tmp_path / "home"
    assert Path(conf).is_relative_to(tmp_path / "home"), conf
    plain = subprocess.run(  # even one run with a copy of the suite's environment
        [sys.executable, "-c", WHERE], env=dict(os.environ), capture_output=True, text=True,
        timeout=60,
    )  # fmt: skip
    assert Path(plain.stdout.split("\n")[1]).is_relative_to(SUITE_HOME)
