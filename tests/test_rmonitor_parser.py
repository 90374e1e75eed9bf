"""The RMonitor parser survives what real streams hold, and never raises."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from timingboard.feeds.rmonitor_parser import (
    RMonitorParser,
    parse_bytes,
    parse_line,
    parse_time,
)
from timingboard.feeds.rmonitor_records import (
    Competitor,
    CompetitorExt,
    Heartbeat,
    LinePassing,
    PracticePosition,
    RacePosition,
    Received,
    Run,
    Skipped,
)

STREAM = (
    b'\xef\xbb\xbf$B,25,"Test Race"\r\n'
    b'$A,"31","31",1031,"Justin","Haley","USA",1\r\r\n'
    b"##2025-04-26 13:58:48.222\r\n"
    b'2025-04-26T13:58:49.100Z $F,9999,"00:04:58","23:20:26","00:00:01","Green "\n'
    b'$J,"31","00:00:00.000","00:00:02.051"\n'
    b"garbage line\n"
    b'$J,"31","00:00:13.4$G,1,"31",1,"00:00:15.464"\r\n'
    b'$H,1,"31",1,"00:00:13.413"\n'
    b'$RMCA,"x"\n'
    b'$G,2,"8",,""\n'
)


def _kinds(records: list) -> list[str]:
    return [type(r).__name__ for r in records]


def test_real_stream_oddities_are_read_and_reported() -> None:
    records = parse_bytes(STREAM)
    assert _kinds(records) == [
        "Run",
        "Competitor",
        "Received",  # the ## header (UTC)
        "Received",  # the ISO time before the $F
        "Heartbeat",
        "LinePassing",
        "Skipped",  # garbage line
        "Skipped",  # $J cut short and run into the $G
        "RacePosition",
        "PracticePosition",
        "Skipped",  # $RMCA is not used
        "RacePosition",
    ]
    assert records[0] == Run(25, "Test Race")
    assert records[1] == Competitor("31", "31", "1031", "Justin", "Haley", "USA", "1")
    assert records[2] == Received(datetime(2025, 4, 26, 13, 58, 48, 222000, UTC).timestamp())
    assert records[3] == Received(datetime(2025, 4, 26, 13, 58, 49, 100000, UTC).timestamp())
    assert records[4] == Heartbeat(9999, 298_000, "23:20:26", 1000, "green")
    assert records[5] == LinePassing("31", 0, 2051)
    assert records[8] == RacePosition(1, "31", 1, 15464)
    assert records[9] == PracticePosition(1, "31", 1, 13413)
    assert records[11] == RacePosition(2, "8", None, None)  # empty fields stay empty
    reasons = [r.reason for r in records if isinstance(r, Skipped)]
    assert reasons == [
        "not a record",
        "$J record cut short (2 of 3 fields)",
        "record $RMCA is not used",
    ]


def test_a_comp_record_may_leave_off_its_last_field() -> None:
    """``$COMP`` is ``$A`` with one more field (team, make or status), which may be missing."""
    assert parse_line('$COMP,"31","31",1,"Justin","Haley","USA"') == [
        CompetitorExt("31", "31", "1", "Justin", "Haley", "USA", "")
    ]
    assert parse_line('$COMP,"31","31",1,"Justin","Haley","USA","Kaulig"')[0] == CompetitorExt(
        "31", "31", "1", "Justin", "Haley", "USA", "Kaulig"
    )


def test_times() -> None:
    assert parse_time('"00:00:13.413"') == 13413
    assert parse_time("25:00:00.000") == 90_000_000  # hours pass 24
    assert parse_time("00:05:00") == 300_000
    assert parse_time("00:00:-47") == -47_000  # countdown before the start
    assert parse_time("") is None


@settings(max_examples=300)
@given(st.binary(max_size=2000))
def test_random_bytes_never_raise(data: bytes) -> None:
    parser = RMonitorParser()
    for record in [*parser.feed(data), *parser.flush()]:
        assert record is not None


@settings(max_examples=300)
@given(
    st.lists(
        st.sampled_from([b"$", b",", b'"', b"\r", b"\n", b"J", b"G", b"1", b":", b"."]),
        max_size=300,
    )
)
def test_record_shaped_noise_never_raises(parts: list[bytes]) -> None:
    parse_bytes(b"".join(parts))


@given(st.lists(st.integers(1, len(STREAM) - 1), max_size=20))
def test_any_chunking_gives_the_same_records(cuts: list[int]) -> None:
    parser = RMonitorParser()
    records = []
    edges = [0, *sorted(set(cuts)), len(STREAM)]
    for start, end in itertools.pairwise(edges):
        records += parser.feed(STREAM[start:end])
    records += parser.flush()
    assert records == parse_bytes(STREAM)


def test_a_line_with_no_end_is_given_up_after_64_kib() -> None:
    parser = RMonitorParser()
    assert parser.feed(b"$J," + b"x" * 70_000)[0].reason == "no line end in 64 KiB"
    assert parser.feed(b'$B,1,"ok"\n') == [Run(1, "ok")]
