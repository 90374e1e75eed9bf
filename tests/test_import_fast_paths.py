"""The shortcuts ``import`` takes through a long stream read it exactly as the long way does:
the plain ``$J`` line, the nearest crossing of a car, the range check of a record."""

from __future__ import annotations

import bisect
import re
import subprocess
import sys
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from timingboard.demo.endurance import CarClass, Workload, generate
from timingboard.demo.rmonitor_stream import rmonitor_stream
from timingboard.engine import LogEntry, TimingEngine
from timingboard.feeds import rmonitor_join
from timingboard.feeds.rmonitor_join import _near, out_of_range
from timingboard.feeds.rmonitor_parser import RMonitorParser, parse_bytes, parse_line, scan
from timingboard.feeds.rmonitor_records import (
    Competitor,
    HistoricalLap,
    Init,
    LinePassing,
    RacePosition,
    Run,
    Skipped,
)
from timingboard.feeds.rmonitor_session import RMonitorMapper
from timingboard.feeds.rmonitor_writer import rm_time
from timingboard.store import SessionRecorder


def _edited(line: str, edits: list[tuple[int, str, bool]]) -> str:
    for at, text, replace in edits:
        at %= len(line) + 1
        line = line[:at] + text + line[at + replace :]
    return line


EDITS = st.lists(
    st.tuples(
        st.integers(0, 80),
        st.sampled_from(["", "0", "7", ".", ":", '"', ",", "-", " ", "$", "$G,", "٣", "\t", "é"]),
        st.booleans(),
    ),
    max_size=2,
)
PASSING_LINE = st.builds(
    lambda reg, lap, total, edits: _edited(
        f'$J,"{reg}","{rm_time(lap)}","{rm_time(total)}"', edits
    ),
    st.text(st.sampled_from("12345aZ"), min_size=1, max_size=3),
    st.integers(0, 10**8),
    st.integers(0, 10**10),
    EDITS,
)


@settings(max_examples=1500, deadline=None)
@given(PASSING_LINE)
def test_a_passing_line_reads_as_the_general_parser_reads_it(line: str) -> None:
    assert parse_bytes(line.encode() + b"\n") == parse_line(line)


OTHER_LINE = st.sampled_from(
    [
        "",
        "   ",
        '$F,14,"00:12:45","13:34:23","00:09:47","Green "',
        '$A,"1","1",52474,"John","Johnson","USA",5',
        '$G,3,"1",14,"01:12:47.872"',
        "## 2026-12-02 10:00:00.000",
        '2026-12-02T10:00:00.000Z $J,"7","00:00:42.000","00:10:00.000"',
        'junk $J,"7","00:00:42.000","00:10:00.000"',
        '$J,"7","00:00:42.000","00:10:00.000"$J,"8","00:00:43.000","00:10:01.000"',
        '$J,"7","00:00:42.000","00:10:00.000" ',
        '$J,"  ","00:00:42.000","00:10:00.000"',
        '\ufeff$B,5,"Race"',
    ]
)
SEPARATOR = st.sampled_from(["\n", "\r\n", "\r", "\r\r\n", "\n\n"])


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(st.one_of(PASSING_LINE, OTHER_LINE), SEPARATOR), max_size=12))
def test_a_chunk_of_lines_reads_as_its_lines_one_by_one(lines: list[tuple[str, str]]) -> None:
    """A chunk is read in one scan: the same records, in order, as reading each line."""
    chunk = "".join(line + end for line, end in lines)
    cleaned = chunk.replace("\ufeff", "")  # byte-order marks go before lines are read
    one_by_one = [r for line in re.split(r"[\r\n]+", cleaned) for r in parse_line(line)]
    assert parse_bytes(chunk.encode()) == one_by_one
    assert parse_bytes(chunk.encode("utf-8") + b"\xff\n")[: len(one_by_one)] == one_by_one


def test_the_plain_passing_line_is_read_at_all() -> None:
    odd = '$J,"31","00:75:99.000","99:99:99.999"'  # minutes and seconds past 59 read alike
    assert (
        parse_bytes(odd.encode() + b"\n")
        == parse_line(odd)
        == [LinePassing("31", (75 * 60 + 99) * 1000, ((99 * 60 + 99) * 60 + 99) * 1000 + 999)]
    )
    assert parse_bytes(b'$J,"31","00:00:13.413","24:05:46.540"\r\n') == [
        LinePassing("31", 13_413, 86_746_540)
    ]


def _near_as_it_was(times: list[int], time_ms: int, within_ms: int) -> int | None:
    at = bisect.bisect_left(times, time_ms)
    near = [t for t in times[max(0, at - 1) : at + 1] if abs(t - time_ms) <= within_ms]
    return min(near, key=lambda t: abs(t - time_ms)) if near else None


@settings(max_examples=1000, deadline=None)
@given(
    st.lists(st.integers(-50, 50), max_size=8).map(sorted),
    st.integers(-60, 60),
    st.integers(-2, 20),
)
def test_the_nearest_crossing_is_found_as_before(times: list[int], at: int, within: int) -> None:
    assert _near(times, at, within) == _near_as_it_was(times, at, within)


def _out_of_range_as_it_was(record: object) -> str:
    for name in rmonitor_join._TIME_FIELDS:
        value = getattr(record, name, None)
        if value is not None and abs(value) > rmonitor_join.MAX_TIME_MS:
            return f"{name.removesuffix('_ms').replace('_', ' ')} beyond ten days"
    for name in rmonitor_join._LAP_FIELDS:
        value = getattr(record, name, None)
        if value is not None and value > rmonitor_join.MAX_LAPS:
            return f"{value} laps is not a lap count"
    return ""


BIG = st.none() | st.integers(-(10**10), 10**10)


@given(
    st.one_of(
        st.builds(LinePassing, st.just("1"), BIG, BIG),
        st.builds(RacePosition, st.just(1), st.just("1"), BIG, BIG),
        st.builds(HistoricalLap, st.just("1"), BIG, BIG, BIG, st.just(""), BIG),
        st.builds(Skipped, st.just("x"), st.just("y")),
    )
)
def test_a_record_out_of_range_is_found_as_before(record: object) -> None:
    assert out_of_range(record) == _out_of_range_as_it_was(record)


def test_import_of_a_long_stream_matches_the_board_it_was_written_from(tmp_path: Path) -> None:
    """Our own stream of a race with classes and pit stops, imported by the command."""
    classes = (CarClass("Prototype", 6, 1.0), CarClass("GT", 6, 1.1))
    workload = Workload("12 cars", 12, 40, 42_000, 1.5, classes=classes, stint_laps=15)
    settings_, events = generate(workload, seed=4)
    stream = tmp_path / "stream.txt"
    stream.write_bytes(rmonitor_stream(settings_, events))
    run = subprocess.run(
        [sys.executable, "-m", "timingboard", "import", str(stream), "-o", str(tmp_path / "i.tbs")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    assert "12 car(s)" in run.stdout and "agrees with $G (laps) over 12 car(s)" in run.stdout
    imported = SessionRecorder.open(tmp_path / "i.tbs", read_only=True)
    source = TimingEngine.from_log(settings_, [LogEntry(i, e) for i, e in enumerate(events, 1)])
    assert [(r.key, r.car_class, r.laps) for r in imported.engine.standings()] == [
        (r.key, r.car_class, r.laps) for r in source.standings()
    ]
    imported.close()


def _crossings(draw: st.DrawFn) -> list[object]:
    """A stream's records: a run, its cars, crossings of up to three cars a lap apart, with
    the turns a real stream takes (a crossing sent again or re-timed, one missed, one out of
    order, one at race time zero, a lap time reaching back past what was seen, a reset, a new
    run)."""
    records: list[object] = [Run(1, "Race"), *(Competitor(r, r, "", "", "", "", "1") for r in "12")]
    clock = {reg: 0 for reg in "123"}
    last_lap = {reg: 0 for reg in "123"}
    for _ in range(draw(st.integers(0, 30))):
        reg = draw(st.sampled_from("123"))
        turn = draw(
            st.sampled_from(
                ["next"] * 8
                + [
                    "again",
                    "retimed",
                    "missed",
                    "back",
                    "zero",
                    "reach",
                    "reset",
                    "run",
                    "none",
                    "huge",
                ]
            )
        )
        lap = draw(st.integers(4000, 90_000))
        if turn == "again":  # the last crossing sent again, maybe re-timed by a few ms
            shift = draw(st.integers(-40, 40))
            records.append(LinePassing(reg, last_lap[reg] + shift, max(1, clock[reg] + shift)))
            continue
        if turn == "zero":
            records.append(LinePassing(reg, 0, 0))
            continue
        if turn == "reset":
            records.append(Init("10:00:00", "2026-12-02"))
            continue
        if turn == "run":
            records.append(Run(draw(st.integers(1, 3)), "Heat"))
            continue
        before = clock[reg]
        clock[reg] += lap * (2 if turn == "missed" else 1)
        total = clock[reg] + (draw(st.integers(-40, 40)) if turn == "retimed" else 0)
        lap_ms = {"reach": lap * 3, "none": None, "huge": 10**13}.get(turn, total - before)
        if turn == "back":
            total, lap_ms = max(1, before - draw(st.integers(1, 3000))), lap
        records.append(LinePassing(reg, lap_ms, total))
        last_lap[reg] = lap_ms or 0
    return records


@settings(max_examples=600, deadline=None)
@given(st.composite(_crossings)())
def test_a_capture_read_at_once_maps_as_its_records_one_by_one(records: list[object]) -> None:
    """``read`` takes a car's next crossing in place: the same sessions, events, counts and
    skips as ``take``, record by record, gives."""
    at_once, one_by_one = RMonitorMapper(), RMonitorMapper()
    at_once.read(records)  # type: ignore[arg-type]
    for record in records:
        one_by_one.take([record])  # type: ignore[list-item]
    assert at_once.sessions == one_by_one.sessions
    assert at_once.skip_reasons == one_by_one.skip_reasons
    assert at_once.resent_reasons == one_by_one.resent_reasons
    assert list(at_once.skipped) == list(one_by_one.skipped)
    assert at_once._recent == one_by_one._recent and at_once._held == one_by_one._held


def _line(record: object) -> str:
    """A record of :func:`_crossings` as a stream sends it."""
    if isinstance(record, LinePassing):
        lap = rm_time(record.lap_ms) if record.lap_ms is not None else ""
        return f'$J,"{record.reg}","{lap}","{rm_time(record.total_ms)}"'
    if isinstance(record, Run):
        return f'$B,{record.number},"{record.description}"'
    if isinstance(record, Init):
        return f'$I,"{record.time_of_day}","{record.date}"'
    assert isinstance(record, Competitor)
    return f'$A,"{record.reg}","{record.car}",0,"","","",{record.class_no}'


@settings(max_examples=400, deadline=None)
@given(st.composite(_crossings)(), st.sampled_from(["\n", "\r\n"]), st.integers(1, 200))
def test_a_stream_read_from_its_lines_fields_maps_as_its_records(
    records: list[object], end: str, chunk: int
) -> None:
    """``read_rows`` takes a car's next crossing from its line's fields: the same sessions,
    events, counts and skips as ``read`` of the records the lines make, in chunks of any
    size (a line cut between two chunks included)."""
    data = "".join(_line(record) + end for record in records).encode() + b'$J,"1","00:00'
    from_rows, from_records = RMonitorMapper(), RMonitorMapper()
    parser = RMonitorParser()
    for at in range(0, len(data), chunk):
        skipped, rows = parser.feed_rows(data[at : at + chunk])
        from_rows.read(skipped)
        from_rows.read_rows(rows)
    from_rows.read(parser.flush())
    from_records.read(parse_bytes(data))
    assert from_rows.sessions == from_records.sessions
    assert from_rows.skip_reasons == from_records.skip_reasons
    assert from_rows.resent_reasons == from_records.resent_reasons
    assert list(from_rows.skipped) == list(from_records.skipped)
    assert from_rows._recent == from_records._recent and from_rows._held == from_records._held


def test_a_line_too_long_is_skipped_as_ever_by_rows() -> None:
    parser = RMonitorParser()
    skipped, rows = parser.feed_rows(b"x" * (70 * 1024))
    assert rows == [] and skipped == RMonitorParser().feed(b"x" * (70 * 1024))
    assert scan(b'$J,"7","00:00:42.000","00:10:00.000"\n')[0][-1] == ""
