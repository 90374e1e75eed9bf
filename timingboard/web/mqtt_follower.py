"""Reading a board off an MQTT broker: paho in its own thread, for ``timingboard follow``.

The callbacks given are called in paho's thread: whoever takes them (the window's
:class:`~timingboard.qt.mqtt_follow.MqttFollowClient`) hands them to its own thread through
queued signals and touches nothing else there. :meth:`subscribe`, :meth:`unsubscribe` and
:meth:`ask` may be called from any thread (paho's calls are thread-safe).

paho retries a broker that is down, at start or later, with a doubling wait from
:data:`RETRY_FIRST_S` to :data:`RETRY_MAX_S`; nothing is kept on disk.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from enum import StrEnum
from typing import Any

import paho.mqtt.client as mqtt

RETRY_FIRST_S = 1
RETRY_MAX_S = 10
KEEPALIVE_S = 5  # a broker gone without a word is noticed within about 1.5 times this

log = logging.getLogger(__name__)


class Link(StrEnum):
    CONNECTING = "connecting"
    UP = "up"
    DOWN = "down"  # was up, lost; retrying
    UNREACHABLE = "unreachable"  # never reached yet, or refused; retrying
    OFF = "off"


class BrokerSubscriber:
    """Subscribes to a broker's topics; what arrives goes to ``on_message(topic, payload)``,
    each change of the link to ``on_link(state, detail)`` (both in paho's thread)."""

    def __init__(
        self,
        host: str,
        port: int,
        on_message: Callable[[str, bytes], None],
        on_link: Callable[[str, str], None],
    ) -> None:
        self.address = (host, port)
        self._on_message = on_message
        self._on_link = on_link
        client = mqtt.Client(
            mqtt.CallbackAPIVersion.VERSION2,
            client_id=f"timingboard-follow-{id(self):x}",
            clean_session=True,
        )
        client.reconnect_delay_set(min_delay=RETRY_FIRST_S, max_delay=RETRY_MAX_S)
        client.on_connect = self._on_client_connect
        client.on_connect_fail = self._on_client_connect_fail
        client.on_disconnect = self._on_client_disconnect
        client.on_message = self._on_client_message
        self._client = client
        self._started = False

    def start(self) -> None:
        """Connect in the background (the broker may come later); returns at once."""
        host, port = self.address
        self._on_link(str(Link.CONNECTING), f"{host}:{port}")
        self._client.connect_async(host, port, keepalive=KEEPALIVE_S)
        self._client.loop_start()
        self._started = True

    def close(self) -> None:
        if not self._started:
            return
        self._started = False
        self._client.disconnect()
        self._client.loop_stop()
        self._on_link(str(Link.OFF), "")

    def subscribe(self, topics: Iterable[str]) -> None:
        wanted = [(topic, 1) for topic in topics]
        if wanted:
            self._client.subscribe(wanted)

    def unsubscribe(self, topics: Iterable[str]) -> None:
        gone = list(topics)
        if gone:
            self._client.unsubscribe(gone)

    def ask(self, topic: str) -> None:
        """Ask the publisher for a fresh snapshot (it answers on the snapshot topic)."""
        self._client.publish(topic, b"{}", qos=0)

    # --- paho's thread -------------------------------------------------------------------------

    def _on_client_connect(
        self, _client: Any, _data: Any, _flags: Any, reason: Any, _p: Any
    ) -> None:
        if getattr(reason, "is_failure", False):
            self._on_link(str(Link.UNREACHABLE), f"the broker refused us: {reason}")
            return
        self._on_link(str(Link.UP), "")

    def _on_client_connect_fail(self, _client: Any, _data: Any) -> None:
        self._on_link(str(Link.UNREACHABLE), "not reachable")

    def _on_client_disconnect(
        self, _client: Any, _data: Any, _flags: Any, reason: Any, _p: Any
    ) -> None:
        if self._started:
            self._on_link(str(Link.DOWN), str(reason))

    def _on_client_message(self, _client: Any, _data: Any, message: mqtt.MQTTMessage) -> None:
        self._on_message(message.topic, bytes(message.payload))
