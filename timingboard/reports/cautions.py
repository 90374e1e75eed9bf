"""The results sheet's cautions: each run of laps under yellow, full-course yellow or red.

Counted as the lap-time chart shades them (engine/race_trace.caution_laps: the leader's laps
run under the flag), so the sheet and the chart never disagree about a lap.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from timingboard.engine.events import Flag
from timingboard.engine.formatting import FLAG_NAMES

if TYPE_CHECKING:
    from timingboard.engine.engine import TimingEngine

Runs = Sequence[tuple[int, int, Flag]]  # engine.caution_laps(): read once a sheet (a 24 h
# race's 2,000 leader laps took ~7 ms a reading, and the sheet read them three times)

CAUTION_FIELDS = (  # the section's columns: field, title, numeric
    ("flag", "Flag", False),
    ("from_lap", "From lap", True),
    ("to_lap", "To lap", True),
    ("laps", "Laps", True),
)


def caution_rows(runs: Runs) -> list[dict[str, str]]:
    """One row a run: the flag, its first and last lap, how many laps."""
    return [
        {
            "flag": FLAG_NAMES[flag],
            "from_lap": str(first),
            "to_lap": str(last),
            "laps": str(last - first + 1),
        }
        for first, last, flag in runs
    ]


def caution_note(engine: TimingEngine, runs: Runs) -> str:
    """ "3 cautions for 12 laps (1 full-course yellow); 1 red flag" — what a box score says.

    A caution is counted as the engine counts it (engine/race_trace.cautions: a yellow that
    became full course is one caution); red flags apart.
    """
    counted = engine.cautions(runs)
    reds = sum(1 for *_laps, flag in runs if flag is Flag.RED)
    laps = sum(c.laps for c in counted)
    full = sum(1 for c in counted if c.full_course)
    parts = []
    if counted:
        many = len(counted)
        text = f"{many} caution{'s' * (many != 1)} for {laps} lap{'s' * (laps != 1)}"
        if full:
            text += f" ({full} full-course yellow{'s' * (full != 1)})"
        parts.append(text)
    if reds:
        parts.append(f"{reds} red flag{'s' * (reds != 1)}")
    return "; ".join(parts)
