"""P3 decoder records to our events: passings by transponder, timing lines, decoder health.

Pure: the live client, ``timingboard import`` of a P3 capture and the tests all go through
:class:`P3Mapper`.

Session time. A decoder has no flags and no race clock, only its real-time clock (µs since the
Unix epoch). The session's time zero is the RTC time of the first passing on the finish line
that the board takes. In practice and qualifying the green is logged at zero, so each car's
first crossing starts its first lap; a race starts at the green the operator gives (F5), on the
session clock, which follows the decoder's (its passings and its answers to GET_TIME), and
crossings before it are shown as before the green. Every passing, from any loop of any decoder,
is timed from that zero. A passing timed before it (a RESEND of something older, another loop's
earlier crossing) is skipped with that reason.

Duplicates. A decoder numbers its passings; a passing number already taken from the same
decoder is the same crossing sent again (a RESEND after a dropped link) and never counts twice.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum

from timingboard.engine.events import (
    CompetitorSet,
    Event,
    Flag,
    FlagChanged,
    Passing,
    PitLane,
    SectorCrossing,
    SettingsChanged,
    Source,
)
from timingboard.engine.settings import SessionKind, SessionSettings
from timingboard.feeds.address import host_and_port
from timingboard.feeds.p3_parser import (
    P3Record,
    P3Skipped,
    PassingRecord,
    RecordType,
    StatusRecord,
    as_passing,
    as_status,
)

DEFAULT_PORT = 5403
P3_MIN_LAP_MS = 5000  # two loops a few ms apart, or a double read: no real lap is this short
# No record at all for this long: the decoder (or the link) has gone silent. Decoders send a
# STATUS every few seconds (every 4.3 s on average in the shared capture).
SILENT_AFTER_S = 15.0
# Decoder clock less ours moving by more than this between two readings: the clock jumped.
CLOCK_JUMP_MS = 1000
# How late our own stamp of a reading may be (the event loop's turn, the link): on a clock that
# runs fast against ours (``simulate --speed 20``) it is that many times as much of its time.
# At speed 20, 50 ms of it read as a 1 s step: "clock jumped +86.097 s" shown throughout.
READING_LATE_S = 0.1
# What a decoder's ERROR record says of a request it could not take (per open P3 clients).
ERROR_CODES = {
    1: "CRC error",
    2: "start of record missing",
    3: "header corrupt",
    4: "type of record unknown",
    5: "parameters missing",
    6: "record too long",
}
JUMP_SHOWN_S = 60.0  # a jump stays on the panel this long after the last one


class LineKind(StrEnum):
    FINISH = "finish"
    PIT_IN = "pit in"
    PIT_OUT = "pit out"
    SECTOR = "sector"


@dataclass(frozen=True, slots=True)
class TimingLine:
    """What a decoder's loop is: the finish line, the pit lane's ends, or the end of sector N."""

    kind: LineKind = LineKind.FINISH
    sector: int = 0

    def __str__(self) -> str:
        return f"sector {self.sector}" if self.kind is LineKind.SECTOR else str(self.kind)


FINISH = TimingLine()


def parse_line(text: str) -> TimingLine:
    """``finish``, ``pit in``, ``pit out`` or ``sector N``: the loop at the end of sector N (1 to
    8; the last sector ends at the finish line)."""
    words = " ".join(text.lower().replace("-", " ").replace("_", " ").split())
    for kind in (LineKind.FINISH, LineKind.PIT_IN, LineKind.PIT_OUT):
        if words == kind.value:
            return TimingLine(kind)
    match = re.fullmatch(r"(?:sector|s) ?(\d+)", words)
    if match and 1 <= int(match.group(1)) <= 8:
        return TimingLine(LineKind.SECTOR, int(match.group(1)))
    raise ValueError(f"{text!r} is not a timing line: say finish, pit in, pit out or sector N")


def parse_lines(spec: str) -> dict[int, TimingLine]:
    """``ID=line,ID=line``; a decoder id in decimal or 0x hex, e.g. ``0x41813=finish``."""
    lines: dict[int, TimingLine] = {}
    for part in filter(None, (p.strip() for p in spec.split(","))):
        ident, sep, name = part.partition("=")
        if not sep:
            raise ValueError(f"{part!r}: give a decoder id and its line, e.g. 0x41813=pit in")
        try:
            decoder = int(ident.strip(), 0)
        except ValueError:
            raise ValueError(f"{ident.strip()!r} is not a decoder id (decimal or 0x hex)") from None
        lines[decoder] = parse_line(name)
    return lines


def format_lines(lines: dict[int, TimingLine]) -> str:
    return ",".join(f"0x{d:08X}={line}" for d, line in sorted(lines.items()))


def transponder_label(record: PassingRecord) -> str:
    """What names a transponder on the board and in the entry list: its number, or ProChip text."""
    return record.transponder_text or str(record.transponder)


@dataclass(slots=True)
class DecoderHealth:
    """What one decoder last said about itself, and how its clock stands against ours."""

    decoder_id: int | None
    status: StatusRecord | None = None
    heard_at: float | None = None  # our wall clock (s) at its last record
    clock_offset_ms: int | None = None  # its RTC less our clock
    clock_jumps: int = 0
    last_jump_ms: int = 0
    passings: int = 0
    last_passing_number: int | None = None

    last_jump_at: float | None = None
    _clock_noted_at: float | None = None  # our clock at the last reading of its clock
    _drift_ms_per_s: float | None = None  # how fast its clock runs against ours, ms a second
    _held_step: tuple[int, float] | None = None  # the first step, until the next reading
    _jump_rate: float | None = None  # the rate over the interval of the last jump
    _steady_from: tuple[int, float] | None = None  # (offset, our time) where the rate runs from

    @property
    def clock_unsettled(self) -> bool:
        """Its first step is held: the next reading tells a rate from a jump (ask soon)."""
        return self._held_step is not None

    def warnings(self, now: float) -> list[str]:
        out = []
        if self.heard_at is not None and now - self.heard_at > SILENT_AFTER_S:
            out.append(f"silent for {now - self.heard_at:.0f} s")
        if self.last_jump_at is not None and now - self.last_jump_at <= JUMP_SHOWN_S:
            times = f" ({self.clock_jumps} times)" if self.clock_jumps > 1 else ""
            out.append(f"clock jumped {self.last_jump_ms / 1000:+.3f} s{times}")
        return out

    def note_clock(self, rtc_us: int, now: float) -> None:
        """A reading of its clock at ``now``: a jump is a step against the rate it runs at.

        A clock that runs steadily faster or slower than ours (a capture replayed at
        ``simulate --speed 10``) drifts by as much each second: that is no jump. The rate is
        the one since the steady stretch began (none yet: the first step is held until the
        next reading says whether it was a rate or a jump), not over the last interval alone:
        our stamp of a reading may be late (:data:`READING_LATE_S`), and over the half second
        of a first re-reading that made a clock 20 times as fast run at 18.5 instead of 19.
        A step that rate does not explain, past what a late stamp may make of it, is a jump
        (by what it does not explain), taken back when the next reading shows the same new
        rate.
        """
        offset = rtc_us // 1000 - round(now * 1000)
        before, noted_at = self.clock_offset_ms, self._clock_noted_at
        self.clock_offset_ms, self._clock_noted_at = offset, now
        if before is None or noted_at is None or now <= noted_at:
            return
        elapsed = now - noted_at
        step = offset - before
        rate = step / elapsed  # ms of drift a second, over this interval
        held, self._held_step = self._held_step, None
        if self._drift_ms_per_s is None:  # the first interval: rate or jump, not known yet
            if held is not None and abs(step - held[1] * elapsed) > _allowed(held[1], 1.0):
                self._jumped(held[0], noted_at, held[1])  # it did not go on at that rate
                self._steady_from = (offset, now)
            elif held is not None or abs(step) <= CLOCK_JUMP_MS:
                self._drift_ms_per_s = rate  # steady: at this rate from the start
                self._steady_from = (before, noted_at)
                return
            else:
                self._held_step = (step, rate)
                return
        drift = self._drift_ms_per_s or 0.0
        since = self._steady_from or (before, noted_at)
        stretch = noted_at - since[1]  # what the rate was measured over
        unexplained = step - drift * elapsed
        if abs(unexplained) <= _allowed(drift, elapsed / stretch if stretch > 0 else 1.0):
            if now > since[1]:
                self._drift_ms_per_s = (offset - since[0]) / (now - since[1])
            self._jump_rate = None
            return
        jump_rate = self._jump_rate
        if jump_rate is not None and abs(step - jump_rate * elapsed) <= _allowed(jump_rate, 1.0):
            self.clock_jumps -= 1  # the last "jump" was the start of this steady rate
            if not self.clock_jumps:
                self.last_jump_at = None
            self._drift_ms_per_s, self._jump_rate = rate, None
            self._steady_from = (before, noted_at)
            return
        self._jumped(round(unexplained), now, rate)
        self._steady_from = (offset, now)  # on at the same rate, from its new time

    def _jumped(self, step: int, at: float, rate: float) -> None:
        self.clock_jumps += 1
        self.last_jump_ms = step
        self.last_jump_at = at
        self._jump_rate = rate
        if self._drift_ms_per_s is None:
            self._drift_ms_per_s = 0.0  # a jump from the start: its clock runs as ours


def _allowed(drift_ms_per_s: float, reach: float) -> float:
    """How far a step may miss the rate ``drift_ms_per_s`` and be no jump: the threshold, and
    what a late stamp (:data:`READING_LATE_S`) of each end of the stretch the rate was measured
    over makes of it on a clock that drifts so fast, ``reach`` times that stretch ahead
    (nothing on a real decoder, whose clock keeps ours to a few ms an hour)."""
    return CLOCK_JUMP_MS + abs(drift_ms_per_s) * READING_LATE_S * (1 + reach)


@dataclass(slots=True)
class P3Session:
    """The one session a decoder feed builds: its settings and every event made so far."""

    settings: SessionSettings
    events: list[Event] = field(default_factory=list)
    zero_us: int | None = None  # decoder RTC time of session time zero
    zero_utc_us: int | None = None  # its UTC time, where the decoder sent one with it


EARLIEST_CLOCK_US = 946_684_800 * 1_000_000  # 2000-01-01 UTC: a clock before it was never set
DAY_US = 24 * 3600 * 1_000_000


def session_origin(session: P3Session, now: float) -> float | None:
    """Epoch seconds of session time zero, from the decoder's own clock at the passing that
    made it (as ``rmonitor_origin`` dates an RMonitor capture): its UTC time where the decoder
    sent one, else its RTC (µs since the Unix epoch). None when neither is a date: no passing
    on the finish line, a clock never set (counting from the decoder's start) or one more than
    a day past ``now`` (the import's moment)."""
    for clock in (session.zero_utc_us, session.zero_us):
        if clock is not None and EARLIEST_CLOCK_US <= clock <= now * 1_000_000 + DAY_US:
            return clock / 1_000_000
    return None


KeyOf = Callable[[str], str | None]


def _no_keys(_transponder: str) -> str | None:
    return None


class P3Mapper:
    """Reads decoder records in order; ``take`` returns the events they add to the session.

    ``lines``: what each decoder id times (every decoder not named is the finish line).
    ``key_of``: the car a transponder belongs to now (the entry list and the operator's
    assignments), needed for pit-lane events, which name a car.
    ``green_at_zero``: the green logged at time zero; None: in practice and qualifying, not in
    a race followed live (the operator gives it, F5). A capture imported is a record, which
    takes no flag: its race is green at zero too, or every crossing read before the green.
    """

    def __init__(
        self,
        name: str = "P3 decoder",
        lines: dict[int, TimingLine] | None = None,
        entries: Iterable[CompetitorSet] = (),
        key_of: KeyOf | None = None,
        kind: SessionKind = SessionKind.PRACTICE,
        green_at_zero: bool | None = None,
    ) -> None:
        self.lines = dict(lines or {})
        self._green_at_zero = (
            kind is not SessionKind.RACE if green_at_zero is None else green_at_zero
        )
        entered = list(entries)
        by_transponder = {t: c.key for c in entered for t in c.transponders}
        self._key_of = key_of or (lambda t: by_transponder.get(t))
        settings = SessionSettings(name=name, kind=kind, min_lap_ms=P3_MIN_LAP_MS)
        self.session = P3Session(settings, list(entered))
        self._pending_setup: list[Event] = list(entered)
        self.skipped: list[P3Skipped] = []
        # passings the decoder sent again (a RESEND after a dropped link): kept once, not
        # skipped (nothing is lost; they read as "N part(s) skipped" on every reconnect)
        self.resent = 0
        self.health: dict[int | None, DecoderHealth] = {}
        self._seen: set[tuple[int | None, int]] = set()
        self.last_passing_number: int | None = None  # the highest taken, any decoder
        self.decoder_clock_us: int | None = None  # the last time a decoder said it was

    def session_ms(self, rtc_us: int | None) -> int | None:
        """A decoder time as session time (None before the session's time zero is known)."""
        zero = self.session.zero_us
        if rtc_us is None or zero is None or rtc_us < zero:
            return None
        return (rtc_us - zero) // 1000

    def set_key_of(self, key_of: KeyOf) -> None:
        self._key_of = key_of

    def line_of(self, decoder_id: int | None) -> TimingLine:
        return self.lines.get(decoder_id, FINISH) if decoder_id is not None else FINISH

    def take(self, records: Iterable[P3Record | P3Skipped], now: float = 0.0) -> list[Event]:
        """Apply records received at ``now`` (our wall clock, s); the new events."""
        events: list[Event] = self._pending_setup
        self._pending_setup = []
        for record in records:
            if isinstance(record, P3Skipped):
                self.skipped.append(record)
                continue
            health = self._health(record.decoder_id)
            health.heard_at = now
            match record.type:
                case RecordType.PASSING:
                    events += self._passing(record, health, now)
                case RecordType.STATUS:
                    health.status = as_status(record)
                case RecordType.GET_TIME:
                    rtc = record.number(0x01)
                    if rtc:
                        health.note_clock(rtc, now)
                        self.decoder_clock_us = rtc
                case RecordType.ERROR:
                    code = record.number(0x01)
                    text = record.text(0x02) or ERROR_CODES.get(code or 0, "")
                    self.skipped.append(
                        P3Skipped(f"the decoder reported error {code}: {text}".rstrip(": "))
                    )
                case (
                    RecordType.VERSION
                    | RecordType.RESEND
                    | RecordType.CLEAR_PASSING
                    | RecordType.PING
                ):
                    pass  # known, and nothing for the board (the decoder heard of, above)
                case _:
                    self.skipped.append(P3Skipped(f"record of unknown type {record.type_name}"))
        self.session.events += events
        return events

    def take_in_turn(
        self, records: Iterable[P3Record | P3Skipped], now: float = 0.0
    ) -> Iterator[list[Event]]:
        """Like :meth:`take`, in groups: each group is to be applied before the next is made.

        A crossing of a pit or sector line names its car by ``key_of``, which asks the board;
        the passings before it (perhaps the first of an unknown transponder) must be on the
        board by then.
        """
        group: list[P3Record | P3Skipped] = []
        for record in records:
            if group and self._needs_board(record):
                yield self.take(group, now)
                group = []
            group.append(record)
        if group:
            yield self.take(group, now)

    def _needs_board(self, record: P3Record | P3Skipped) -> bool:
        return (
            isinstance(record, P3Record)
            and record.type == RecordType.PASSING
            and self.line_of(record.decoder_id).kind is not LineKind.FINISH
        )

    def rename(self, name: str) -> list[Event]:
        settings = SessionSettings(
            name=name, kind=self.session.settings.kind, min_lap_ms=P3_MIN_LAP_MS
        )
        self.session.settings = settings
        event = SettingsChanged(settings=settings)
        self.session.events.append(event)
        return [event]

    def _health(self, decoder_id: int | None) -> DecoderHealth:
        health = self.health.get(decoder_id)
        if health is None:
            health = self.health[decoder_id] = DecoderHealth(decoder_id)
        return health

    def _passing(self, record: P3Record, health: DecoderHealth, now: float) -> list[Event]:
        passing = as_passing(record)
        if isinstance(passing, P3Skipped):
            self.skipped.append(passing)
            return []
        what = f"passing {passing.passing_number}"
        if (passing.decoder_id, passing.passing_number) in self._seen:
            self.resent += 1
            return []
        line = self.line_of(passing.decoder_id)
        session = self.session
        events: list[Event] = []
        if session.zero_us is None:
            if line.kind is not LineKind.FINISH:
                self.skipped.append(P3Skipped(f"{what} on the {line} before any on the finish"))
                return []
            session.zero_us = passing.rtc_us
            session.zero_utc_us = passing.utc_us
            if self._green_at_zero:
                events.append(FlagChanged(time_ms=0, flag=Flag.GREEN))
        time_ms = (passing.rtc_us - session.zero_us) // 1000
        if time_ms < 0:
            self.skipped.append(P3Skipped(f"{what} timed before the session's time zero"))
            return []
        self._seen.add((passing.decoder_id, passing.passing_number))
        health.passings += 1
        number = passing.passing_number
        if health.last_passing_number is None or number > health.last_passing_number:
            health.last_passing_number = number
        if self.last_passing_number is None or number > self.last_passing_number:
            self.last_passing_number = number
        transponder = transponder_label(passing)
        if line.kind is LineKind.FINISH:
            events.append(Passing(time_ms=time_ms, transponder=transponder, source=Source.DECODER))
        elif line.kind in (LineKind.PIT_IN, LineKind.PIT_OUT):
            key = self._key_of(transponder)
            if key is None:
                self.skipped.append(
                    P3Skipped(f"{what} on the {line}: transponder {transponder} is no car's yet")
                )
                return events
            entered = line.kind is LineKind.PIT_IN
            events.append(PitLane(key=key, time_ms=time_ms, entered=entered, source=Source.DECODER))
        else:
            key = self._key_of(transponder)
            if key is None:
                self.skipped.append(
                    P3Skipped(f"{what} on {line}: transponder {transponder} is no car's yet")
                )
                return events
            events.append(
                SectorCrossing(key=key, time_ms=time_ms, sector=line.sector, source=Source.DECODER)
            )
        return events


SCHEME = "p3://"


def parse_p3_address(text: str) -> tuple[str, int]:
    """``p3://HOST:PORT`` (or without the port: 5403, the decoders' own); ValueError if not."""
    address = text.strip()
    if address.lower().startswith(SCHEME):
        address = address[len(SCHEME) :]
    found = host_and_port(address.rstrip("/"), DEFAULT_PORT)
    if found is None:
        raise ValueError(f"{text!r} is not p3://HOST:PORT (for example p3://192.168.1.30:5403)")
    return found


def read_entry_list(text: str) -> list[CompetitorSet]:
    """An entry list as CSV: ``car,driver,transponder[,team[,class]]``, a header line allowed.

    Several transponders of one car are separated by ``;``. A bad line raises ValueError
    naming it.
    """
    import csv
    import io

    entries: dict[str, CompetitorSet] = {}
    owners: dict[str, str] = {}
    for number, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        cells = [c.strip() for c in row]
        if not any(cells) or cells[0].startswith("#"):
            continue
        if number == 1 and cells[0].lower() in ("car", "number", "no", "#"):
            continue
        if len(cells) < 3 or not cells[0]:
            raise ValueError(f"entry list line {number}: give car,driver,transponder")
        car, driver, transponders = cells[0], cells[1], cells[2]
        tags = tuple(t.strip() for t in transponders.split(";") if t.strip())
        for tag in tags:
            if tag in owners:
                raise ValueError(
                    f"entry list line {number}: transponder {tag} is already car {owners[tag]}'s"
                )
            owners[tag] = car
        if car in entries:
            raise ValueError(f"entry list line {number}: car {car} is entered twice")
        entries[car] = CompetitorSet(
            key=car,
            car=car,
            driver=driver,
            team=cells[3] if len(cells) > 3 else "",
            car_class=cells[4] if len(cells) > 4 else "",
            transponders=tags,
            grid=len(entries) + 1,
        )
    return list(entries.values())
