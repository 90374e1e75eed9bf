"""A seeded session as the RMonitor stream a timing system sends, for ``import`` benchmarks.

The session is timed by our own engine (so double reads are not sent and each ``$J`` carries
the lap it completed) and written with our own RMonitor writer: the scoreboard reset, the run,
its classes, track and cars, then one ``$J`` a counted crossing in the order the crossings
arrived, with a ``$F`` heartbeat each minute of race time, at each flag change and at the
checkered flag, and at the end the timing system's order (``$G``/``$H``).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from timingboard.engine.engine import TimingEngine
from timingboard.engine.events import CompetitorSet, Event, Flag, FlagChanged, LogEntry, Passing
from timingboard.engine.settings import SessionSettings
from timingboard.feeds.rmonitor_publisher import RMonitorPublisher
from timingboard.feeds.rmonitor_writer import (
    FLAG_TEXT,
    NO_LAPS_TO_GO,
    positions,
    quoted,
    record,
    rm_time,
)

HEARTBEAT_EVERY_MS = 60_000
TIME_OF_DAY_AT_START_MS = 12 * 3_600_000  # the green at noon
DAY_MS = 24 * 3_600_000


def rmonitor_stream(settings: SessionSettings, events: Sequence[Event]) -> bytes:
    """The whole stream; ``events`` as :func:`timingboard.demo.endurance.generate` gives them."""
    return "".join(stream_lines(settings, events)).encode()


def stream_lines(settings: SessionSettings, events: Sequence[Event]) -> Iterator[str]:
    log = [LogEntry(seq, event) for seq, event in enumerate(events, start=1)]
    competitors = [entry for entry in log if isinstance(entry.event, CompetitorSet)]
    header = TimingEngine.from_log(settings, competitors)
    engine = TimingEngine.from_log(settings, log)  # the timing system's view of every crossing
    publisher = RMonitorPublisher()
    yield record("I", quoted("12:00:00.000"), quoted("01 Jan 26"))
    yield publisher.header(header)
    flag = "      "
    next_beat = 0
    for entry in log:
        event = entry.event
        if isinstance(event, FlagChanged):
            flag = FLAG_TEXT.get(event.flag, flag)
            yield _heartbeat(settings, event.time_ms, flag)
        elif isinstance(event, Passing):
            while event.time_ms >= next_beat:
                yield _heartbeat(settings, next_beat, flag)
                next_beat += HEARTBEAT_EVERY_MS
        yield from publisher.advance(engine, most=1)  # entries run 1, 2, …
        if isinstance(event, Passing) and event.time_ms == engine.finish_ms:
            flag = FLAG_TEXT[Flag.CHECKERED]
            # whole seconds on the wire: the first heartbeat at or after the leader's crossing
            yield _heartbeat(settings, -(-event.time_ms // 1000) * 1000, flag)
    yield from positions(engine, engine.order())


def _heartbeat(settings: SessionSettings, race_ms: int, flag: str) -> str:
    time_to_go = max(0, (settings.race_duration_ms or 0) - race_ms)
    time_of_day = (TIME_OF_DAY_AT_START_MS + race_ms) % DAY_MS
    return record(
        "F",
        NO_LAPS_TO_GO,  # the writer's heartbeat needs the engine as it stood; not needed here
        quoted(rm_time(time_to_go, millis=False)),
        quoted(rm_time(time_of_day, millis=False)),
        quoted(rm_time(race_ms, millis=False)),
        quoted(flag),
    )
