"""The board on an MQTT broker (Mosquitto), for any number of followers: paho in its own thread.

Topics, under ``BASE`` (``timingboard/<event>``):

- ``BASE/current``: retained, ``{"session": ID}``, the session now on the board;
- ``BASE/ID/snapshot``: retained, the board as it stands (republished every few seconds);
- ``BASE/ID/delta``: each delta, QoS 1;
- ``BASE/ID/request``: read, not written: a follower that missed a delta publishes anything
  here and the snapshot goes out again at once, or, if one went out less than
  :data:`ANSWER_EVERY_S` ago, once that time is up (one answer however many ask: followers cannot
  load the desk, and no request goes unanswered).

A broker outage never slows the desk: :meth:`publish` only queues (bounded; when the queue is
full a delta is dropped), and once the broker is back a fresh snapshot goes out first, so
followers catch up whatever was dropped.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from typing import Any

import paho.mqtt.client as mqtt

from timingboard.feeds.live_json import Follower, Message

QUEUE_LIMIT = 1000  # messages paho keeps while the broker is away
SNAPSHOT_EVERY_S = 5.0  # the retained snapshot is refreshed at least this often
ANSWER_EVERY_S = 0.25  # a follower's request is answered at most this often

log = logging.getLogger(__name__)


def topic_part(text: str) -> str:
    """A name made safe as one level of a topic (no wildcards, no separators)."""
    cleaned = "".join(c if c.isalnum() or c in "-_." else "-" for c in text.strip())
    return cleaned or "event"


class MqttPublisher:
    """Publishes messages to ``BASE``; :meth:`publish` may be called from any thread."""

    def __init__(self, host: str, port: int, base: str = "timingboard/event") -> None:
        self.base = base.rstrip("/")
        self._follower = Follower()
        self._lock = threading.Lock()
        self._session: str | None = None
        self._last_snapshot = 0.0
        self._answer_later: threading.Timer | None = None
        self.connected = threading.Event()
        self.dropped = 0
        client = mqtt.Client(
            mqtt.CallbackAPIVersion.VERSION2,
            client_id=f"timingboard-{topic_part(self.base)}-{id(self):x}",
            clean_session=True,
        )
        client.max_queued_messages_set(QUEUE_LIMIT)
        client.reconnect_delay_set(min_delay=1, max_delay=5)
        client.on_connect = self._on_client_connect
        client.on_disconnect = self._on_client_disconnect
        client.on_message = self._on_client_message
        self._client = client
        self.address = (host, port)

    def start(self) -> None:
        """Connect in the background (the broker may come later); returns at once."""
        host, port = self.address
        self._client.connect_async(host, port, keepalive=15)
        self._client.loop_start()

    def close(self) -> None:
        with self._lock:
            if self._answer_later is not None:
                self._answer_later.cancel()
                self._answer_later = None
        self._client.disconnect()
        self._client.loop_stop()

    def publish(self, message: Message) -> None:
        with self._lock:
            self._follower.apply(message)
            session = str(self._follower.session.get("id") or "session")
            if session != self._session:
                self._session = session
                self._send_snapshot()
                return
            self._send(f"{self.base}/{session}/delta", message, retain=False)
            if time.monotonic() - self._last_snapshot >= SNAPSHOT_EVERY_S:
                self._send_snapshot()

    def _send_snapshot(self) -> None:
        session = self._session or "session"
        self._send(f"{self.base}/current", {"session": session}, retain=True)
        self._send(f"{self.base}/{session}/snapshot", self._follower.snapshot(), retain=True)
        self._last_snapshot = time.monotonic()

    def _send(self, topic: str, payload: dict[str, Any], retain: bool) -> None:
        info = self._client.publish(
            topic, json.dumps(payload, separators=(",", ":")), qos=1, retain=retain
        )
        if info.rc == mqtt.MQTT_ERR_QUEUE_SIZE:
            self.dropped += 1

    # --- paho's thread -------------------------------------------------------------------------

    def _on_client_connect(
        self, _client: Any, _data: Any, _flags: Any, reason: Any, _p: Any
    ) -> None:
        if getattr(reason, "is_failure", False):
            log.warning("the broker refused the board: %s", reason)
            return
        self.connected.set()
        self._client.subscribe(f"{self.base}/+/request", qos=0)
        with self._lock:  # what was dropped while away is made up by a fresh snapshot
            if self._session is not None:
                self._send_snapshot()

    def _on_client_disconnect(self, *_args: Any) -> None:
        self.connected.clear()

    def _on_client_message(self, _client: Any, _data: Any, message: mqtt.MQTTMessage) -> None:
        """A follower asks for the snapshot of the session shown (of no other)."""
        with self._lock:
            if self._session is None or message.topic != f"{self.base}/{self._session}/request":
                return
            wait = ANSWER_EVERY_S - (time.monotonic() - self._last_snapshot)
            if wait <= 0:
                self._send_snapshot()
            elif self._answer_later is None:  # answered once the time is up, not dropped
                self._answer_later = threading.Timer(wait, self._on_answer_later_timeout)
                self._answer_later.daemon = True
                self._answer_later.start()

    def _on_answer_later_timeout(self) -> None:
        with self._lock:
            if self._answer_later is None:
                return  # closed meanwhile
            self._answer_later = None
            if self._session is not None:
                self._send_snapshot()
