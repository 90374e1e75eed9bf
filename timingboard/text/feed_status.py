"""What the board says of a feed's health: the banner of a silent link, a decoder's row.

A timing system sends a heartbeat every second even when no car crosses, so a few seconds of
silence (``STALE_AFTER_MS``) means the link is gone, whatever the socket says.
"""

from __future__ import annotations

from collections import Counter
from enum import IntEnum

from timingboard.feeds.p3_session import DecoderHealth, TimingLine
from timingboard.feeds.rmonitor_records import Skipped
from timingboard.feeds.rmonitor_session import reason_counts

STALE_AFTER_MS = 5000


def silence_text(ms: int) -> str:
    """``0:12``, ``3:05``, ``1:02:03``: how long the feed has been silent."""
    seconds = max(0, ms) // 1000
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"


def banner_text(
    silent_ms: int | None,
    ever_heard: bool,
    problem: str = "",
    lost: str = "FEED LOST",
    reached: bool = True,
    stale_after_ms: int = STALE_AFTER_MS,
    up: bool = True,
) -> str:
    """The banner for a feed silent for ``silent_ms`` ("" while it is fresh); ``problem`` is
    why the link is down (the host cannot be found, the connection was refused), said at once;
    ``lost`` names what was lost (a feed, or a followed broker). A link never up since it was
    asked for (``reached`` false) was not lost: "FEED NOT REACHED — cannot reach host:port: why".

    A feed that has sent nothing yet was not lost either: with the link ``up`` it is silent
    ("FEED SILENT — connected 0:12 ago, no data yet", ``silent_ms`` counted from the link
    coming up), else its timing system has not answered ("FEED NOT REACHED — still
    connecting after 0:12")."""
    if silent_ms is not None and problem:
        head = lost if reached else lost.replace("LOST", "NOT REACHED")
        return f"{head} — {problem}"
    if silent_ms is None or silent_ms <= stale_after_ms:
        return ""
    silence = silence_text(silent_ms)
    if not ever_heard and up:
        return f"{lost.replace('LOST', 'SILENT')} — connected {silence} ago, no data yet"
    if not ever_heard:
        return f"{lost.replace('LOST', 'NOT REACHED')} — still connecting after {silence}"
    return f"{lost} — last data {silence} ago"


MOST_DIFFERENCES_SHOWN = 3
REASONS_IN_TOOLTIP = 8


def skipped_note(skipped: int) -> str:
    """The status bar's word on lines not taken, short (the bar is narrow; why is in
    :func:`skip_details`). Records the timing system sent again are not among them: Orbits
    resends crossings in the normal run of things, and nothing is lost."""
    return f"{skipped} line(s) skipped" if skipped else ""


def skip_details(
    skipped: int,
    last: Skipped | None,
    reasons: Counter[str],
    resent: int,
    resent_reasons: Counter[str],
) -> list[str]:
    """The tooltip's lines: the last line skipped and why, every line skipped by reason, and
    the records sent again (kept once), so that nothing the feed sent goes unaccounted for."""
    lines = []
    if skipped:
        lines.append(f"{skipped} line(s) skipped (not taken)")
        if last is not None:
            lines.append(f"last: {last.reason} — {last.text}" if last.text else last.reason)
        lines.append(f"by reason: {reason_counts(reasons, REASONS_IN_TOOLTIP)}")
    if resent:
        lines.append(
            f"{resent} record(s) the timing system sent again, each kept once (nothing lost): "
            f"{reason_counts(resent_reasons, REASONS_IN_TOOLTIP)}"
        )
    return lines


def order_text(
    official: int, compared: int, differences: list[tuple[str, int, int]], fresh: bool = True
) -> str:
    """How the board's order stands against the timing system's, of ``official`` cars it
    places, ``compared`` of which it counted a lap of (or timed): "agrees" over none would say
    something was compared. ``differences`` are (car, our place, its place)."""
    if not fresh:
        return "Timing system order: not known (feed lost)"
    if not official:
        return ""  # it sent no order at all
    if not compared:
        return "Timing system order: no car to compare yet"
    if not differences:
        return "Timing system order: agrees"
    shown = ", ".join(
        f"#{car} ours P{ours} / TS P{theirs}"
        for car, ours, theirs in differences[:MOST_DIFFERENCES_SHOWN]
    )
    more = len(differences) - MOST_DIFFERENCES_SHOWN
    return f"Timing system order differs: {shown}" + (f" (+{more} more)" if more > 0 else "")


class HealthColumn(IntEnum):
    DECODER = 0
    LINE = 1
    NOISE = 2
    LOOP = 3
    GPS = 4
    TEMPERATURE = 5
    VOLTAGE = 6
    CLOCK = 7
    PASSINGS = 8
    HEARD = 9
    WARNING = 10


HEADERS = {  # short, the unit in the title (not in every cell): the panel fits beside Entries
    HealthColumn.DECODER: "Decoder",
    HealthColumn.LINE: "Line",
    HealthColumn.NOISE: "Noise",
    HealthColumn.LOOP: "Loop",
    HealthColumn.GPS: "GPS",
    HealthColumn.TEMPERATURE: "°C",
    HealthColumn.VOLTAGE: "V",
    HealthColumn.CLOCK: "Clock s",
    HealthColumn.PASSINGS: "Passings",
    HealthColumn.HEARD: "Heard",
    HealthColumn.WARNING: "Warning",
}
HEADER_TIPS = {
    HealthColumn.DECODER: "The decoder's id",
    HealthColumn.LINE: "The timing line it reads (finish, pit in, pit out, sector N)",
    HealthColumn.NOISE: "Background noise on the loop, as the decoder reports it",
    HealthColumn.LOOP: "Loop triggers counted by the decoder",
    HealthColumn.GPS: "GPS fix (satellites)",
    HealthColumn.TEMPERATURE: "The decoder's temperature, degrees Celsius",
    HealthColumn.VOLTAGE: "Input voltage, volts",
    HealthColumn.CLOCK: "The decoder's clock ahead (+) or behind (-) ours, seconds",
    HealthColumn.PASSINGS: "Passings read from it (the number of the last one)",
    HealthColumn.HEARD: "How long ago it last sent anything",
    HealthColumn.WARNING: "Silent, or its clock jumped",
}
# the widest a cell usually reads, so the panel is shown wide enough before a decoder speaks
WIDEST_TEXTS = {
    HealthColumn.DECODER: "0x00041813",
    HealthColumn.LINE: "sector 3",
    HealthColumn.GPS: "fix (12)",
    HealthColumn.TEMPERATURE: "-10",
    HealthColumn.VOLTAGE: "12.5",
    HealthColumn.CLOCK: "+99.999",
    HealthColumn.PASSINGS: "999 #999999",
    HealthColumn.HEARD: "99 s ago",
    HealthColumn.WARNING: "silent for 20 s",
}


def _or_dash(value: object) -> str:
    return "—" if value is None else str(value)


def health_texts(health: DecoderHealth, line: TimingLine, now: float) -> dict[HealthColumn, str]:
    """What the panel shows for one decoder (Qt-free, so it is tested without a window)."""
    status = health.status
    ident = health.decoder_id
    offset = health.clock_offset_ms
    texts = {
        HealthColumn.DECODER: f"0x{ident:08X}" if ident is not None else "—",
        HealthColumn.LINE: str(line),
        HealthColumn.NOISE: _or_dash(status.noise if status else None),
        HealthColumn.LOOP: _or_dash(status.loop_triggers if status else None),
        HealthColumn.GPS: {None: "—", 0: "no fix"}.get(
            status.gps if status else None, f"fix ({status.gps if status else ''})"
        ),
        HealthColumn.TEMPERATURE: (
            f"{status.temperature}" if status and status.temperature is not None else "—"
        ),
        HealthColumn.VOLTAGE: (
            f"{status.input_voltage / 10:.1f}"
            if status and status.input_voltage is not None
            else "—"
        ),
        HealthColumn.CLOCK: f"{offset / 1000:+.3f}" if offset is not None else "—",
        HealthColumn.PASSINGS: f"{health.passings}"
        + (f" #{health.last_passing_number}" if health.last_passing_number else ""),
        HealthColumn.HEARD: (
            f"{now - health.heard_at:.0f} s ago" if health.heard_at is not None else "never"
        ),
        HealthColumn.WARNING: "; ".join(health.warnings(now)) or "OK",
    }
    return texts


def recording_on_quitting(host: str, race: bool) -> str:
    """The question put when the window is quit while a live feed records a session running
    (quitting stopped recording without a word: the crossings after it were lost)."""
    what = "race" if race else "session"
    return (
        f"The feed from {host} is connected and the {what} is running: "
        "quitting stops recording its crossings."
    )
