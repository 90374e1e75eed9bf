"""Following through a broker, without one: the address, the topics, deltas in sequence (no Qt)."""

from __future__ import annotations

import json
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from race_scripts import QUARTER_MILE_RACE, entries, field

from timingboard.engine import Flag, FlagChanged, Passing, TimingEngine
from timingboard.feeds.live_follow import FollowStream, PublishedEngine, parse_follow_url
from timingboard.feeds.live_json import LiveBoard, row_of, standing_from_json, standing_json

CARS = ["31", "8", "20", "24", "16"]
EVENT = "timingboard/clash"


def _race(seed: int, count: int) -> list:
    rng = random.Random(seed)
    clock = {car: rng.randrange(0, 2000) for car in CARS}
    events = []
    for _ in range(count):
        car = rng.choice(CARS)
        clock[car] += rng.randrange(12_000, 16_000)
        events.append(Passing(time_ms=clock[car], car=car))
    return [*field(CARS), FlagChanged(time_ms=0, flag=Flag.GREEN), *sorted(events, key=_time)]


def _time(event) -> int:
    return event.time_ms


def _bytes(message: dict) -> bytes:
    return json.dumps(message).encode()


class Publisher:
    """What the board's MqttPublisher puts on the broker, message by message."""

    def __init__(self, session: str = "heat-1", seed: int = 3, count: int = 40) -> None:
        self.engine = TimingEngine(QUARTER_MILE_RACE)
        self.board = LiveBoard(session)
        self.log = entries(_race(seed, count))
        self.at = 0
        self.board.update(self.engine, 0, True)

    @property
    def snapshot(self) -> tuple[str, bytes]:
        return f"{EVENT}/{self.board.session_id}/snapshot", _bytes(self.board.snapshot())

    def current(self) -> tuple[str, bytes]:
        return f"{EVENT}/current", _bytes({"session": self.board.session_id})

    def delta(self, step: int = 1) -> tuple[str, bytes]:
        self.engine.apply(self.log[self.at : self.at + step])
        self.at += step
        message = self.board.update(self.engine, self.engine.clock_ms, True)
        return f"{EVENT}/{self.board.session_id}/delta", _bytes(message)

    def rows(self) -> list[dict]:
        return [row_of(s) for s in self.engine.standings()]


def _followed(stream: FollowStream, publisher: Publisher) -> FollowStream:
    stream.take(*publisher.current())
    stream.take(*publisher.snapshot)
    return stream


def test_urls_name_a_broker_and_a_topic() -> None:
    target = parse_follow_url("mqtt://race-control.local:1884/timingboard/clash")
    assert (target.host, target.port, target.topic) == ("race-control.local", 1884, EVENT)
    assert parse_follow_url("mqtt://10.0.0.5/timingboard/clash").port == 1883
    copied = parse_follow_url("mqtt://h:1/timingboard/clash/heat-1/snapshot")
    assert copied.topic == "timingboard/clash/heat-1"  # as mosquitto_sub shows it
    assert parse_follow_url("mqtt://h:1/timingboard/clash/current").topic == EVENT
    assert parse_follow_url("mqtt://[::1]:1883/t/e").host == "::1"


@pytest.mark.parametrize(
    "url",
    [
        "h:1883/t",
        "mqtts://h:8883/t",
        "ws://h:9001/t",
        "mqtt://h:1883",
        "mqtt://h:1883//",
        "mqtt://h:0/t",
        "mqtt://h:65536/t",
        "mqtt://h:-1/t",
        "mqtt://:1883/t",
        "mqtt://h:1883/t/#",
        "mqtt://h:1883/t/+/s",
        "mqtt://h:1883/t//s",
        "mqtt://h:1883/t?x=1",
        "",
    ],
)
def test_bad_urls_are_refused_with_a_reason(url: str) -> None:
    with pytest.raises(ValueError, match=r"mqtt://|port|topic|wildcard|host"):
        parse_follow_url(url)


def test_an_event_topic_follows_the_session_on_the_board_and_moves_on_with_it() -> None:
    heat, feature = Publisher("heat-1"), Publisher("feature", seed=5)
    stream = FollowStream(EVENT)
    assert stream.topics() == [f"{EVENT}/current", f"{EVENT}/snapshot", f"{EVENT}/delta"]
    step = stream.take(*heat.current())
    assert step.switched == "heat-1" and step.subscribe == [
        f"{EVENT}/heat-1/snapshot",
        f"{EVENT}/heat-1/delta",
    ]
    assert stream.take(*heat.snapshot).updated
    assert stream.take(*heat.delta(6)).updated
    assert stream.follower.board() == heat.rows()
    step = stream.take(*feature.current())
    assert step.switched == "feature" and f"{EVENT}/heat-1/delta" in step.unsubscribe
    assert not stream.take(*heat.delta()).updated  # the old session's, still in flight
    stream.take(*feature.snapshot)
    stream.take(*feature.delta(4))
    assert stream.follower.board() == feature.rows()
    assert stream.topics()[0] == f"{EVENT}/current"


def test_a_session_topic_follows_that_session_only() -> None:
    heat = Publisher("heat-1")
    stream = FollowStream(f"{EVENT}/heat-1")
    topic, payload = heat.snapshot
    assert topic == f"{EVENT}/heat-1/snapshot"
    step = stream.take(topic, payload)
    assert step.switched == "heat-1" and step.updated and stream.event_topic is False
    stream.take(*heat.delta(3))
    assert stream.follower.board() == heat.rows()
    assert not stream.take(f"{EVENT}/heat-1/current", _bytes({"session": "x"})).switched


def test_a_missed_delta_asks_for_a_snapshot_and_the_deltas_meanwhile_are_kept() -> None:
    heat = Publisher()
    stream = _followed(FollowStream(EVENT), heat)
    stream.take(*heat.delta(4))
    heat.delta(2)  # lost on the way
    step = stream.take(*heat.delta(2))
    assert step.ask == f"{EVENT}/heat-1/request" and stream.waiting and not step.updated
    later = heat.delta(2)
    fresh = heat.snapshot  # the publisher's answer: the board as it stands
    assert not stream.take(*later).updated  # kept until the snapshot comes
    assert stream.take(*fresh).updated and not stream.waiting
    stream.take(*heat.delta(3))
    assert stream.follower.board() == heat.rows()
    assert stream.gaps == 1


def test_an_old_retained_snapshot_is_not_gone_back_to() -> None:
    heat = Publisher()
    stream = _followed(FollowStream(EVENT), heat)
    old = heat.snapshot
    for _ in range(5):
        stream.take(*heat.delta())
    assert not stream.take(*old).updated  # met again on a reconnect: older than what is held
    stream.take(*heat.delta())
    assert stream.follower.board() == heat.rows()


def test_a_snapshot_older_than_the_gap_waits_for_the_next_one() -> None:
    heat = Publisher()
    stream = _followed(FollowStream(EVENT), heat)
    stream.take(*heat.delta())
    retained = heat.snapshot
    heat.delta()  # lost
    stream.take(*heat.delta())  # the gap is seen
    stream.take(*retained)  # what the broker holds: from before the delta that was lost
    assert stream.waiting
    stream.take(*heat.delta())
    assert stream.waiting
    stream.take(*heat.snapshot)
    assert not stream.waiting and stream.follower.board() == heat.rows()


def test_a_publisher_that_started_again_is_followed_from_its_new_start() -> None:
    heat = Publisher()
    stream = _followed(FollowStream(EVENT), heat)
    for _ in range(8):
        stream.take(*heat.delta())
    again = Publisher(seed=9)  # the same session id, numbered from 0 again
    stream.take(*again.snapshot)
    stream.take(*again.delta(5))
    assert stream.follower.board() == again.rows()


def test_messages_that_are_no_board_are_skipped_and_said() -> None:
    heat = Publisher()
    stream = _followed(FollowStream(EVENT), heat)
    for junk in (b"", b"\xff\xfe", b"[1, 2]", b'{"type": "snapshot"}', b'{"type": "delta"}'):
        step = stream.take(f"{EVENT}/heat-1/delta", junk)
        assert step.bad and step.ask == f"{EVENT}/heat-1/request"
    assert stream.bad == 5
    stream.take(*heat.delta(3))
    stream.take(*heat.snapshot)
    assert stream.follower.board() == heat.rows()


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 2**32),
    fate=st.lists(st.sampled_from(["pass", "pass", "pass", "drop", "twice", "late"]), max_size=50),
)
def test_whatever_the_broker_loses_or_repeats_a_fresh_snapshot_mends_it(seed, fate) -> None:
    heat = Publisher(seed=seed, count=len(fate) + 1)
    stream = _followed(FollowStream(EVENT), heat)
    late: list[tuple[str, bytes]] = []
    for what in fate:
        message = heat.delta()
        if what in ("pass", "twice"):
            stream.take(*message)
        if what == "twice":
            stream.take(*message)
        if what == "late":
            late.append(message)
        if late and what == "pass":
            stream.take(*late.pop(0))
        if "drop" not in fate and "late" not in fate:
            assert not stream.waiting and stream.follower.board() == heat.rows()
    stream.take(*heat.snapshot)  # at most SNAPSHOT_EVERY_S later, or the answer to a request
    for message in late:
        stream.take(*message)
    stream.take(*heat.delta())
    assert stream.follower.board() == heat.rows()


def test_the_published_engine_shows_the_publishers_rows_whole() -> None:
    heat = Publisher()
    stream = _followed(FollowStream(EVENT), heat)
    stream.take(*heat.delta(30))
    engine = PublishedEngine(QUARTER_MILE_RACE)
    change = engine.show(stream.follower)
    assert engine.standings() == heat.engine.standings()
    assert engine.order() == heat.engine.order() and change.ops
    assert engine.flag is Flag.GREEN and engine.start_ms == heat.engine.start_ms
    assert engine.session_best is not None and heat.engine.session_best is not None
    assert engine.session_best[0] == heat.engine.session_best[0]
    stream.take(*heat.delta(3))
    change = engine.show(stream.follower)
    assert change.crossed and change.changed and engine.standings() == heat.engine.standings()
    for row in heat.engine.standings():
        assert standing_from_json(json.loads(json.dumps(standing_json(row)))) == row


def test_a_followed_board_names_each_car_as_the_publishers_board_does() -> None:
    """Entered cars and a car seen only in passings (no entry) keep the number shown."""
    heat = Publisher()
    heat.log += entries([Passing(time_ms=900_000, car="77")], len(heat.log) + 1)
    stream = _followed(FollowStream(EVENT), heat)
    stream.take(*heat.delta(len(heat.log)))
    engine = PublishedEngine(QUARTER_MILE_RACE)
    engine.show(stream.follower)
    assert "?77" in engine.cars()
    assert {key: engine.car_label(key) for key in engine.cars()} == {
        key: heat.engine.car_label(key) for key in heat.engine.cars()
    }
