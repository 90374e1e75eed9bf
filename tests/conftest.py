"""Headless Qt for every test; a test that leaves a thread or timer running fails."""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).parent))

SHARED_FEEDS = Path(__file__).resolve().parents[2] / "shared" / "feeds" / "rmonitor"
