"""Where a timing system listens, as typed: ``HOST:PORT``, or ``HOST`` on the feed's own port.

One rule for every feed (RMonitor, P3): a host name or an IPv4 address, an IPv6 one in
brackets (``[::1]:50000``), and a port from 1 to 65535. Each feed says in its own words what
it expected when the text is not one.
"""

from __future__ import annotations

import re

_HOST = re.compile(r"^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.?)+$|^\[[0-9A-Fa-f:.]+\]$")


def host_and_port(text: str, default_port: int) -> tuple[str, int] | None:
    """The host (brackets taken off) and port of ``text`` (stripped), or None if it is not one."""
    if ":" in text and not text.endswith("]"):
        host, _, port = text.rpartition(":")
    else:
        host, port = text, str(default_port)
    if not _HOST.match(host) or ".." in host or not port.isdigit() or not 0 < int(port) < 65536:
        return None
    return host.strip("[]"), int(port)
