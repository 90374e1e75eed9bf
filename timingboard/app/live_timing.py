"""Live timing for followers, wired to the window: the page on the LAN and the broker.

Both take the same messages from one :class:`LivePublisher`; the status bar says where the page
is and whether the broker is reached. The web server (aiohttp, asyncio) and the MQTT client
(paho) are imported only when one is asked for: every window imported them, ~30 MB resident
that a board not publishing never used (``benchmarks/bench_window.py --only resident``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from timingboard.feeds.live_json import Message
from timingboard.qt.live_publisher import LivePublisher
from timingboard.qt.session_controller import SessionController

if TYPE_CHECKING:
    from timingboard.web.mqtt_publisher import MqttPublisher
    from timingboard.web.server import LiveWebServer


@dataclass(frozen=True, slots=True)
class LiveOptions:
    """What the command line asked for: ``--web PORT [--web-host H]``, ``--mqtt HOST:PORT``."""

    web_port: int | None = None
    web_host: str | None = None
    mqtt: tuple[str, int] | None = None
    mqtt_event: str = "event"

    @property
    def wanted(self) -> bool:
        return self.web_port is not None or self.mqtt is not None


class LiveTiming(QObject):
    """Owns the publisher and its sinks for as long as the window lives."""

    def __init__(
        self, controller: SessionController, options: LiveOptions, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.publisher = LivePublisher(controller, self)
        self.web: LiveWebServer | None = None
        self.mqtt: MqttPublisher | None = None
        if options.web_port is not None:
            from timingboard.web.server import LiveWebServer

            self.web = LiveWebServer(options.web_port, options.web_host)
        if options.mqtt is not None:
            from timingboard.web.mqtt_publisher import MqttPublisher, topic_part

            host, port = options.mqtt
            self.mqtt = MqttPublisher(host, port, f"timingboard/{topic_part(options.mqtt_event)}")
        self.publisher.published.connect(self._on_publisher_published)

    def start(self) -> None:
        """Serve and connect; raises ``OSError`` with a message if the page's port is taken."""
        if self.web is not None:
            self.web.start()
        if self.mqtt is not None:
            self.mqtt.start()
        self.publisher.start()

    def describe(self) -> str:
        """One line for the status bar."""
        parts = []
        if self.web is not None:
            where = "open to the network" if self.web.allows_network else "this computer only"
            parts.append(f"Live page {self.web.address} ({where})")
        if self.mqtt is not None:
            host, port = self.mqtt.address
            parts.append(f"broker {host}:{port} topic {self.mqtt.base}")
        return " · ".join(parts)

    def close(self) -> None:
        self.publisher.stop()
        if self.web is not None:
            self.web.close()
        if self.mqtt is not None:
            self.mqtt.close()

    def _on_publisher_published(self, message: Message) -> None:
        if self.web is not None:
            self.web.publish(message)
        if self.mqtt is not None:
            self.mqtt.publish(message)
