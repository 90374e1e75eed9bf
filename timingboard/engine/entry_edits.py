"""Edits of the entry list during a session, read back from the log so they can be undone.

An edit is a plain :class:`CompetitorSet` that changes a car already registered; undoing it
submits the car's previous :class:`CompetitorSet` again, itself a logged edit. So the log holds
every state the entry went through, a restart loses nothing, and no new event type is needed
(feeds and decoders keep the one registration event they already submit).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from timingboard.engine.events import CompetitorSet, LogEntry


@dataclass(frozen=True, slots=True)
class EntryEdit:
    """One change of a registered car: the log's ``seq`` of it, the entry before and after."""

    seq: int
    before: CompetitorSet
    after: CompetitorSet

    def describe(self) -> str:
        changed = [
            name
            for name in ("car", "driver", "team", "make", "car_class", "transponders", "grid")
            if getattr(self.before, name) != getattr(self.after, name)
        ]
        what = ", ".join(name.replace("car_class", "class") for name in changed) or "nothing"
        return f"Edit {self.before.car}: {what}"


def entry_edits(log: Iterable[LogEntry]) -> list[EntryEdit]:
    """Every change of an already registered car, in log order (first registrations are not)."""
    current: dict[str, CompetitorSet] = {}
    edits = []
    for seq, event in log:
        if isinstance(event, CompetitorSet):
            before = current.get(event.key)
            if before is not None and before != event:
                edits.append(EntryEdit(seq, before, event))
            current[event.key] = event
    return edits
