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
