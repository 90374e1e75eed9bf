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


_NUMBERED = re.compile(r"(.*?)-\d+-.*\.tbs")  # feed-07-heat.tbs, a capture's NAME-07-heat.tbs


def number_key(name: str) -> tuple[tuple[int, str | int], ...]:
    """``name`` to sort by with its numbers read as numbers: ``feed-99-…`` before
    ``feed-100-…`` (by their characters, "1" before "9", feed-100 came first)."""
    return tuple(
        (1, int(piece)) if piece.isdigit() else (0, piece)
        for piece in re.split(r"(\d+)", name)
        if piece
    )


def in_number_order(paths: list[Path]) -> list[Path]:
    """``paths``, the numbered files of one series (``feed-NN-….tbs`` a feed made, one per
    session; a capture's ``NAME-NN-….tbs`` imported) in the order of their numbers, in the
    places the series holds; any other file where it is. The number is the order they were
    made in: a folder copied file by file ("feed-100" copied before "feed-99") or files of
    one second lost the order of their times, and by name feed-100 came before feed-99."""
    series: dict[str, list[int]] = {}
    for index, path in enumerate(paths):
        numbered = _NUMBERED.fullmatch(path.name)
        if numbered is not None:
            series.setdefault(numbered.group(1), []).append(index)
    ordered = list(paths)
    for places in series.values():
        members = sorted((paths[i] for i in places), key=lambda p: number_key(p.name))
        for place, path in zip(places, members, strict=True):
            ordered[place] = path
    return ordered


def free_path(path: Path) -> Path:
    """``path``, or ``stem-2.tbs``, ``stem-3.tbs``… if it is taken."""
    candidate, index = path, 1
    while candidate.exists():
        index += 1
        candidate = path.with_name(f"{path.stem}-{index}{path.suffix}")
    return candidate
