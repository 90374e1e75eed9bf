"""The fixed sample of mutants the suite checks (tests/test_mutation_kill_rate.py), and how.

``tests/mutation_sample.txt`` names a seeded random sample of mutmut's mutants of each package
(``scripts/mutation --pick N`` draws it again), each with the pure test that killed it when it
was drawn, or ``-`` for a survivor. The check makes those mutants again from today's source,
with mutmut's own mutation of the module (no ``mutants/`` folder, no mutmut run: seconds, not
hours), and runs each mutant's test on it: a package's kill rate under 90 % fails the suite.
Deterministic: the same source and the same list give the same mutants and the same verdicts.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_FILE = ROOT / "tests" / "mutation_sample.txt"
PACKAGES = ("engine", "feeds", "store")
GOAL = 0.9
SURVIVED = "-"
EQUIVALENT = "="  # no test can tell it from the code: its reason in the line's comment
SEED = 18
# Property tests run a tenth of their examples for each mutant, as in scripts/mutation.
EXAMPLES_SHARE = "10"


@dataclass(frozen=True, slots=True)
class Sampled:
    """One mutant of the sample: its mutmut name, the hash of its function's source when it was
    drawn (a function changed since has other mutants: not judged), the test that killed it
    (``-`` a survivor, ``=`` an equivalent mutant) and what the line says after ``#`` (why it
    is equivalent, say)."""

    name: str
    function_hash: str
    test: str
    note: str = ""

    @property
    def function(self) -> str:
        return self.name.partition("__mutmut_")[0]

    @property
    def package(self) -> str:
        return self.name.split(".")[1]

    @property
    def module_path(self) -> Path:
        """The source file, from the name (``timingboard.feeds.p3_parser.x_f__mutmut_3``)."""
        module = self.name.partition("__mutmut_")[0].rpartition(".")[0]
        return Path(*module.split(".")).with_suffix(".py")


def read_sample(path: Path = SAMPLE_FILE) -> list[Sampled]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            name, function_hash, test = line.split(" ", 2)
            test, _, note = test.partition("  #")  # a reason may follow
            out.append(Sampled(name, function_hash, test.strip() or SURVIVED, note.strip()))
    return out


def kept_verdicts(drawn: Iterable[Sampled], before: Iterable[Sampled]) -> list[Sampled]:
    """``drawn`` with what the sample ``before`` knew of the same mutant kept where the draw
    found no killer: an equivalent mutant and its reason, or a killer set by hand (a test
    written since the statistics, or one that needs a fresh process). Only the same mutant of
    the same function (its hash): the suite's check runs each named test on its mutant again."""
    known = {(s.name, s.function_hash): s for s in before if s.test != SURVIVED}
    return [known.get((s.name, s.function_hash), s) if s.test == SURVIVED else s for s in drawn]


def write_sample(
    sampled: Iterable[Sampled], seed: int, size: int, path: Path = SAMPLE_FILE
) -> None:
    lines = [
        "# Drawn by `scripts/mutation --pick "
        f"{size}` (seed {seed}, {size} a package): a mutant, its function's hash, and the",
        "# test that killed it (- a survivor, = an equivalent mutant, its reason after #).",
        "# tests/test_mutation_kill_rate.py checks them.",
        *(
            f"{s.name} {s.function_hash} {s.test}" + (f"  # {s.note}" if s.note else "")
            for s in sampled
        ),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def mutate(modules: Iterable[Path], into: Path, root: Path = ROOT) -> dict[str, str]:
    """A copy of the ``timingboard`` package in ``into``, with ``modules`` mutated by mutmut
    (each mutant behind its trampoline, chosen at run time by ``MUTANT_UNDER_TEST``); the
    mutants made, each with its function's hash."""
    from mutmut.mutation.file_mutation import mutate_file_contents

    shutil.copytree(
        root / "timingboard", into / "timingboard", ignore=shutil.ignore_patterns("__pycache__")
    )
    made: dict[str, str] = {}
    for module in sorted(set(modules)):
        source = (root / module).read_text(encoding="utf-8")
        mutated = mutate_file_contents(str(module), source)
        (into / module).write_text(mutated.code, encoding="utf-8")
        prefix = ".".join(module.with_suffix("").parts)
        for name in mutated.mutant_names:
            function = name.partition("__mutmut_")[0]
            made[f"{prefix}.{name}"] = str(mutated.hash_by_function_name.get(function, ""))
    return made


def run_test(
    tests: list[str], mutant: str, copy: Path, root: Path = ROOT, cache: Path | None = None
) -> int:
    """pytest's exit code for ``tests`` on the copy with ``mutant`` switched on (1: one failed;
    it stops there). Hypothesis runs from a fixed seed, without its database: the same
    examples every time."""
    env = {
        **os.environ,
        "MUTANT_UNDER_TEST": mutant,
        "PYTHONPATH": os.pathsep.join([str(copy), os.environ.get("PYTHONPATH", "")]),
        "TIMINGBOARD_HYPOTHESIS_SHARE": EXAMPLES_SHARE,
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    # Run from the copy, so that it is the timingboard imported (python -m puts the working
    # folder first on the path), with the project's configuration and tests.
    command = [sys.executable, "-m", "pytest", "-m", "pure", "-x", "-q", "--no-header"]
    command += ["--rootdir", str(root), "-c", str(root / "pyproject.toml")]
    command.append(f"--hypothesis-seed={SEED}")
    if cache is not None:  # to read which test failed (its lastfailed): the cache back on
        command += ["-o", "addopts=--strict-markers", "-o", f"cache_dir={cache}"]
    command += [str(root / test) for test in tests]
    done = subprocess.run(command, cwd=copy, env=env, capture_output=True, text=True)
    return done.returncode


def verdict(code: int) -> str:
    """A pytest exit code as a mutant's verdict: a test failed, or the package would not even
    import with the mutant (2: collection stopped), kills it."""
    return {0: "survived", 1: "killed", 2: "killed"}.get(code, f"error (pytest exit {code})")


def verdicts(sampled: list[Sampled], copy: Path, workers: int = 2) -> dict[str, str]:
    """Each mutant's verdict: killed, survived, gone (no such mutant today) or an error."""

    def one(s: Sampled) -> tuple[str, str]:
        if s.test == SURVIVED:
            return s.name, "survived"
        return s.name, verdict(run_test([s.test], s.name, copy))

    with ThreadPoolExecutor(workers) as pool:
        return dict(pool.map(one, sampled))
