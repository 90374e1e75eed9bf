"""The kill rate in every run of the suite: a fixed seeded sample of mutants of each package.

tests/mutation_sample.txt (drawn by ``scripts/mutation --pick 10``) names ten mutants of each of
engine, feeds and store and the pure test that killed each; here each is made again from
today's source and its test run on it. A package under 90 % fails, saying which mutants lived.
A mutant whose function has changed since it was drawn is not judged (it is another mutant
now): when many are, the sample is drawn again. Not in the pure run: it starts pure runs itself.
"""

from __future__ import annotations

from pathlib import Path

import mutation_sample as ms
import pytest


def test_each_package_kills_nine_in_ten_of_its_sampled_mutants(
    tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    sampled = ms.read_sample()
    made = ms.mutate({s.module_path for s in sampled}, tmp_path)
    equivalent = [s for s in sampled if s.test == ms.EQUIVALENT]  # counted as in docs/mutation.md
    judged = [s for s in sampled if made.get(s.name) == s.function_hash and s.test != ms.EQUIVALENT]
    changed = [
        s.name for s in sampled if made.get(s.name) != s.function_hash and s.test != ms.EQUIVALENT
    ]
    # The copy is what the tests import: with every trampoline told to fail, a test fails;
    # with no mutant switched on, it passes.
    control = next(s for s in judged if s.test != ms.SURVIVED)
    assert ms.run_test([control.test], "fail", tmp_path) == 1, "the mutated copy was not used"
    assert ms.run_test([control.test], "", tmp_path) == 0, f"{control.test} fails unmutated"
    found = ms.verdicts(judged, tmp_path)
    lines, low = [], []
    for package in ms.PACKAGES:
        mine = [s for s in judged if s.package == package]
        assert len(mine) >= 5, (
            f"{package}: {len(mine)} of its sampled mutants left unchanged; draw the sample "
            "again: scripts/mutation --pick 10"
        )
        killed = [s for s in mine if found[s.name] == "killed"]
        rate = len(killed) / len(mine)
        lines.append(
            f"{package} {100 * rate:.0f} % ({len(killed)} of {len(mine)} sampled mutants killed)"
        )
        if rate < ms.GOAL:
            low += [f"{s.name}: {found[s.name]} ({s.test})" for s in mine if s not in killed]
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    summary = "mutation kill rate: " + "; ".join(lines)
    if changed:
        summary += f"; {len(changed)} not judged (function changed since drawn)"
    if equivalent:
        summary += f"; {len(equivalent)} equivalent set aside"
    if reporter is not None:
        reporter.ensure_newline()
        reporter.write_line(summary)
    errors = [f"{name}: {v}" for name, v in found.items() if v.startswith("error")]
    assert not errors, "\n".join(errors)
    assert not low, summary + "\nunder 90 %, these lived:\n" + "\n".join(low)
