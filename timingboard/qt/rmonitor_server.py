"""Publishes the board as RMonitor over TCP, so other desks and scoreboards follow the session.

The GUI thread never builds a whole welcome: every ``$J`` sent is kept once for all
scoreboards (built in slices when publishing starts on a long session), and each scoreboard is
sent those lines as its socket drains. A scoreboard that stops reading is dropped once its
queue passes :data:`MAX_QUEUE` or it has taken nothing for :data:`STALL_MS`.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

import shiboken6
from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtNetwork import QAbstractSocket, QHostAddress, QTcpServer, QTcpSocket

from timingboard.engine.standings import BoardChange
from timingboard.feeds.rmonitor_publisher import RMonitorPublisher
from timingboard.feeds.rmonitor_writer import end_of_session, heartbeat, positions
from timingboard.qt.session_controller import SessionController

HEARTBEAT_MS = 1000  # also how often a stalled scoreboard is looked for
BUILD_SLICE = 250  # events looked at per turn of the event loop (~3 ms; ~15 ms on a busy machine)
SEND_LINES = 1500  # $J lines written at once to a scoreboard catching up (~60 KiB)
LOW_WATER = 256 * 1024  # a catching-up scoreboard gets more once its queue is below this
MAX_QUEUE = 2 << 20  # bytes queued for one scoreboard; past it, it is dropped
STALL_MS = 30_000  # a scoreboard with bytes queued that takes none for this long is dropped
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1", "")

log = logging.getLogger(__name__)


@dataclass(eq=False)
class _Scoreboard:
    socket: QTcpSocket
    peer: str
    sent: int = 0  # lines of the publisher's $J already written
    live: bool = False  # caught up: sent every change as it happens
    idle_beats: int = 0  # heartbeats in a row with bytes queued and none taken


class RMonitorServer(QObject):
    """Listens on a port (this computer only unless told otherwise) and streams every change.

    Signals
    -------
    clients_changed(int)
        How many scoreboards are connected.
    client_dropped(str)
        A scoreboard fell behind and was let go; the text says which and why.
    """

    clients_changed = Signal(int)
    client_dropped = Signal(str)

    def __init__(
        self,
        controller: SessionController,
        parent: QObject | None = None,
        max_queue: int = MAX_QUEUE,
        stall_ms: int = STALL_MS,
    ) -> None:
        super().__init__(parent)
        self._controller = controller
        self._max_queue = max_queue
        self._stall_ms = stall_ms
        self._servers: list[QTcpServer] = []
        self._clients: list[_Scoreboard] = []
        self._run = 1
        self._publisher = RMonitorPublisher(self._run)
        self._heartbeat = QTimer(self, interval=HEARTBEAT_MS)
        self._heartbeat.timeout.connect(self._on_heartbeat_timeout)
        self._build = QTimer(self, singleShot=True, interval=0)
        self._build.timeout.connect(self._on_build_timeout)
        self.host = "127.0.0.1"
        self._error = ""
        controller.board_changed.connect(self._on_controller_board_changed)
        controller.session_reset.connect(self._on_controller_session_reset)

    def listen(self, port: int, host: str = "127.0.0.1") -> bool:
        """Start serving; False (with :meth:`error`) if the port cannot be had.

        This computer only (127.0.0.1 and ::1) unless ``host`` names another address;
        ``0.0.0.0`` lets every network in.
        """
        local = host in LOCAL_HOSTS
        if host == "0.0.0.0":
            first = QHostAddress(QHostAddress.SpecialAddress.Any)  # IPv4 and IPv6
        else:
            first = QHostAddress("127.0.0.1" if local else host)
        if not self._listen_on(first, port):
            return False
        if local:
            self._listen_on(QHostAddress("::1"), self.port)  # no IPv6 here: 127.0.0.1 will do
        self.host = "127.0.0.1" if local else host
        self._heartbeat.start()
        self._build.start()
        return True

    def _listen_on(self, address: QHostAddress, port: int) -> bool:
        server = QTcpServer()
        if not server.listen(address, port):
            self._error = server.errorString()
            return False  # Python frees it
        server.setParent(self)
        server.newConnection.connect(lambda s=server: self._on_server_new_connection(s))
        self._servers.append(server)
        return True

    @property
    def addresses(self) -> list[str]:
        """Where scoreboards can connect, as ``host`` strings."""
        return [s.serverAddress().toString() for s in self._servers]

    @property
    def open_to_network(self) -> bool:
        return self.host not in LOCAL_HOSTS

    def error(self) -> str:
        return self._error

    @property
    def port(self) -> int:
        return self._servers[0].serverPort() if self._servers else 0

    @property
    def client_count(self) -> int:
        return len(self._clients)

    def queued_bytes(self) -> int:
        """Bytes written for scoreboards that they have not taken yet."""
        return sum(c.socket.bytesToWrite() for c in self._clients)

    def close(self) -> None:
        """Stop listening and let every scoreboard go."""
        self._heartbeat.stop()
        self._build.stop()
        for server in self._servers:
            server.close()  # freed with this object
        self._servers = []
        clients, self._clients = self._clients, []
        for client in clients:
            self._let_go(client)
        if clients:
            self.clients_changed.emit(0)

    # --- scoreboards ------------------------------------------------------------------------------

    def _on_server_new_connection(self, server: QTcpServer) -> None:
        while server.hasPendingConnections():
            socket = server.nextPendingConnection()
            client = _Scoreboard(socket, f"{socket.peerAddress().toString()}:{socket.peerPort()}")
            socket.disconnected.connect(lambda c=client: self._on_client_disconnected(c))
            socket.bytesWritten.connect(lambda _n, c=client: self._on_client_bytes_written(c))
            self._clients.append(client)
            socket.write(self._publisher.header(self._controller.engine).encode("utf-8"))
            self._pump(client)
            self.clients_changed.emit(len(self._clients))

    def _on_client_disconnected(self, client: _Scoreboard) -> None:
        if client in self._clients:
            self._clients.remove(client)
            self._let_go(client)
            self.clients_changed.emit(len(self._clients))

    def _on_client_bytes_written(self, client: _Scoreboard) -> None:
        client.idle_beats = 0
        self._pump(client)

    def _pump(self, client: _Scoreboard) -> None:
        """Lines the scoreboard has not had yet, as fast as it takes them; then it goes live."""
        socket = client.socket
        lines = self._publisher.lines
        while client.sent < len(lines) and socket.bytesToWrite() < LOW_WATER:
            batch = lines[client.sent : client.sent + SEND_LINES]
            socket.write("".join(batch).encode("utf-8"))
            client.sent += len(batch)
        if not client.live and client.sent == len(lines) and not self._build.isActive():
            client.live = True  # from here on it is sent every change; first, the order now
            engine = self._controller.engine
            socket.write("".join(positions(engine, engine.order())).encode("utf-8"))
            # and the flag and clock now, as every heartbeat says them: a session that ends
            # before the next heartbeat (the scoreboard joined at its end) still has its flag
            now = self._controller.clock_ms()
            socket.write(heartbeat(engine, now, _time_of_day()).encode("utf-8"))
            if engine.ended_ms is not None:  # joined after the end: told it is over
                socket.write(end_of_session(engine, _time_of_day()).encode("utf-8"))
        self._check_queue(client)

    def _send_live(self, text: str) -> None:
        if not text:
            return
        data = text.encode("utf-8")
        for client in list(self._clients):
            if client.live:
                client.socket.write(data)
                self._check_queue(client)

    def _check_queue(self, client: _Scoreboard) -> None:
        queued = client.socket.bytesToWrite()
        if queued > self._max_queue:
            self._drop(client, f"{queued // 1024} KiB waiting to be read")

    def _check_progress(self, client: _Scoreboard) -> None:
        """Counted in heartbeats, not wall time: a busy window is not the scoreboard's fault."""
        if not client.socket.bytesToWrite():
            client.idle_beats = 0
            return
        client.idle_beats += 1
        if client.idle_beats >= max(2, -(-self._stall_ms // HEARTBEAT_MS)):
            self._drop(client, f"it has read nothing for {self._stall_ms / 1000:g} s")

    def _drop(self, client: _Scoreboard, why: str) -> None:
        if client not in self._clients:
            return
        message = f"scoreboard {client.peer} dropped: {why}"
        log.warning(message)
        self._clients.remove(client)
        self._let_go(client)
        self.client_dropped.emit(message)
        self.clients_changed.emit(len(self._clients))

    def _let_go(self, client: _Scoreboard) -> None:
        socket = client.socket
        if shiboken6.isValid(socket):
            socket.disconnected.disconnect()
            socket.bytesWritten.disconnect()
            if socket.state() != QAbstractSocket.SocketState.UnconnectedState:
                socket.abort()  # its queue is freed with it
            socket.deleteLater()

    # --- the session ------------------------------------------------------------------------------

    def _on_build_timeout(self) -> None:
        """The passings of the session as it stood, a slice per turn of the event loop."""
        engine = self._controller.engine
        self._publisher.advance(engine, BUILD_SLICE)
        if not self._publisher.caught_up(engine):
            self._build.start()
        else:
            self._publisher.changed_positions(engine)  # what the header already says
        for client in list(self._clients):
            self._pump(client)

    def _on_controller_board_changed(self, change: BoardChange) -> None:
        engine = self._controller.engine
        flags = engine.flag_changes() if change.flag_changed else ()
        if flags:
            flag_time = flags[-1][0]  # the new flag, stamped when it was shown
            self._send_all(heartbeat(engine, flag_time, _time_of_day()))
        if self._build.isActive() or not self._servers:
            return  # the slices reach the new passings too (and a client going live, the end)
        if self._publisher.taken_back(engine):  # an operator's end undone: the session again
            self._on_controller_session_reset()
            return
        new = "".join(self._publisher.advance(engine))
        changed = self._publisher.changed_positions(engine)
        for client in list(self._clients):
            if client.live:
                client.sent = len(self._publisher.lines)
        self._send_live(new + changed + self._publisher.end(engine, _time_of_day()))
        for client in list(self._clients):
            if not client.live:
                self._pump(client)

    def _on_controller_session_reset(self) -> None:
        self._run += 1
        self._publisher = RMonitorPublisher(self._run)
        header = self._publisher.header(self._controller.engine)
        for client in list(self._clients):
            client.sent, client.live = 0, False
            client.socket.write(header.encode("utf-8"))
        if self._servers:
            self._build.start()

    def _send_all(self, text: str) -> None:
        data = text.encode("utf-8")
        for client in list(self._clients):
            client.socket.write(data)
            self._check_queue(client)

    def _on_heartbeat_timeout(self) -> None:
        engine = self._controller.engine
        now = self._controller.clock_ms()
        for client in list(self._clients):
            self._check_progress(client)  # one that stopped reading is let go here
        self._send_all(heartbeat(engine, now, _time_of_day()))


def _time_of_day() -> str:
    """The heartbeat's time of day: this computer's local clock, ``HH:MM:SS``."""
    return time.strftime("%H:%M:%S")
