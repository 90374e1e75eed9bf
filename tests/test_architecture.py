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
    "frozen",
    "history",
    "lap_marks",
    "lineups",
    "long_past",
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


# Values of the engine's state that outer layers may read (never assign): immutable, so reading
# one cannot change the board. Everything else the state holds is read through the engine's
# reading methods (timingboard/engine/reading.py).
READABLE_STATE_VALUES = {"settings", "seq", "clock_ms"}  # frozen settings, ints
# The snapshot pickles the engine's whole state, and gives a restored engine back its log.
STATE_SERIALISER = ("store/snapshot.py", "log")


def engine_state_attributes() -> set[str]:
    """Every attribute :class:`EngineState` sets, read from engine/state.py (so a new one is
    covered the day it is added)."""
    import ast

    tree = ast.parse((ROOT / "timingboard" / "engine" / "state.py").read_text())
    names = set()
    for node in ast.walk(tree):
        targets = node.targets if isinstance(node, ast.Assign) else []
        if isinstance(node, ast.AnnAssign):
            targets = [node.target]
        for target in targets:
            if (
                isinstance(target, ast.Attribute)
                and isinstance(target.value, ast.Name)
                and target.value.id == "self"
            ):
                names.add(target.attr)
    return names


def state_reaches(source: str, names: set[str]) -> list[tuple[int, str, bool]]:
    """(line, attribute, assigned) for each use of an engine state attribute in ``source``, on
    anything named as an engine (``engine``, ``self._engine``, ``recorder.engine``, …) and on
    ``self`` in a class built on the engine (a published board's)."""
    import ast

    def names_an_engine(node: ast.expr, in_engine: bool) -> bool:
        name = node.id if isinstance(node, ast.Name) else getattr(node, "attr", "")
        return name.lstrip("_").endswith("engine") or (in_engine and name == "self")

    def uses(node: ast.AST, in_engine: bool) -> list[tuple[int, str, bool]]:
        if isinstance(node, ast.ClassDef):
            bases = {getattr(b, "id", getattr(b, "attr", "")) for b in node.bases}
            in_engine = bool(bases & {"TimingEngine", "BoardReading", "EngineState"})
        found = []
        if (
            isinstance(node, ast.Attribute)
            and node.attr in names
            and names_an_engine(node.value, in_engine)
        ):
            found.append((node.lineno, node.attr, not isinstance(node.ctx, ast.Load)))
        for child in ast.iter_child_nodes(node):
            found += uses(child, in_engine)
        return found

    return sorted(uses(ast.parse(source), False))


def test_outer_layers_read_the_engine_only_through_its_reading_methods() -> None:
    """Outside engine/, nothing reads or changes the engine's state containers by name (a
    caller that took ``engine.competitors`` could change the board behind the engine's back):
    they use the read-only methods of engine/reading.py."""
    names = engine_state_attributes()
    assert names >= READABLE_STATE_VALUES and STATE_SERIALISER[1] in names
    assert names >= {"passings", "competitors", "flags", "corrections", "entries", "tables"}
    assert state_reaches("x = self._controller.engine.passings[3]", names) == [
        (1, "passings", False)
    ]
    subclass = "class Shown(TimingEngine):\n    def show(self):\n        self.seq += 1\n"
    assert state_reaches(subclass, names) == [(3, "seq", True)]
    package = ROOT / "timingboard"
    found = []
    for path in sorted(package.rglob("*.py")):
        relative = path.relative_to(package).as_posix()
        if relative.startswith("engine/"):
            continue
        for line, name, assigned in state_reaches(path.read_text(), names):
            if (relative, name) == STATE_SERIALISER:
                continue
            if assigned or name not in READABLE_STATE_VALUES:
                found.append(f"{relative}:{line}: engine.{name}")
    assert found == []
