"""Publishes the board as RMonitor over TCP, so other desks and scoreboards follow the session."""

from __future__ import annotations

import time

import shiboken6
from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtNetwork import QHostAddress, QTcpServer, QTcpSocket

from timingboard.engine.standings import BoardChange
from timingboard.feeds.rmonitor_publisher import RMonitorPublisher
from timingboard.feeds.rmonitor_writer import heartbeat
from timingboard.qt.session_controller import SessionController

HEARTBEAT_MS = 1000


class RMonitorServer(QObject):
    """Listens on a port (localhost unless told otherwise) and streams every change.

    Signals
    -------
    clients_changed(int)
        How many scoreboards are connected.
    """

    clients_changed = Signal(int)

    def __init__(self, controller: SessionController, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._controller = controller
        self._server = QTcpServer(self)
        self._server.newConnection.connect(self._on_server_new_connection)
        self._clients: list[QTcpSocket] = []
        self._run = 1
        self._publisher = RMonitorPublisher(self._run)
        self._heartbeat = QTimer(self, interval=HEARTBEAT_MS)
        self._heartbeat.timeout.connect(self._on_heartbeat_timeout)
        controller.board_changed.connect(self._on_controller_board_changed)
        controller.session_reset.connect(self._on_controller_session_reset)
        self._publisher.updates(controller.engine)  # what is there now goes out as a welcome

    def listen(self, port: int, host: str = "127.0.0.1") -> bool:
        """Start serving; False (with :meth:`error`) if the port cannot be had."""
        address = QHostAddress(host)
        if not self._server.listen(address, port):
            return False
        self._heartbeat.start()
        return True

    def error(self) -> str:
        return self._server.errorString()

    @property
    def port(self) -> int:
        return self._server.serverPort()

    def close(self) -> None:
        """Stop listening and let every scoreboard go."""
        self._heartbeat.stop()
        self._server.close()
        clients, self._clients = self._clients, []
        for client in clients:
            client.disconnected.disconnect()
            client.abort()
            client.deleteLater()
        if clients:
            self.clients_changed.emit(0)

    def _broadcast(self, text: str) -> None:
        if not text:
            return
        data = text.encode("utf-8")
        for client in self._clients:
            client.write(data)

    def _on_server_new_connection(self) -> None:
        while self._server.hasPendingConnections():
            client = self._server.nextPendingConnection()
            client.disconnected.connect(lambda c=client: self._on_client_disconnected(c))
            self._clients.append(client)
            client.write(self._publisher.welcome(self._controller.engine).encode("utf-8"))
            self.clients_changed.emit(len(self._clients))

    def _on_client_disconnected(self, client: QTcpSocket) -> None:
        if client in self._clients and shiboken6.isValid(client):
            self._clients.remove(client)
            client.deleteLater()
            self.clients_changed.emit(len(self._clients))

    def _on_controller_board_changed(self, change: BoardChange) -> None:
        engine = self._controller.engine
        if change.flag_changed and engine.flags:
            flag_time = engine.flags[-1][0]  # the new flag, stamped when it was shown
            self._broadcast(heartbeat(engine, flag_time, time.strftime("%H:%M:%S")))
        self._broadcast(self._publisher.updates(engine))

    def _on_controller_session_reset(self) -> None:
        self._run += 1
        self._publisher = RMonitorPublisher(self._run)
        self._broadcast(self._publisher.welcome(self._controller.engine))
        self._publisher.updates(self._controller.engine)

    def _on_heartbeat_timeout(self) -> None:
        engine = self._controller.engine
        now = self._controller.clock_ms()
        self._broadcast(heartbeat(engine, now, time.strftime("%H:%M:%S")))
