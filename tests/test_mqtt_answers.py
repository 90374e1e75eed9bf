"""A follower's request for a snapshot is always answered, even one that comes just after one.

The publisher answers at most every ``ANSWER_EVERY_S``; a request inside that time used to be
dropped, and with the periodic refresh far off the follower waited for ever (seen in CI as a
follow test timing out once in a few runs). Here paho is replaced by a client that records.
"""

from __future__ import annotations

import threading
from types import SimpleNamespace

import paho.mqtt.client as mqtt
from race_scripts import QUARTER_MILE_RACE

from timingboard.engine import TimingEngine
from timingboard.feeds.live_json import LiveBoard
from timingboard.web import mqtt_publisher
from timingboard.web.mqtt_publisher import MqttPublisher

BASE = "timingboard/clash"


class RecordingClient:
    def __init__(self) -> None:
        self.sent: list[str] = []
        self.snapshot_sent = threading.Event()

    def publish(self, topic: str, _payload: str, qos: int, retain: bool) -> SimpleNamespace:
        self.sent.append(topic)
        if topic.endswith("/snapshot"):
            self.snapshot_sent.set()
        return SimpleNamespace(rc=mqtt.MQTT_ERR_SUCCESS)

    def disconnect(self) -> None: ...

    def loop_stop(self) -> None: ...


def _publisher() -> tuple[MqttPublisher, RecordingClient]:
    publisher = MqttPublisher("127.0.0.1", 1, BASE)
    client = RecordingClient()
    publisher._client = client  # type: ignore[assignment]
    board = LiveBoard("heat-1")
    publisher.publish(board.update(TimingEngine(QUARTER_MILE_RACE), 0, True))
    assert client.sent[-1] == f"{BASE}/{publisher._session}/snapshot"
    client.snapshot_sent.clear()
    return publisher, client


def _request(publisher: MqttPublisher, session: str | None = None) -> None:
    message = SimpleNamespace(topic=f"{BASE}/{session or publisher._session}/request")
    publisher._on_client_message(None, None, message)  # type: ignore[arg-type]


def test_a_request_just_after_a_snapshot_is_answered_when_the_time_is_up(monkeypatch) -> None:
    monkeypatch.setattr(mqtt_publisher, "ANSWER_EVERY_S", 0.2)
    publisher, client = _publisher()
    _request(publisher)
    _request(publisher)  # many ask: one answer
    assert not client.snapshot_sent.is_set()  # not at once: one went out a moment ago
    assert client.snapshot_sent.wait(5)
    publisher.close()
    assert client.sent.count(f"{BASE}/{publisher._session}/snapshot") == 2  # the first, one answer


def test_a_request_later_is_answered_at_once_and_other_sessions_are_not(monkeypatch) -> None:
    monkeypatch.setattr(mqtt_publisher, "ANSWER_EVERY_S", 0.0)
    publisher, client = _publisher()
    _request(publisher, "another-session")
    assert not client.snapshot_sent.is_set()
    _request(publisher)
    assert client.snapshot_sent.is_set()
    publisher.close()


def test_closing_cancels_an_answer_not_yet_sent(monkeypatch) -> None:
    monkeypatch.setattr(mqtt_publisher, "ANSWER_EVERY_S", 0.2)
    publisher, client = _publisher()
    _request(publisher)
    waiting = publisher._answer_later
    assert waiting is not None
    publisher.close()
    waiting.join(5)  # a cancelled timer ends at once, without its action
    assert not client.snapshot_sent.is_set()
