"""What the controller shows and who writes into it, as protocols rather than a list of classes.

A **session source** is what holds the session shown: a recorder writing a session file, a
replay of a saved session or stream, or a followed board (nothing written). A **producer** is
who, besides the operator, writes into the session shown: the demo, an RMonitor feed, a P3
decoder, a followed board or a replay. The window reads both only through these protocols (its
title, read-only line, exports), so a new source or producer is one class that has these
members, not another ``isinstance`` or ``getattr`` in each place that asks.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from enum import StrEnum
from pathlib import Path
from typing import Protocol

from timingboard.engine.engine import TimingEngine
from timingboard.engine.events import Event
from timingboard.engine.settings import SessionSettings
from timingboard.engine.standings import BoardChange
from timingboard.store.session_file import SessionFile


class SessionSource(Protocol):
    """Holds the session shown: its engine, and its file if it has one."""

    engine: TimingEngine  # a replay puts another state of the session here on each seek

    @property
    def settings(self) -> SessionSettings: ...

    @property
    def name(self) -> str:
        """Where it came from, in words: its file's name, a capture's file and session, the
        followed board's address."""

    @property
    def path(self) -> Path | None:
        """The file the session is shown from (a replay's too), or None (a followed board, a
        recorded stream)."""

    @property
    def read_from(self) -> Path | None:
        """The file the session is read from: its session file, a capture replayed; None for
        a followed board (what the status bar names, where a file dialog starts)."""

    @property
    def file(self) -> SessionFile | None:
        """The session file events are written to, or None when nothing is written (a replay,
        a followed board). A file opened read-only is still the file written to here."""

    @property
    def read_only_reason(self) -> str | None:
        """Why the session takes no events, or None: it does."""

    @property
    def replayed(self) -> bool:
        """A saved session or stream shown as it was recorded (never written)."""

    def submit(self, events: Sequence[Event]) -> BoardChange:
        """Commit and apply ``events``; raises InvalidEvent or SessionFileError."""

    # A long saved session is shown from its snapshot at once while its log is read and
    # checked in a worker; the others are read whole before they are shown.

    @property
    def checking(self) -> bool:
        """Its log is still being checked in a worker; :meth:`settle` takes the verdict."""

    @property
    def check_finished(self) -> bool:
        """:meth:`settle` would not wait: no check runs, or its verdict is ready."""

    def when_checked(self, done: Callable[[], None]) -> None:
        """Have ``done`` called, in the worker's thread, when the verdict is ready (never, when
        no check runs)."""

    def settle(self) -> bool:
        """Take the check's verdict, waiting for it: True if the board shown changed (damage
        was found, the session is read-only before it); False if not, or no check ran."""

    def take_appended(self, limit: int) -> tuple[BoardChange, int, str | None]:
        """A file open read-only while another process writes it: up to ``limit`` events it
        appended since, applied in order; the change, how many, and the damage found after
        them (None: none); SessionFileError: it cannot be read now. Nothing for the others."""

    def close(self, in_background: bool = False) -> None:
        """Close (``in_background``: what is kept of it written in a worker, if anything)."""
        ...

    def abandon(self) -> None:
        """Close one opened and never shown (its open cancelled as the window closed): nothing
        is kept of it, no check waited for."""
        ...


class ProducerKind(StrEnum):
    """What a producer is, for the words the window uses about it."""

    DEMO = "demo"
    FEED = "feed"  # an RMonitor feed over TCP
    DECODER = "decoder"  # a MYLAPS P3 decoder
    FOLLOW = "follow"  # another board's published session
    REPLAY = "replay"


class SessionProducer(Protocol):
    """Writes into the sessions the controller shows while it is the controller's producer."""

    @property
    def producer_kind(self) -> ProducerKind: ...

    @property
    def session_shown(self) -> bool:
        """Its own session is on the board (a feed or a followed board may still be waiting
        for the first)."""

    def hand_timing_refusal(self) -> str | None:
        """Why a passing typed or a flag thrown by the operator is not taken while it writes,
        or None: it is. A timing system's feed scores the session itself (its laps and flags:
        a car typed or a flag thrown here would make the board disagree with it)."""


def kind_of(producer: SessionProducer | None) -> ProducerKind | None:
    """The producer's kind; None for the operator at the keyboard."""
    return producer.producer_kind if producer is not None else None
