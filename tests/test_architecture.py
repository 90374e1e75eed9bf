"""The layers hold: the engine, store, reports and demo run with no Qt in the process."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_engine_and_store_import_without_qt() -> None:
    code = (
        "import sys\n"
        "import timingboard.engine, timingboard.store, timingboard.reports\n"
        "import timingboard.demo.clash\n"
        "import timingboard.cli\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in "
        "{'PySide6', 'shiboken6', 'pyqtgraph'})\n"
        "print(','.join(bad))\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == ""


def test_import_contracts_are_kept() -> None:
    run = subprocess.run(
        [
            sys.executable,
            "-c",
            "from importlinter.cli import lint_imports_command; lint_imports_command()",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "broken" not in run.stdout.lower() or " 0 broken" in run.stdout.lower()


def test_no_module_imports_itself_back() -> None:
    """No import cycles, counting imports made only for type checking: a module's readers can
    be understood without the module (the engine once imported its rows and checks, which
    imported the engine back)."""
    import grimp

    graph = grimp.build_graph("timingboard")
    cycles = sorted(
        (importer, imported)
        for importer in graph.modules
        for imported in graph.find_modules_directly_imported_by(importer)
        if imported != importer
        and imported.startswith("timingboard.")
        and graph.chain_exists(importer=imported, imported=importer)
    )
    assert cycles == []


# The engine modules the outer layers may import (besides the package itself); the others are
# the engine's workings, forbidden to them by the import-linter contract in pyproject.toml.
ENGINE_PUBLIC_MODULES = {
    "audit",
    "car",
    "classes",
    "correction_kinds",
    "corrections",
    "engine",
    "events",
    "flag_shown",
    "formatting",
    "history",
    "lap_marks",
    "lineups",
    "missed_passing",
    "pits",
    "replay",
    "session_end",
    "settings",
    "stages",
    "standings",
    "validation",
}


def test_every_engine_module_is_public_or_forbidden_to_outer_layers() -> None:
    """A new engine module is named public here or forbidden in pyproject.toml, so the contract
    that outer layers read the board only through the public API cannot be walked around."""
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    contracts = config["tool"]["importlinter"]["contracts"]
    (workings,) = [c for c in contracts if c["name"].startswith("Outer layers use the engine")]
    forbidden = {name.removeprefix("timingboard.engine.") for name in workings["forbidden_modules"]}
    modules = {p.stem for p in (ROOT / "timingboard" / "engine").glob("*.py")} - {"__init__"}
    assert forbidden & ENGINE_PUBLIC_MODULES == set()
    assert modules == forbidden | ENGINE_PUBLIC_MODULES
    assert {"timingboard.qt", "timingboard.widgets", "timingboard.app"} <= set(
        workings["source_modules"]
    )
