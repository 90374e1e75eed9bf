"""Bytes of an RMonitor stream in, records out; never raises, reports what it skipped.

Real captures hold junk lines, a record cut short and run into the next (we resynchronise on
``$``), byte-order marks, CR CR LF, recorder prefixes (``##`` receive-time headers, ISO time
prefixes), empty fields, and records nobody documented.
"""

from __future__ import annotations

import codecs
import csv
import re
from collections.abc import Callable
from datetime import UTC, date, datetime, timezone

from timingboard.feeds.rmonitor_records import (
    ClassInfo,
    Competitor,
    CompetitorExt,
    CorrectedFinish,
    Heartbeat,
    HistoricalLap,
    Init,
    LinePassing,
    PracticePosition,
    RacePosition,
    Received,
    Record,
    Run,
    SessionKindRecord,
    Setting,
    Skipped,
    TimelineCrossing,
)

MAX_PENDING_BYTES = 64 * 1024
_RECORD_START = re.compile(r"\$(?=[A-Z][A-Z0-9]{0,7},)")
_PREFIX = re.compile(r"^(?:\d{4}-\d{2}-\d{2}[T ][0-9:.]+(?:Z|[+-]\d\d:?\d\d)?\s*)")
_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})[ -]([A-Za-z]{3,9})\.?[ -](\d{2}|\d{4})")
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_SLASHED = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_TIME = re.compile(r"^(-)?(\d+):(\d{1,2}):(\d{1,2})(?:\.(\d{1,6}))?$")
# Nearly every line of a long stream is a $J just so: read at once, as parse_line would read it.
# Two-digit hours, ASCII digits: a time is then its hours, its "MM:SS" and its thousandths,
# each a key of the table of its milliseconds (any other way to write a time, a 100-hour
# clock or another script's digits, goes the long way, which reads it alike: minutes and
# seconds past 59 too). Three look-ups and two sums a time, not four and six steps.
_PLAIN_TIME = r'"([0-9][0-9]):([0-9][0-9]:[0-9][0-9])\.([0-9][0-9][0-9])"'
HOURS_MS = {f"{h:02d}": h * 3_600_000 for h in range(100)}
MINUTES_SECONDS_MS = {
    f"{m:02d}:{s:02d}": m * 60_000 + s * 1000 for m in range(100) for s in range(100)
}
DIGITS = {f"{n:03d}": n for n in range(1000)}  # thousandths
_PLAIN_PASSING = re.compile(rf'\$J,"([^"$,]*)",{_PLAIN_TIME},{_PLAIN_TIME}')
# A chunk's lines in one scan: each a plain $J (its fields in groups 1-7) or any other line
# (group 8). Each match ends at a line end, so the next begins a line.
_LINES = re.compile(rf"{_PLAIN_PASSING.pattern}(?=[\r\n]|\Z)|([^\r\n]+)")
_FLAGS = {"green": "green", "yellow": "yellow", "red": "red", "finish": "finish"}
_AS_LATIN1 = "timingboard-latin1"  # the bytes cp1252 leaves undefined read as Latin-1


def _as_latin1(error: UnicodeError) -> tuple[str, int]:
    assert isinstance(error, UnicodeDecodeError)
    return error.object[error.start : error.end].decode("latin-1"), error.end


codecs.register_error(_AS_LATIN1, _as_latin1)


Row = tuple[str, ...]  # a line as :func:`scan` finds it: a plain $J's seven fields and "", or
# seven "" and the line


class RMonitorParser:
    """Keeps the unfinished tail of a stream between reads; everything else is pure."""

    def __init__(self) -> None:
        self._pending = b""

    def feed(self, data: bytes) -> list[Record | Skipped]:
        """Records completed by ``data`` (a line is complete at CR or LF)."""
        skipped, lines = self._complete(data)
        return skipped if lines is None else parse_bytes(lines)

    def feed_rows(self, data: bytes) -> tuple[list[Record | Skipped], list[Row]]:
        """As :meth:`feed`, the lines completed as :func:`scan` finds them (``records_of``
        makes them the records :meth:`feed` gives), after what was skipped on the way: for a
        reader that takes the plain crossings from their fields, with no record between."""
        skipped, lines = self._complete(data)
        return skipped, [] if lines is None else scan(lines)

    def _complete(self, data: bytes) -> tuple[list[Record | Skipped], bytes | None]:
        """The complete lines ``data`` ends, the rest kept; or what was skipped, and None."""
        data = self._pending + data
        cut = max(data.rfind(b"\n"), data.rfind(b"\r"))
        if cut < 0:
            self._pending = data
            if len(data) > MAX_PENDING_BYTES:
                self._pending = b""
                return [Skipped(_preview(data), "no line end in 64 KiB")], None
            return [], None
        self._pending = data[cut + 1 :]
        return [], data[: cut + 1]

    def flush(self) -> list[Record | Skipped]:
        """The last line, if the stream ended without a line end."""
        data, self._pending = self._pending, b""
        return parse_bytes(data) if data else []


def parse_bytes(data: bytes) -> list[Record | Skipped]:
    """All records in a chunk of complete lines."""
    return records_of(scan(data))


def scan(data: bytes) -> list[Row]:
    """A chunk of complete lines, each a plain ``$J``'s fields or any other line (``Row``)."""
    try:  # nearly always: the whole chunk is UTF-8
        text = _clean(data.decode("utf-8"))
    except UnicodeDecodeError:  # line by line (no line holds a line end once decoded)
        text = "\n".join(decode_line(raw) for raw in re.split(rb"[\r\n]+", data))
    return _LINES.findall(text)


def records_of(rows: list[Row]) -> list[Record | Skipped]:
    """The records of lines as :func:`scan` found them."""
    out: list[Record | Skipped] = []
    append, hours, ms, n = out.append, HOURS_MS, MINUTES_SECONDS_MS, DIGITS
    make = tuple.__new__  # make(LinePassing, (reg, lap_ms, total_ms)): a record made in C
    for row in rows:
        sent, lap_h, lap_ms, lap_f, h, m_s, f, other = row
        if other:
            out.extend(parse_line(other))
        elif reg := sent.strip():  # a plain $J, read as parse_line reads it, without its steps
            lap = hours[lap_h] + ms[lap_ms] + n[lap_f]
            total = hours[h] + ms[m_s] + n[f]
            append(make(LinePassing, (reg, lap, total)))
        else:
            out.extend(parse_line(blank_passing(row)))
    return out


def blank_passing(fields: Row) -> str:
    """The line of a plain ``$J`` whose registration is blanks, read the long way (it says
    so)."""
    sent, lap_h, lap_ms, lap_f, h, m_s, f = fields[:7]
    return f'$J,"{sent}","{lap_h}:{lap_ms}.{lap_f}","{h}:{m_s}.{f}"'


def decode_line(raw: bytes) -> str:
    """UTF-8 where the line is UTF-8; otherwise cp1252, as Orbits on Windows sends names.

    Per line, so one mangled line does not change how the others read; the five bytes
    cp1252 leaves undefined read as themselves (Latin-1), so no byte is lost.
    """
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors=_AS_LATIN1)
    return _clean(text)


def _clean(text: str) -> str:
    return text.replace("\ufeff", "").replace("\x00", "")


def parse_line(line: str) -> list[Record | Skipped]:
    """One line of text; it may hold several records run together, or none.

    A recorder's receive time (a ``##`` header, an ISO time before a record) comes as
    :class:`Received` before what follows it; one that is not a time is left out, as before.
    """
    line = line.strip()
    out: list[Record | Skipped] = []
    if line.startswith("##"):
        at = receive_time(line[2:], zone=UTC)
        return [Received(at)] if at is not None else []
    if prefix := _PREFIX.match(line):
        at = receive_time(prefix.group(), zone=None)
        if at is not None:
            out.append(Received(at))
        line = line[prefix.end() :]
        if not line or line.startswith("##"):
            return out
    if not line:
        return []
    starts = [m.start() for m in _RECORD_START.finditer(line)]
    if not starts:
        return [Skipped(_preview(line), "not a record")]
    if starts[0] > 0 and line[: starts[0]].strip():
        out.append(Skipped(_preview(line[: starts[0]]), "junk before a record"))
    for begin, end in zip(starts, [*starts[1:], len(line)], strict=True):
        out.append(parse_record(line[begin:end].strip()))
    return out


def parse_record(text: str) -> Record | Skipped:
    """One record, ``$TAG,field,...``."""
    try:
        fields = next(csv.reader([text[1:]], skipinitialspace=False))
    except (csv.Error, StopIteration):
        return Skipped(_preview(text), "fields cannot be read")
    tag, values = fields[0], [v.strip() if i else v for i, v in enumerate(fields[1:])]
    layout = _LAYOUTS.get(tag)
    if layout is None:
        return Skipped(_preview(text), f"record ${tag} is not used")
    count, build = layout
    if len(values) < count:
        return Skipped(_preview(text), f"${tag} record cut short ({len(values)} of {count} fields)")
    try:
        return build(values)
    except ValueError as exc:
        return Skipped(_preview(text), f"${tag}: {exc}")


def parse_time(text: str) -> int | None:
    """``HH:MM:SS.DDD`` (hours may pass 24) or ``HH:MM:SS`` as milliseconds; empty is None."""
    text = text.strip().strip('"')
    if not text:
        return None
    negative = "-" in text  # countdowns come as 00:00:-47
    match = _TIME.match(text.replace("-", ""))
    if match is None:
        raise ValueError(f"{text!r} is not a time")
    _, hours, minutes, seconds, fraction = match.groups()
    ms = ((int(hours) * 60 + int(minutes)) * 60 + int(seconds)) * 1000
    ms += int(((fraction or "") + "000")[:3])
    return -ms if negative else ms


def receive_time(text: str, zone: timezone | None) -> float | None:
    """An ISO 8601 moment (``YYYY-MM-DD HH:MM:SS.mmm``) as epoch seconds, or None when it is
    not one.

    A time that names its zone (``Z``, ``+02:00``) is read in it; otherwise in ``zone``, or
    in the local time zone when that is None. Red Mist's ``##`` headers are UTC (``zone``).
    One a batch of a relay capture: read by ``fromisoformat``, not step by step.
    """
    try:
        moment = datetime.fromisoformat(text.strip())
        if moment.tzinfo is None and zone is not None:
            moment = moment.replace(tzinfo=zone)
        return moment.timestamp()  # a naive moment: in the local time zone
    except (ValueError, OverflowError, OSError):  # not a moment, a year out of range
        return None


def parse_date(text: str) -> date | None:
    """``$I``'s date: ``27 Jan 09`` (as Orbits sends it), ``12 jan 2001``, ``27 January
    2009``, ``2009-01-27``, or ``1/27/2009`` when only one of month/day or day/month is a day;
    None for ``0/0/0000`` (Red Mist's no date), anything else, or a day that does not exist.
    Two-digit years 69-99 are 19xx, 00-68 20xx. Never raises.
    """
    text = text.strip().strip('"').strip()
    try:
        if match := _DAY_MONTH_YEAR.fullmatch(text):
            day, month_name, year = match.groups()
            month = _MONTHS.get(month_name.lower())
            if month is None:
                return None
            return date(_full_year(year), month, int(day))
        if match := _ISO_DATE.fullmatch(text):
            return date(*(int(g) for g in match.groups()))
        if match := _SLASHED.fullmatch(text):
            first, second, year = (int(g) for g in match.groups())
            readings = {(year, m, d) for m, d in ((first, second), (second, first)) if 1 <= m <= 12}
            readings = {r for r in readings if _exists(*r)}
            return date(*readings.pop()) if len(readings) == 1 else None  # ambiguous: none
    except ValueError:  # a day that does not exist, year 0
        return None
    return None


def _full_year(text: str) -> int:
    year = int(text)
    if len(text) == 2:
        year += 1900 if year >= 69 else 2000
    return year


def _exists(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def _int(text: str) -> int | None:
    text = text.strip()
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a number") from None


def _required_int(text: str) -> int:
    value = _int(text)
    if value is None:
        raise ValueError("a number is missing")
    return value


def _heartbeat(v: list[str]) -> Heartbeat:
    flag = _FLAGS.get(v[4].strip().lower(), "")
    return Heartbeat(_int(v[0]), parse_time(v[1]), v[2].strip(), parse_time(v[3]), flag)


def _competitor(v: list[str]) -> Competitor:
    return Competitor(
        _reg(v[0]),
        v[1].strip(),
        v[2].strip(),
        v[3].strip(),
        v[4].strip(),
        v[5].strip(),
        v[6].strip(),
    )


def _competitor_ext(v: list[str]) -> CompetitorExt:
    extra = v[6].strip() if len(v) > 6 else ""
    return CompetitorExt(
        _reg(v[0]), v[1].strip(), v[2].strip(), v[3].strip(), v[4].strip(), v[5].strip(), extra
    )


def _reg(text: str) -> str:
    reg = text.strip()
    if not reg:
        raise ValueError("the registration number is empty")
    return reg


_LAYOUTS: dict[str, tuple[int, Callable[[list[str]], Record]]] = {
    "F": (5, _heartbeat),
    "A": (7, _competitor),
    "COMP": (6, _competitor_ext),
    "B": (2, lambda v: Run(_required_int(v[0]), v[1].strip())),
    "C": (2, lambda v: ClassInfo(v[0].strip(), v[1].strip())),
    "E": (2, lambda v: Setting(v[0].strip().upper(), v[1].strip())),
    "G": (4, lambda v: RacePosition(_required_int(v[0]), _reg(v[1]), _int(v[2]), parse_time(v[3]))),
    "H": (
        4,
        lambda v: PracticePosition(_required_int(v[0]), _reg(v[1]), _int(v[2]), parse_time(v[3])),
    ),
    "I": (2, lambda v: Init(v[0].strip(), v[1].strip(), parse_date(v[1]))),
    "J": (3, lambda v: LinePassing(_reg(v[0]), parse_time(v[1]), parse_time(v[2]))),
    "COR": (
        5,
        lambda v: CorrectedFinish(
            _reg(v[0]), v[1].strip(), _int(v[2]), parse_time(v[3]), parse_time(v[4])
        ),
    ),
    "RMS": (1, lambda v: SessionKindRecord(v[0].strip().lower())),
    "RMHL": (
        6,
        lambda v: HistoricalLap(
            _reg(v[0]), _int(v[1]), _int(v[2]), parse_time(v[3]), v[4].strip(), parse_time(v[5])
        ),
    ),
    "L": (
        5,
        lambda v: TimelineCrossing(
            _reg(v[0]), v[1].strip(), v[2].strip().upper(), v[3].strip(), parse_time(v[4])
        ),
    ),
}


def _preview(text: str | bytes) -> str:
    if isinstance(text, bytes):
        text = text.decode("utf-8", errors="replace")
    return text if len(text) <= 80 else text[:77] + "..."
