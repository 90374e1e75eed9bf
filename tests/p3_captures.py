"""The shared P3 decoder captures, read where they are (never copied into the repo)."""

from __future__ import annotations

from pathlib import Path

import pytest

P3_FEEDS = Path(__file__).resolve().parents[2] / "shared" / "feeds" / "p3"
LONG = P3_FEEDS / "ambp3client_amb.out"
SHORT = P3_FEEDS / "ambp3client_amb-short.out"

needs_captures = pytest.mark.skipif(not LONG.exists(), reason="../shared/feeds/p3 is not here")


def wires(path: Path = LONG) -> list[bytes]:
    """Each record of a capture as on the wire."""
    return [bytes.fromhex(line) for line in path.read_text().split()]
