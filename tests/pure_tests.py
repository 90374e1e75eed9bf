"""Which tests are pure (engine, feeds, store, reports: no Qt), and the pure run that proves it.

`pytest -m pure` runs them with no Qt in the process: pytest-qt is taken out before it imports
PySide6, any import of PySide6, shiboken6 or pyqtgraph fails the test that made it, and the run
fails if one got into ``sys.modules`` all the same. The mutation runs (scripts/mutation) use this
selection: it is fast, and it is what the Qt-free packages promise to be testable by.
"""

from __future__ import annotations

import importlib.abc
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

QT_MODULES = ("PySide6", "shiboken6", "pyqtgraph")

# Whole files of engine/feeds/store/reports tests whose module-level imports are Qt-free. A test
# in one of them that asks for a Qt fixture is left out of the pure run (mixed files stay whole).
PURE_FILES = frozenset(
    {
        "test_engine_chunked.py",
        "test_engine_classes_pits.py",
        "test_engine_gaps.py",
        "test_engine_oracle.py",
        "test_engine_paths_agree.py",
        "test_engine_properties.py",
        "test_engine_ranking.py",
        "test_engine_rules.py",
        "test_engine_examples.py",
        "test_engine_reading.py",
        "test_best_lap_ties.py",
        "test_text_rules.py",
        "test_entry_list.py",
        "test_store_examples.py",
        "test_store_boundaries.py",
        "test_feeds_examples.py",
        "test_replay_checkpoints.py",
        "test_session_snapshot.py",
        "test_import_fast_paths.py",
        "test_live_follow.py",
        "test_positional_decoding.py",
        "test_feed_import.py",
        "test_event_json.py",
        "test_event_folder.py",
        "test_live_json.py",
        "test_p3_parser.py",
        "test_p3_rules.py",
        "test_p3_session.py",
        "test_race_trace.py",
        "test_replay_timeline.py",
        "test_results_and_lineups.py",
        "test_rmonitor_captures.py",
        "test_rmonitor_join.py",
        "test_rmonitor_parser.py",
        "test_rmonitor_writer.py",
        "test_rule_boundaries.py",
        "test_sectors.py",
        "test_session_file.py",
        "test_store_pragmas.py",
        "test_store_rules.py",
    }
)
QT_FIXTURES = frozenset({"qtbot", "qapp", "make_controller", "show_window"})
# Tests in those files that reach Qt by a lazy import (the PDF is drawn with Qt).
QT_TESTS = frozenset({"test_pdf_has_the_winner_on_the_paper_asked_for"})
# Left out of the pure run (so out of the mutation runs): it compares two results sheets made a
# moment apart, whose header's printed-at second differs when a second passes between them.
UNSTEADY_TESTS = frozenset({"test_results_from_the_snapshot_are_the_results_rebuilt"})


def is_pure_run(markexpr: str) -> bool:
    """A run selected by the pure marker (``-m pure``, ``-m "pure and not feeds"``)."""
    return bool(re.search(r"\bpure\b", markexpr)) and not re.search(r"\bnot\s+pure\b", markexpr)


def outside_pure_run(path: Path) -> bool | None:
    """A pure run does not even import the other test files (most import Qt at the top)."""
    if path.is_file() and path.suffix == ".py" and path.name.startswith("test_"):
        return path.name not in PURE_FILES or None
    return None


def mark_pure(items: Sequence[pytest.Item]) -> None:
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        name = getattr(item, "originalname", "")
        uses_qt = bool(fixtures & QT_FIXTURES) or name in QT_TESTS or name in UNSTEADY_TESTS
        if Path(str(item.path)).name in PURE_FILES and not uses_qt:
            item.add_marker(pytest.mark.pure)


# scripts/mutation sets this: each property test runs 1/N of its examples for each mutant (most
# mutants fall to the first few; a survivor would otherwise cost minutes of the full search).
EXAMPLES_SHARE = "TIMINGBOARD_HYPOTHESIS_SHARE"


def share_examples(items: Sequence[pytest.Item]) -> None:
    share = int(os.environ.get(EXAMPLES_SHARE, "1") or "1")
    if share <= 1:
        return
    from hypothesis import settings

    for item in items:
        test = getattr(item, "obj", None)
        full = getattr(test, "_timingboard_full_settings", None) or getattr(
            test, "_hypothesis_internal_use_settings", None
        )
        if full is None:
            continue
        test._timingboard_full_settings = full  # type: ignore[union-attr]
        fewer = settings(full, max_examples=max(5, full.max_examples // share))
        test._hypothesis_internal_use_settings = fewer  # type: ignore[union-attr]


class QtBlocker(importlib.abc.MetaPathFinder):
    """Refuses Qt to a pure run, so a pure test that pulls it in fails where it does."""

    def find_spec(self, fullname: str, path: object = None, target: object = None) -> None:
        if fullname.partition(".")[0] in QT_MODULES:
            raise ImportError(f"{fullname} imported in a pure test run (pytest -m pure)")
        return None


def start_pure_run(config: pytest.Config) -> None:
    """Take pytest-qt out before its configure imports PySide6, and block Qt from then on."""
    plugin = config.pluginmanager.get_plugin("pytest-qt")
    if plugin is not None:
        config.pluginmanager.unregister(plugin)
    if not any(isinstance(finder, QtBlocker) for finder in sys.meta_path):
        sys.meta_path.insert(0, QtBlocker())


def qt_left_in(modules: Sequence[str]) -> list[str]:
    return sorted(name for name in modules if name.partition(".")[0] in QT_MODULES)


def end_pure_run(session: pytest.Session) -> None:
    """Fail the run if Qt is in the process at its end, whatever let it in."""
    sys.meta_path[:] = [finder for finder in sys.meta_path if not isinstance(finder, QtBlocker)]
    loaded = qt_left_in(list(sys.modules))
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if loaded:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
        message = f"pure run FAILED: Qt in the process: {', '.join(loaded)}"
    else:
        message = "pure run: no Qt module in the process"
    if reporter is not None:
        reporter.ensure_newline()
        reporter.write_line(message, red=bool(loaded))
