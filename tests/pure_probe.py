"""Run only by tests/test_pure_tests.py, in a child pytest: pure tests that let Qt in."""

from __future__ import annotations

import os
import sys
import types

import pytest


@pytest.mark.pure
def test_imports_qt() -> None:
    if os.environ.get("PURE_PROBE") == "import":
        import PySide6  # noqa: F401


@pytest.mark.pure
def test_qt_got_in_another_way() -> None:
    if os.environ.get("PURE_PROBE") == "module":
        sys.modules["PySide6"] = types.ModuleType("PySide6")
