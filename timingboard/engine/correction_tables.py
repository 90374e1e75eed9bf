"""What the corrections in force add up to: the tables the engine reads while it settles a batch.

Apart from :mod:`timingboard.engine.corrections` (which works out what is in force) so the
registry of correction kinds can say how each kind folds into them without importing it back.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from timingboard.engine.events import InsertPassing


@dataclass(slots=True)
class CorrectionTables:
    """The combined effect of the corrections that are in force."""

    deleted: set[int] = field(default_factory=set)
    inserted: dict[int, InsertPassing] = field(default_factory=dict)
    reassigned: dict[int, str] = field(default_factory=dict)
    invalid: set[int] = field(default_factory=set)
    time_penalty: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    lap_penalty: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    disqualified: set[str] = field(default_factory=set)
    retired: set[str] = field(default_factory=set)
    pit_marks: dict[str, list[tuple[int, int, bool]]] = field(default_factory=dict)
    transponders: dict[str, str] = field(default_factory=dict)  # assigned by the operator
    ended_ms: int | None = None  # the earliest operator's end of session in force
