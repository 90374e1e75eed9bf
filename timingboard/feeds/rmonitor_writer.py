"""Our session as RMonitor records, so other scoreboards (and other boards of ours) can follow it.

Times on the wire are race time, counted from the green (or from the session's start when
there is no green yet), as Orbits sends them.
"""

from __future__ import annotations

from timingboard.engine.car import Lap
from timingboard.engine.engine import TimingEngine
from timingboard.engine.events import Flag
from timingboard.engine.flag_shown import shown_flag
from timingboard.feeds.rmonitor_session import END_OF_SESSION_RUN

END_OF_LINE = "\r\n"
FLAG_TEXT = {
    Flag.GREEN: "Green ",
    Flag.YELLOW: "Yellow",
    Flag.FULL_COURSE_YELLOW: "Yellow",  # RMonitor has no full-course yellow: a caution it is
    Flag.RED: "Red   ",
    Flag.CHECKERED: "Finish",
    Flag.WHITE: "Green ",  # RMonitor has no white flag: the race is still green
}
NO_LAPS_TO_GO = 9999


def rm_time(ms: int | None, millis: bool = True) -> str:
    """``HH:MM:SS.DDD`` (hours may pass 24), or ``HH:MM:SS``."""
    ms = max(0, ms or 0)
    seconds, fraction = divmod(ms, 1000)
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    text = f"{hours:02d}:{minutes:02d}:{seconds:02d}"
    return f"{text}.{fraction:03d}" if millis else text


def quoted(text: str) -> str:
    return '"' + text.replace('"', "'").replace("\r", " ").replace("\n", " ") + '"'


def record(tag: str, *fields: str | int) -> str:
    return "$" + ",".join([tag, *(str(f) for f in fields)]) + END_OF_LINE


def race_time(engine: TimingEngine, time_ms: int) -> int:
    return time_ms - (engine.start_ms or 0)


def heartbeat(engine: TimingEngine, now_ms: int, time_of_day: str) -> str:
    laps = engine.laps_to_go()
    time_to_go = engine.time_to_go_ms(now_ms) or 0
    shown = shown_flag(engine, now_ms)  # the leader's finish goes out as "Finish"
    flag = FLAG_TEXT.get(shown, "      ") if shown else "      "
    return record(
        "F",
        NO_LAPS_TO_GO if laps is None else laps,
        quoted(rm_time(time_to_go, millis=False)),
        quoted(time_of_day),
        quoted(rm_time(race_time(engine, now_ms), millis=False)),
        quoted(flag),
    )


def end_of_session(engine: TimingEngine, time_of_day: str) -> str:
    """``$B`` run 95: the session is over (the timing system's end, or the operator's). The
    heartbeat at the end goes first: ``$B`` carries no time, a follower takes the race time of
    the last heartbeat as the end's."""
    ended = engine.ended_ms
    assert ended is not None
    return heartbeat(engine, ended, time_of_day) + record(
        "B", END_OF_SESSION_RUN, quoted(engine.settings.name)
    )


def full_refresh(engine: TimingEngine, run_number: int) -> str:
    """What a scoreboard that just connected needs: session, classes, track, cars and order."""
    settings = engine.settings
    lines = [record("B", run_number, quoted(settings.name))]
    classes = sorted({c.car_class for c in engine.entry_list().values() if c.car_class})
    class_no = {name: i + 1 for i, name in enumerate(classes)}
    lines += [record("C", class_no[name], quoted(name)) for name in classes]
    lines.append(record("E", quoted("TRACKNAME"), quoted(settings.track_name)))
    lines.append(record("E", quoted("TRACKLENGTH"), quoted(f"{settings.track_length:.3f}")))
    for key, c in engine.entry_list().items():
        first, _, last = c.driver.partition(" ")
        transponder = c.transponders[0] if c.transponders else "0"
        number = class_no.get(c.car_class, 0)
        lines.append(
            record(
                "A",
                quoted(key),
                quoted(c.car),
                transponder,
                quoted(first),
                quoted(last),
                quoted(""),
                number,
            )
        )
        lines.append(
            record(
                "COMP",
                quoted(key),
                quoted(c.car),
                number,
                quoted(first),
                quoted(last),
                quoted(""),
                quoted(c.team),
            )
        )
    lines += positions(engine, engine.order())
    return "".join(lines)


def positions(engine: TimingEngine, keys: list[str]) -> list[str]:
    """``$G`` (race) or ``$H`` (otherwise) for these cars, of known competitors only."""
    out = []
    for key in keys:
        if not engine.is_entered(key):
            continue
        row = engine.standing(key)
        if engine.settings.is_race:
            laps = str(row.laps) if row.laps else ""
            total = engine.last_lap(key)
            time_ms = race_time(engine, total.time_ms) if total else 0
            out.append(record("G", row.position, quoted(key), laps, quoted(rm_time(time_ms))))
        else:
            out.append(
                record(
                    "H",
                    row.position,
                    quoted(key),
                    row.best_lap_number or 0,
                    quoted(rm_time(row.best_lap_ms)),
                )
            )
    return out


def passing(engine: TimingEngine, key: str, time_ms: int, lap: Lap | None) -> str:
    """``$J`` for a crossing: the lap it completed, or zero when it only started the clock."""
    return record(
        "J",
        quoted(key),
        quoted(rm_time(lap.duration_ms if lap else 0)),
        quoted(rm_time(race_time(engine, time_ms))),
    )
