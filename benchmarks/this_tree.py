"""The timingboard beside these scripts, for them and for every process they start.

``python benchmarks/bench_x.py`` run from another folder put that folder first on a child's
path (``python -c`` and ``-m`` do), so a child imported whatever ``timingboard`` was there, or
the installed one, and measured other code than the script's own. Importing this module puts
the checkout it lies in first on this process's path; :func:`child_env` does the same for a
child, whatever its working folder.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]  # the checkout these benchmarks measure
BENCHMARKS = REPO / "benchmarks"  # children import helpers from the scripts too


def _first_on_path() -> None:
    here = str(REPO)
    sys.path[:] = [here, *(p for p in sys.path if p != here)]


def child_env(env: dict[str, str] | None = None) -> dict[str, str]:
    """``env`` (else this process's) for a child that imports the timingboard beside the
    scripts: this checkout first on PYTHONPATH, and no working folder put before it."""
    base = dict(os.environ if env is None else env)
    kept = [p for p in base.get("PYTHONPATH", "").split(os.pathsep) if p]
    base["PYTHONPATH"] = os.pathsep.join([str(REPO), str(BENCHMARKS), *kept])
    base["PYTHONSAFEPATH"] = "1"  # `-c` and `-m` put the working folder first on the path
    return base


_first_on_path()
