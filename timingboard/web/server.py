"""The live timing page: aiohttp in a thread of its own, read-only, this computer only by default.

Every page gets the board as it stands (a snapshot) when it connects over its WebSocket, then
each delta. A page that falls behind (its queue full) is dropped and reconnects to a snapshot,
so a slow phone never holds up the desk or the other pages.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import json
import logging
import socket
import threading
from importlib import resources
from typing import Any

from aiohttp import WSMsgType, web

from timingboard.feeds.live_json import Follower, Message

LOCAL_HOSTS = ("127.0.0.1", "::1")
QUEUE_LIMIT = 256  # messages waiting for one page before it is dropped
STATIC = ("index.html", "app.js", "app.css", "live.js", "mqtt.min.js")
CONTENT_TYPES = {".html": "text/html", ".js": "text/javascript", ".css": "text/css"}

log = logging.getLogger(__name__)


class WebServerError(OSError):
    """The page cannot be served (the port is taken, the address is not this computer's)."""


class LiveWebServer:
    """Serves the page, ``/snapshot`` and the ``/ws`` stream; :meth:`publish` from any thread."""

    def __init__(self, port: int = 0, host: str | None = None) -> None:
        """``host`` None: this computer only (127.0.0.1 and ::1); "0.0.0.0" lets others in."""
        self._hosts = (host,) if host else LOCAL_HOSTS
        self._wanted_port = port
        self.port = 0
        self._follower = Follower()
        self._clients: dict[web.WebSocketResponse, asyncio.Queue[str | None]] = {}
        self._loop: asyncio.AbstractEventLoop | None = None
        self._runner: web.AppRunner | None = None
        self._thread: threading.Thread | None = None
        self._stopped = asyncio.Event()
        self._closing: set[asyncio.Future[bool]] = set()

    @property
    def allows_network(self) -> bool:
        return not set(self._hosts) <= set(LOCAL_HOSTS)

    @property
    def address(self) -> str:
        host = self._hosts[0]
        return f"http://{'[' + host + ']' if ':' in host else host}:{self.port}/"

    @property
    def client_count(self) -> int:
        return len(self._clients)

    def start(self) -> None:
        """Bind and serve; raises :class:`WebServerError` with a message for the user."""
        ready = threading.Event()
        failure: list[BaseException] = []
        self._thread = threading.Thread(
            target=self._serve, args=(ready, failure), name="timingboard-web", daemon=True
        )
        self._thread.start()
        ready.wait()
        if failure:
            self._thread.join()
            self._thread = None
            raise WebServerError(f"cannot serve the live page: {_failure_text(failure[0])}")

    def publish(self, message: Message) -> None:
        """Send a message to every page (thread-safe; returns at once)."""
        loop = self._loop
        if loop is not None and not loop.is_closed():
            with contextlib.suppress(RuntimeError):  # closing
                loop.call_soon_threadsafe(self._on_message, message)

    def close(self) -> None:
        loop, thread = self._loop, self._thread
        if loop is not None and thread is not None:
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(self._stopped.set)
            thread.join(timeout=10)
        self._thread = None

    # --- the server's own thread -------------------------------------------------------------

    def _serve(self, ready: threading.Event, failure: list[BaseException]) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        try:
            loop.run_until_complete(self._run(ready, failure))
        finally:
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.close()
            ready.set()

    async def _run(self, ready: threading.Event, failure: list[BaseException]) -> None:
        self._stopped = asyncio.Event()
        app = web.Application()
        app.router.add_get("/", self._on_index)
        app.router.add_get("/snapshot", self._on_snapshot)
        app.router.add_get("/ws", self._on_ws)
        app.router.add_get("/static/{name}", self._on_static)
        runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await runner.setup()
        self._runner = runner
        try:
            port = self._wanted_port
            for host in self._hosts:
                site = web.TCPSite(runner, host, port, reuse_address=True)
                try:
                    await site.start()
                except socket.gaierror:  # "[Errno -2] Name or service not known"
                    raise _NotAnAddress(host) from None
                except OSError as exc:  # asyncio's "error while attempting to bind on …"
                    if exc.errno == errno.EADDRNOTAVAIL:
                        raise _NotAnAddress(host) from None
                    if exc.errno == errno.EADDRINUSE:
                        taken = f"port {port} is taken by another program"
                        raise OSError(exc.errno, taken) from None
                    raise
                if not port:
                    server = site._server
                    sockets = getattr(server, "sockets", None) or []
                    port = sockets[0].getsockname()[1]
            self.port = port
        except OSError as exc:
            failure.append(exc)
            await runner.cleanup()
            return
        ready.set()
        await self._stopped.wait()
        for queue in self._clients.values():
            queue.put_nowait(None)
        for ws in list(self._clients):
            await ws.close()
        await runner.cleanup()

    def _on_message(self, message: Message) -> None:
        self._follower.apply(message)
        text = json.dumps(message, separators=(",", ":"))
        for ws, queue in list(self._clients.items()):
            try:
                queue.put_nowait(text)
            except asyncio.QueueFull:
                log.warning("a live page fell behind and was dropped; it will reconnect")
                self._clients.pop(ws, None)
                closing = asyncio.ensure_future(ws.close())
                self._closing.add(closing)
                closing.add_done_callback(self._closing.discard)

    async def _on_index(self, _request: web.Request) -> web.Response:
        return _static_response("index.html")

    async def _on_static(self, request: web.Request) -> web.Response:
        name = request.match_info["name"]
        if name not in STATIC:
            raise web.HTTPNotFound()
        return _static_response(name)

    async def _on_snapshot(self, _request: web.Request) -> web.Response:
        return web.json_response(self._follower.snapshot())

    async def _on_ws(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(heartbeat=20)
        await ws.prepare(request)
        queue: asyncio.Queue[str | None] = asyncio.Queue(QUEUE_LIMIT)
        queue.put_nowait(json.dumps(self._follower.snapshot(), separators=(",", ":")))
        self._clients[ws] = queue
        sender = asyncio.ensure_future(_send_all(ws, queue))
        try:
            async for msg in ws:
                if msg.type == WSMsgType.TEXT and _wants_snapshot(msg.data):
                    with contextlib.suppress(asyncio.QueueFull):
                        snapshot = self._follower.snapshot()
                        queue.put_nowait(json.dumps(snapshot, separators=(",", ":")))
        finally:
            self._clients.pop(ws, None)
            sender.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await sender
        return ws


async def _send_all(ws: web.WebSocketResponse, queue: asyncio.Queue[str | None]) -> None:
    while True:
        text = await queue.get()
        if text is None or ws.closed:
            return
        try:
            await ws.send_str(text)
        except (ConnectionError, RuntimeError):
            return


def _wants_snapshot(data: Any) -> bool:
    """The only thing a page may say: send me the board again. Anything else is ignored."""
    try:
        return bool(json.loads(data).get("want") == "snapshot")
    except (ValueError, AttributeError):
        return False


def _static_response(name: str) -> web.Response:
    body = resources.files("timingboard.web").joinpath("static", name).read_bytes()
    suffix = name[name.rfind(".") :]
    headers = {"Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff"}
    return web.Response(body=body, content_type=CONTENT_TYPES[suffix], headers=headers)


class _NotAnAddress(OSError):
    """``--web-host`` names no address this computer has (it cannot be resolved)."""

    def __init__(self, host: str) -> None:
        super().__init__(
            f"{host!r} is not an address of this computer (127.0.0.1, 0.0.0.0 or its own)"
        )


def _failure_text(exc: BaseException) -> str:
    """Why the page could not be served, in words (an OSError's without ``[Errno N]``)."""
    if isinstance(exc, OSError) and not isinstance(exc, _NotAnAddress) and exc.strerror:
        return exc.strerror
    return str(exc)
