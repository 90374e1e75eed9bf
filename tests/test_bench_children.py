"""The benchmarks measure the timingboard beside them, whatever folder they are run from: a
child started from another checkout's folder imported that folder's ``timingboard`` (``-c``
puts the working folder first on the path)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BENCHMARKS = REPO / "benchmarks"
SPAWNS = {"run", "Popen"}


def test_a_benchmarks_child_imports_the_timingboard_beside_it_not_the_working_folders(
    tmp_path: Path,
) -> None:
    decoy = tmp_path / "timingboard"
    decoy.mkdir()
    (decoy / "__init__.py").write_text("raise SystemExit('the working folder\\'s timingboard')\n")
    code = (
        f"import sys; sys.path.insert(0, {str(BENCHMARKS)!r}); "
        "import subprocess; from this_tree import child_env; "
        "print(subprocess.run([sys.executable, '-c', 'import timingboard; "
        "print(timingboard.__file__)'], capture_output=True, text=True, env=child_env(), "
        "check=True).stdout, end='')"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True
    )
    assert Path(done.stdout.strip()) == REPO / "timingboard" / "__init__.py"


def test_every_process_a_benchmark_starts_is_given_the_trees_environment() -> None:
    unset = []
    for script in sorted(BENCHMARKS.glob("*.py")):
        for node in ast.walk(ast.parse(script.read_text())):
            if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
                continue
            called = node.func
            if not (isinstance(called.value, ast.Name) and called.value.id == "subprocess"):
                continue
            if called.attr not in SPAWNS:
                continue
            env = next((k.value for k in node.keywords if k.arg == "env"), None)
            if env is None or "child_env" not in ast.unparse(env):
                unset.append(f"{script.name}:{node.lineno}")
    assert unset == []
