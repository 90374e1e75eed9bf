"""The decoder side without Qt: the address typed, the entry list, a decoder's health."""

from __future__ import annotations

import pytest

from timingboard.engine import CompetitorSet
from timingboard.feeds.p3_session import (
    CLOCK_JUMP_MS,
    DEFAULT_PORT,
    JUMP_SHOWN_S,
    SILENT_AFTER_S,
    DecoderHealth,
    P3Mapper,
    parse_p3_address,
    read_entry_list,
)


@pytest.mark.parametrize(
    ("typed", "address"),
    [
        ("p3://192.168.1.30:5403", ("192.168.1.30", 5403)),
        ("P3://decoder.local:1", ("decoder.local", 1)),
        ("  10.0.0.5/ ", ("10.0.0.5", DEFAULT_PORT)),
        ("p3://[fe80::1]:65535", ("fe80::1", 65535)),
        ("p3://[fe80::1]", ("fe80::1", DEFAULT_PORT)),
    ],
)
def test_a_decoder_address_is_host_and_port(typed: str, address: tuple[str, int]) -> None:
    assert parse_p3_address(typed) == address
    assert DEFAULT_PORT == 5403


@pytest.mark.parametrize(
    "typed", ["", "p3://", "host:0", "host:65536", "host:port", "a..b:5403", "-x:1", "host:"]
)
def test_an_address_that_is_not_one_is_refused_with_an_example(typed: str) -> None:
    with pytest.raises(ValueError) as refused:
        parse_p3_address(typed)
    assert str(refused.value) == (
        f"{typed!r} is not p3://HOST:PORT (for example p3://192.168.1.30:5403)"
    )


def test_an_entry_list_is_car_driver_transponders_team_class_in_grid_order() -> None:
    text = (
        "car,driver,transponder,team,class\n"
        "31,Justin Haley,1031;2031,Kaulig Racing,Cup\n"
        "\n"
        "# a comment\n"
        " 8 , Kyle Busch , 1008 \n"
    )
    assert read_entry_list(text) == [
        CompetitorSet(
            key="31",
            car="31",
            driver="Justin Haley",
            team="Kaulig Racing",
            car_class="Cup",
            transponders=("1031", "2031"),
            grid=1,
        ),
        CompetitorSet(key="8", car="8", driver="Kyle Busch", transponders=("1008",), grid=2),
    ]


def test_a_first_line_of_numbers_is_not_a_header() -> None:
    assert [c.car for c in read_entry_list("31,Haley,1031\n8,Busch,1008\n")] == ["31", "8"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("31,Haley\n", "entry list line 1: give car,driver,transponder"),
        ("31,Haley,1\n,Busch,2\n", "entry list line 2: give car,driver,transponder"),
        ("31,Haley,1\n8,Busch,1\n", "entry list line 2: transponder 1 is already car 31's"),
        ("31,Haley,1\n31,Busch,2\n", "entry list line 2: car 31 is entered twice"),
    ],
)
def test_a_bad_entry_list_line_is_named(text: str, message: str) -> None:
    with pytest.raises(ValueError) as refused:
        read_entry_list(text)
    assert str(refused.value) == message


def test_a_decoder_silent_too_long_is_said_to_be() -> None:
    health = DecoderHealth(7, heard_at=100.0)
    assert health.warnings(100.0 + SILENT_AFTER_S) == []
    assert health.warnings(100.5 + SILENT_AFTER_S) == ["silent for 16 s"]


def test_a_clock_jump_is_shown_for_a_minute_with_how_often() -> None:
    health = DecoderHealth(7)
    health.note_clock(5_000_000_000, now=1000.0)  # its clock 5000 s, ours 1000 s
    health.note_clock(5_001_000_000 + CLOCK_JUMP_MS * 1000, now=1001.0)  # 1 s jump: not one
    assert (health.clock_jumps, health.warnings(1001.0)) == (0, [])
    # a jump is said by what the rate its clock ran at (+1 s a second, so far) does not explain
    health.note_clock(5_002_000_000 + 3_500_000, now=1002.0)
    assert health.clock_jumps == 1 and health.last_jump_ms == 1500
    assert health.warnings(1002.0 + JUMP_SHOWN_S) == ["clock jumped +1.500 s"]
    assert health.warnings(1002.5 + JUMP_SHOWN_S) == []
    health.note_clock(5_003_000_000, now=1003.0)
    assert health.warnings(1003.0) == ["clock jumped -4.500 s (2 times)"]


def test_a_decoders_session_is_called_so_until_it_is_named() -> None:
    assert P3Mapper().session.settings.name == "P3 decoder"
