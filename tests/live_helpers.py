"""Helpers for the live timing tests: a real Mosquitto, a WebSocket reader, headless Chromium."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import shutil
import socket
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

MOSQUITTO = shutil.which("mosquitto") or "/usr/sbin/mosquitto"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"


def need(path: str, what: str) -> None:
    """The README's test command installs these; say so plainly where one is missing."""
    if not os.access(path, os.X_OK):
        message = f"{what} ({path}) is not installed: run scripts/install-test-system"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Broker:
    """A real Mosquitto on loopback, with an MQTT and a WebSocket listener."""

    def __init__(self, folder: Path) -> None:
        need(MOSQUITTO, "Mosquitto")
        self.port, self.ws_port = free_port(), free_port()
        self.config = folder / "mosquitto.conf"
        self.config.write_text(
            "per_listener_settings false\nallow_anonymous true\npersistence false\n"
            "log_dest stderr\nlog_type information\n"
            f"listener {self.port} 127.0.0.1\n"
            f"listener {self.ws_port} 127.0.0.1\nprotocol websockets\n"
        )
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def address(self) -> tuple[str, int]:
        """Where a board publishes (``LiveOptions(mqtt=...)``)."""
        return ("127.0.0.1", self.port)

    def url(self, topic: str = "timingboard/clash") -> str:
        """What a following board is given: ``mqtt://127.0.0.1:port/topic``."""
        return f"mqtt://127.0.0.1:{self.port}/{topic}"

    def page_query(self, topic: str) -> str:
        """What the live page is given to read the broker's WebSocket instead of the board."""
        return f"?mqtt=ws://127.0.0.1:{self.ws_port}&topic={topic}"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [MOSQUITTO, "-c", str(self.config)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,  # unbuffered, unlike a piped stdout
        )
        assert self.process.stderr is not None
        said = []
        for line in self.process.stderr:  # Mosquitto says "running" once both listeners are open
            said.append(line.decode(errors="replace"))
            if b" running" in line:
                break
        else:
            raise RuntimeError("Mosquitto did not start: " + "".join(said))
        self._drain = threading.Thread(target=self.process.stderr.read, daemon=True)
        self._drain.start()

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(10)
            self._drain.join(10)
            if self.process.stderr is not None:
                self.process.stderr.close()
            self.process = None


@contextlib.contextmanager
def broker(folder: Path) -> Iterator[Broker]:
    made = Broker(folder)
    made.start()
    try:
        yield made
    finally:
        made.stop()


class WebSocketReader:
    """Reads a page's WebSocket in a thread of its own; messages land in :attr:`messages`."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.messages: list[dict[str, Any]] = []
        self._stop: asyncio.Event | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> WebSocketReader:
        self._thread.start()
        self._ready.wait(10)
        return self

    def __exit__(self, *_exc: object) -> None:
        if self._loop is not None and self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(10)

    def _run(self) -> None:
        asyncio.run(self._read())

    async def _read(self) -> None:
        import aiohttp

        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        async with aiohttp.ClientSession() as session, session.ws_connect(self.url) as ws:
            self._ready.set()
            stop = asyncio.ensure_future(self._stop.wait())
            while not self._stop.is_set():
                receive = asyncio.ensure_future(ws.receive())
                done, _ = await asyncio.wait({receive, stop}, return_when=asyncio.FIRST_COMPLETED)
                if receive not in done:
                    receive.cancel()
                    break
                msg = receive.result()
                if msg.type != aiohttp.WSMsgType.TEXT:
                    break
                self.messages.append(json.loads(msg.data))
            stop.cancel()


def chromium_driver():  # -> selenium WebDriver
    need(CHROMIUM, "Chromium")
    need(CHROMEDRIVER, "ChromeDriver")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=420,900",
    ):
        options.add_argument(flag)
    return webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)


@contextlib.contextmanager
def chromium_at(url: str) -> Iterator[Any]:  # a selenium WebDriver, quit afterwards
    """Headless Chromium showing ``url``."""
    driver = chromium_driver()
    try:
        driver.get(url)
        yield driver
    finally:
        driver.quit()


def command(home: Path, *args: str):  # -> test_cli_commands.Gui
    """test_cli_commands' Gui, reading the pipe itself: two lines that come in one read are
    both seen (``readline`` on the text pipe would keep the second where ``select`` cannot see
    it, and wait for ever for a line already there)."""
    import os
    import re
    import selectors
    import time

    from test_cli_commands import STARTUP_S, Gui

    class Lines(Gui):
        def wait_for(self, pattern: str, timeout: float = STARTUP_S) -> re.Match[str]:
            assert self.process.stdout is not None
            fd, partial = self.process.stdout.fileno(), getattr(self, "_partial", "")
            deadline = time.monotonic() + timeout
            with selectors.DefaultSelector() as selector:
                selector.register(fd, selectors.EVENT_READ)
                while True:
                    for line in self.lines:
                        if found := re.search(pattern, line):
                            self._partial = partial
                            return found
                    left = deadline - time.monotonic()
                    if left <= 0 or not selector.select(timeout=left):
                        break
                    chunk = os.read(fd, 65536)
                    if not chunk:
                        break  # the command ended
                    *done, partial = (partial + chunk.decode(errors="replace")).split("\n")
                    self.lines.extend(done)
            stderr = self.stop()
            raise AssertionError(f"never said {pattern!r}; stdout {self.lines}; stderr {stderr}")

    return Lines(home, *args)
