"""Names of the files timingboard writes: readable from the session's name, never overwriting."""

from __future__ import annotations

import re
from pathlib import Path


def slug(name: str, fallback: str = "session", longest: int = 40) -> str:
    """``Busch Light Clash - Heat 1`` → ``busch-light-clash-heat-1``."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:longest] or fallback


def folder_name(name: str, fallback: str = "timingboard event") -> str:
    """An event's name as its folder's (``Busch Light Clash``): read by the user, so kept as it
    is but for what a folder name cannot hold (separators, a leading dot, control characters)."""
    cleaned = "".join(" " if ch in '/\\:*?"<>|' or not ch.isprintable() else ch for ch in name)
    return " ".join(cleaned.split()).strip(" .") or fallback


def last_numbered(folder: Path, prefix: str) -> int:
    """The highest N of the ``{prefix}-NN-….tbs`` files in ``folder`` (0: none): a second
    ``connect`` to the same folder numbered its files from 01 again, beside the first's."""
    pattern = re.compile(rf"{re.escape(prefix)}-(\d+)-.*\.tbs")
    try:
        names = [p.name for p in folder.iterdir()]
    except OSError:  # not made yet (nothing written), or not readable: its files are unknown
        return 0
    numbers = (pattern.fullmatch(name) for name in names)
    return max((int(m.group(1)) for m in numbers if m), default=0)


def free_path(path: Path) -> Path:
    """``path``, or ``stem-2.tbs``, ``stem-3.tbs``… if it is taken."""
    candidate, index = path, 1
    while candidate.exists():
        index += 1
        candidate = path.with_name(f"{path.stem}-{index}{path.suffix}")
    return candidate
