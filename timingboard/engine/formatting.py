"""How times, gaps, speeds and flags read on the board and in results: to the thousandth."""

from __future__ import annotations

from timingboard.engine.events import Flag
from timingboard.engine.standings import CarStatus, Gap, Standing

MAX_TIME_S = 100 * 3600  # longer than any lap, penalty or session time typed by hand

FLAG_NAMES = {  # as the flag buttons, the Flag menu, the messages and the results name them
    Flag.GREEN: "Green",
    Flag.YELLOW: "Yellow",
    Flag.FULL_COURSE_YELLOW: "Full-course yellow",
    Flag.RED: "Red",
    Flag.WHITE: "White",
    Flag.CHECKERED: "Checkered",
}


def format_lap(ms: int | None) -> str:
    """``13.413``, ``1:23.456``, ``1:02:03.456``; empty when there is no time."""
    if ms is None:
        return ""
    sign = "-" if ms < 0 else ""
    ms = abs(ms)
    seconds, millis = divmod(ms, 1000)
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return f"{sign}{hours}:{minutes:02d}:{seconds:02d}.{millis:03d}"
    if minutes:
        return f"{sign}{minutes}:{seconds:02d}.{millis:03d}"
    return f"{sign}{seconds}.{millis:03d}"


def format_clock(ms: int) -> str:
    """A session clock, ``H:MM:SS``."""
    seconds = max(0, ms) // 1000
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}"


def format_session_time(ms: int) -> str:
    """A moment of the session to the thousandth, ``0:05:12.345``: how passings, corrections
    and the recent entries name when something happened (``@0:05:12.345`` inserts there)."""
    return f"{format_clock(ms)}.{ms % 1000:03d}"


def format_laps_to_go(laps: int) -> str:
    """``6 laps to go``, ``1 lap to go``."""
    return "1 lap to go" if laps == 1 else f"{laps} laps to go"


def format_distance_left(race_laps: int, leader_laps: int) -> str:
    """What remains of a race run to laps, the leader's ``leader_laps`` done: "6 laps to go";
    once the distance is run and the race goes on (its finish taken back by a green, F5),
    that, and how far past it the leader is: "Distance run (10 laps)", "1 lap past distance
    (10 laps)". It read "0 laps to go", as if a lap were still due. One home for the header,
    the live page and the reason a session is not finished."""
    left = race_laps - leader_laps
    if left > 0:
        return format_laps_to_go(left)
    distance = f"{race_laps} lap" if race_laps == 1 else f"{race_laps} laps"
    if left == 0:
        return f"Distance run ({distance})"
    over = "1 lap" if left == -1 else f"{-left} laps"
    return f"{over} past distance ({distance})"


def format_gap(gap: Gap | None) -> str:
    """``+1.234`` on the same lap, ``+1 lap`` / ``+3 laps`` when lapped."""
    if gap is None:
        return ""
    if gap.laps:
        return f"+{gap.laps} lap" if gap.laps == 1 else f"+{gap.laps} laps"
    text = format_lap(gap.ms)
    return text if text.startswith("-") else "+" + text


def format_speed(speed: float | None) -> str:
    return "" if speed is None else f"{speed:.3f}"


def parse_lap(text: str) -> int:
    """Read ``13.413``, ``1:23.456`` or ``1:02:03.4`` as milliseconds; ValueError if not."""
    parts = text.strip().split(":")
    if not 1 <= len(parts) <= 3 or not all(parts):
        raise ValueError(f"{text!r} is not a time (use 13.413 or 1:23.456)")
    whole, _, fraction = parts[-1].partition(".")
    if not whole and fraction and len(parts) == 1:
        whole = "0"  # ".4" is four tenths
    numbers = [*parts[:-1], whole]
    if not all(n.isdigit() for n in numbers) or (fraction and not fraction.isdigit()):
        raise ValueError(f"{text!r} is not a time (use 13.413 or 1:23.456)")
    if len(fraction) > 3:
        raise ValueError(f"{text!r} has more than three decimals")
    seconds = 0
    for number in numbers:
        seconds = seconds * 60 + int(number)
    if seconds > MAX_TIME_S:
        raise ValueError(f"{text!r} is longer than {MAX_TIME_S // 3600} hours")
    return seconds * 1000 + int((fraction + "000")[:3])


def format_penalty(ms: int) -> str:
    """A time penalty as race control types and reads it: "+5.000 s", "+1:05.000 s", "-2.500 s".
    One home for the Corrections list, the board's Status, the live page and the sheets (the
    phone read "+1:05.000s" where the desk's list read "+1:05.000 s")."""
    sign = "-" if ms < 0 else "+"
    return f"{sign}{format_lap(abs(ms))} s"


def format_lap_penalty(laps: int) -> str:
    """A lap penalty as race control reads it: "-1 lap", "-2 laps" (one given back: "+1 lap").
    One home for the board's Status, the wall, the live page and the sheets (the desk read
    "-1L" where the results sheet read "-1 lap")."""
    unit = "lap" if abs(laps) == 1 else "laps"
    return f"{-laps:+d} {unit}"


def penalty_parts(time_penalty_ms: int, lap_penalty: int) -> list[str]:
    """The penalties in force on a car, each as :func:`format_penalty` and
    :func:`format_lap_penalty` say it (none: an empty list)."""
    parts = []
    if time_penalty_ms:
        parts.append(format_penalty(time_penalty_ms))
    if lap_penalty:
        parts.append(format_lap_penalty(lap_penalty))
    return parts


def status_words(row: Standing) -> str:
    """The Status cell as the board says it: "Running" once it is a result (the car was out when
    the session ended), as the results sheet says it, and once the checkered is out (the car
    has yet to take it) — while the session goes on every car is, and it says nothing —;
    "Finished", "PIT", DNF, DSQ, DNS, then the penalties in force ("Finished +5.000 s -1 lap").
    One home for the board, the wall and the live page (which said "finished")."""
    running = "Running" if row.result_final or row.checkered else ""
    text = {CarStatus.RUNNING: running, CarStatus.FINISHED: "Finished"}.get(
        row.status, str(row.status)
    )
    if row.in_pit and row.status == CarStatus.RUNNING:
        text = "PIT"
    penalties = penalty_parts(row.time_penalty_ms, row.lap_penalty)
    return " ".join([text, *penalties]).strip()
