"""P3 records to the board: laps, resends counted once, timing lines, unknown transponders."""

from __future__ import annotations

import itertools

import pytest
from p3_captures import LONG, needs_captures, wires

from timingboard.engine import TimingEngine
from timingboard.engine.events import (
    AssignTransponder,
    CompetitorSet,
    Flag,
    FlagChanged,
    LogEntry,
    Passing,
    PitLane,
    Revert,
)
from timingboard.engine.validation import InvalidEvent
from timingboard.feeds.p3_parser import (
    P3Record,
    P3StreamDecoder,
    RecordType,
    as_passing,
    decode_record,
    encode_record,
    passing,
)
from timingboard.feeds.p3_session import (
    P3_MIN_LAP_MS,
    LineKind,
    P3Mapper,
    TimingLine,
    parse_line,
    parse_lines,
)


def _engine(events) -> TimingEngine:
    mapper_settings = P3Mapper().session.settings
    return TimingEngine.from_log(
        mapper_settings, [LogEntry(i + 1, e) for i, e in enumerate(events)]
    )


def _records(path=LONG) -> list:
    return [decode_record(w) for w in wires(path)]


@needs_captures
def test_the_capture_s_passings_become_laps_timed_by_the_decoder_clock() -> None:
    mapper = P3Mapper()
    events = mapper.take(_records())
    assert events[0] == FlagChanged(time_ms=0, flag=Flag.GREEN)
    engine = _engine(events)
    # an independent count: each transponder's passings in RTC order, less its first, and less
    # a read within the shortest lap of the one before (one in the capture, 2.8 s after a lap)
    passings = [as_passing(r) for r in _records() if r.type == RecordType.PASSING]
    by_car: dict[str, list[int]] = {}
    for p in sorted(passings, key=lambda p: p.rtc_us):
        times = by_car.setdefault(str(p.transponder), [])
        if not times or p.rtc_us // 1000 - times[-1] >= P3_MIN_LAP_MS:
            times.append(p.rtc_us // 1000)
    for transponder, times in by_car.items():
        standing = engine.standing(f"?T{transponder}")
        assert standing.car == f"T{transponder}"  # shown with its number
        laps = [b - a for a, b in itertools.pairwise(times)]
        assert standing.laps == len(laps)
        assert standing.best_lap_ms == min(laps)
        assert standing.last_lap_ms == laps[-1]


@needs_captures
def test_a_resent_passing_never_counts_twice() -> None:
    mapper = P3Mapper()
    first = mapper.take(_records())
    again = mapper.take(_records())
    assert [e for e in again if isinstance(e, Passing)] == []
    assert mapper.resent == 84  # kept once, and not among the parts skipped
    assert not any("sent again" in s.reason for s in mapper.skipped)
    assert len([e for e in first if isinstance(e, Passing)]) == 84


def test_passings_go_to_the_car_of_the_transponder_in_the_entry_list() -> None:
    entries = [CompetitorSet(key="31", car="31", driver="Justin Haley", transponders=("1031",))]
    mapper = P3Mapper(entries=entries)
    records = [passing(n, 1031, 1_000_000_000 + n * 40_000_000, decoder_id=1) for n in range(4)]
    engine = _engine(mapper.take(records))
    assert engine.order() == ["31"]
    assert engine.standing("31").laps == 3
    assert engine.standing("31").best_lap_ms == 40_000


def test_pit_lines_make_pit_lane_events_for_known_cars_and_say_why_not_for_others() -> None:
    entries = [CompetitorSet(key="8", car="8", transponders=("1008",))]
    lines = {1: TimingLine(), 2: TimingLine(LineKind.PIT_IN), 3: TimingLine(LineKind.PIT_OUT)}
    mapper = P3Mapper(lines=lines, entries=entries)
    zero = 1_600_000_000_000_000
    events = mapper.take(
        [
            passing(1, 1008, zero + 40_000_000, decoder_id=2),  # pit in before any finish
            passing(1, 1008, zero, decoder_id=1),
            passing(2, 1008, zero + 60_000_000, decoder_id=2),
            passing(3, 1008, zero + 90_000_000, decoder_id=3),
            passing(4, 4444, zero + 95_000_000, decoder_id=3),
        ]
    )
    pits = [e for e in events if isinstance(e, PitLane)]
    assert pits == [
        PitLane(key="8", time_ms=60_000, entered=True, source=pits[0].source),
        PitLane(key="8", time_ms=90_000, entered=False, source=pits[0].source),
    ]
    reasons = [s.reason for s in mapper.skipped]
    assert "passing 1 on the pit in before any on the finish" in reasons
    assert "passing 4 on the pit out: transponder 4444 is no car's yet" in reasons
    engine = _engine(events)
    assert engine.standing("8").pit_stops == 1


def test_an_unknown_record_type_is_skipped_with_a_reason_and_nothing_else_lost() -> None:
    mapper = P3Mapper()
    stream = (
        encode_record(passing(1, 5, 10_000_000_000))
        + encode_record(P3Record(0x0777, ((1, b"x"),)))
        + b"junk"
        + encode_record(passing(2, 5, 10_050_000_000))
    )
    events = mapper.take(P3StreamDecoder().feed(stream))
    assert len([e for e in events if isinstance(e, Passing)]) == 2
    assert [s.reason for s in mapper.skipped] == [
        "record of unknown type 0x0777",
        "4 byte(s) between records",
    ]


def test_timing_lines_are_read_from_what_an_operator_types() -> None:
    assert parse_line("Pit-In") == TimingLine(LineKind.PIT_IN)
    assert parse_line("sector 2") == TimingLine(LineKind.SECTOR, 2)
    assert parse_lines("0x41813=finish, 7=pit out") == {
        0x41813: TimingLine(),
        7: TimingLine(LineKind.PIT_OUT),
    }
    with pytest.raises(ValueError, match="not a timing line"):
        parse_line("pits")
    with pytest.raises(ValueError, match="not a decoder id"):
        parse_lines("abc=finish")


def test_an_unknown_transponder_is_assigned_to_a_car_and_the_assignment_undone() -> None:
    zero = 1_600_000_000_000_000
    mapper = P3Mapper(entries=[CompetitorSet(key="16", car="16", driver="AJ Allmendinger")])
    events = mapper.take([passing(n, 777, zero + n * 30_000_000) for n in range(3)])
    engine = _engine(events)
    assert engine.order() == ["?T777", "16"]
    assert engine.unknown_transponder("?T777") == "777"
    assign = AssignTransponder(transponder="777", key="16", operator="op", reason="spare kart")
    engine.apply([LogEntry(engine.seq + 1, assign)])
    assert engine.order() == ["16"]
    assert engine.standing("16").laps == 2
    assert engine.transponder_owner("777") == "16"
    rebuilt = TimingEngine.from_log(engine.settings, engine.log)
    assert rebuilt.standings() == engine.standings()
    engine.apply([LogEntry(engine.seq + 1, Revert(correction_id=engine.seq))])
    assert engine.standing("?T777").laps == 2 and engine.standing("16").laps == 0
    with pytest.raises(InvalidEvent, match="no entered car"):
        engine.validate(AssignTransponder(transponder="777", key="?T777"))


def test_a_decoder_error_is_reported_to_the_operator() -> None:
    mapper = P3Mapper()
    mapper.take([P3Record(RecordType.ERROR, ((1, b"\x01\x00"),))])
    assert [s.reason for s in mapper.skipped] == ["the decoder reported error 1: CRC error"]


def test_a_race_starts_at_the_operators_green_not_at_the_first_passing() -> None:
    from timingboard.engine.car import PassingStatus
    from timingboard.engine.settings import SessionKind

    zero = 1_600_000_000_000_000
    mapper = P3Mapper(kind=SessionKind.RACE)
    events = mapper.take([passing(n, 9, zero + n * 30_000_000) for n in range(4)])
    assert not [e for e in events if isinstance(e, FlagChanged)]
    assert mapper.session_ms(zero + 45_000_000) == 45_000
    assert mapper.session_ms(zero - 1) is None
    log = [*events, FlagChanged(time_ms=45_000, flag=Flag.GREEN)]  # F5 at 0:45
    engine = TimingEngine.from_log(
        mapper.session.settings, [LogEntry(i + 1, e) for i, e in enumerate(log)]
    )
    assert engine.settings.is_race
    statuses = [engine.passing_status(pid) for _t, pid in engine.entries["?T9"].timing.crossings]
    assert statuses[:2] == [PassingStatus.BEFORE_START, PassingStatus.BEFORE_START]
    assert engine.standing("?T9").laps == 1  # 0:60 starts it, 0:90 completes lap 1
