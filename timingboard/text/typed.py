"""What an operator types, read: a feed's address, where stages end, a correction's figures.

Each reader takes the text as typed and gives the value, or raises ValueError with the message
the dialog shows under the field (nothing typed is lost: the dialog stays open).
"""

from __future__ import annotations

from timingboard.engine.formatting import format_lap, format_session_time, parse_lap
from timingboard.feeds.address import host_and_port

DEFAULT_RMONITOR_PORT = 50000


def parse_address(text: str) -> tuple[str, int]:
    """``host:port`` (or just ``host``, on the usual RMonitor port); ValueError if not one."""
    text = text.strip()
    address = host_and_port(text, DEFAULT_RMONITOR_PORT)
    if address is None:
        raise ValueError(f"{text!r} is not host:port (for example 192.168.1.20:50000)")
    return address


def stage_laps(text: str) -> tuple[int, ...]:
    """``60, 140`` (or ``140; 60``) as (60, 140), once each; empty: no stages.

    Raises ValueError naming what is not a lap number: ``foo, 3`` was read as a stage at 3
    with no word of ``foo``, a stage the operator meant silently lost."""
    laps = set()
    for part in (p.strip() for p in text.replace(";", ",").split(",")):
        if not part:
            continue
        if not (part.isascii() and part.isdigit()) or int(part) == 0:
            raise ValueError(
                f"Stages end at laps: {part!r} is not a lap number "
                "(whole laps after the start, e.g. 60, 140)"
            )
        laps.add(int(part))
    return tuple(sorted(laps))


def insert_time(text: str, reference_ms: int | None) -> int:
    """A missed passing's session time: ``@0:05:12.345`` as typed, or a lap time (``13.612``)
    counted from the crossing at ``reference_ms``."""
    text = text.strip()
    if text.startswith("@"):
        return parse_lap(text[1:])
    if reference_ms is None:
        raise ValueError("no earlier passing to time from: give @ and a session time")
    if not text:
        raise ValueError("give the lap time, or @ and a session time")
    return reference_ms + parse_lap(text)


def insert_help(reference_ms: int | None, example_ms: int | None = None) -> str:
    """What the insert dialog says a lap time counts from, with an example that is taken
    (``example_ms``: :func:`engine.missed_passing.example_ms`), or none: "@0:05:12.345" was
    offered whatever the car's last crossing, and refused when that was later."""
    if reference_ms is None:
        if example_ms is None:
            return "Give @ and the session time the car crossed the line, no later than now."
        return (
            "Give @ and the session time the car crossed the line, no later than now "
            f"(@{format_session_time(example_ms)})."
        )
    at = format_session_time(reference_ms)
    counted = f"The time of the missed lap, counted from the passing at {at}"
    if example_ms is None:
        return (
            f"{counted}, or @ and the session time the car crossed: after that passing and no "
            "later than now."
        )
    lap = format_lap(example_ms - reference_ms)
    return (
        f"{counted} (e.g. {lap}), or @ and the session time the car crossed "
        f"(@{format_session_time(example_ms)}), no later than now."
    )


def signed_ms(text: str) -> int:
    """A time penalty: ``+5``, ``5``, ``-2.5`` seconds, as milliseconds."""
    text = text.strip()
    sign = -1 if text.startswith("-") else 1
    return sign * parse_lap(text.lstrip("+-"))


def whole_laps(text: str) -> int:
    """A lap penalty's laps: a whole number, signed or not."""
    try:
        return int(text.strip())
    except ValueError:
        raise ValueError(f"{text!r} is not a whole number of laps") from None


def car_choice_text(label: str, competitor: object | None) -> str:
    """ "31 — Justin Haley"; a car without a name is its number alone, never "3 —"."""
    if competitor is None:
        return f"{label} (not registered)"
    driver = getattr(competitor, "driver", "")
    return f"{label} — {driver}" if driver else label
