"""A folder for sessions nobody asked to keep (the demo's, the simulator's): gone at exit.

Only the files the demo made go: a session or export the user saved there is kept, and the
folder with it (a temporary folder once took the operator's own session with it, silently).
"""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Iterable
from pathlib import Path

SIDE_FILES = ("", "-lock", "-journal", "-wal", "-shm", ".partial")
_MADE: set[Path] = set()  # the temporary folders of this run, never offered to save in


def is_scratch(path: str | Path) -> bool:
    """``path`` lies in a temporary folder of this run (one that goes at exit)."""
    resolved = Path(path).resolve()
    return any(resolved.is_relative_to(folder) for folder in _MADE)


class ScratchFolder:
    """The folder the user named (``keep``, kept), else a new temporary folder whose own files
    :meth:`close` removes (temporary folders of every run piled up before)."""

    def __init__(self, prefix: str, keep: str | Path | None = None) -> None:
        self.made = keep is None
        self.path = Path(tempfile.mkdtemp(prefix=prefix)) if keep is None else Path(keep)
        self.path.mkdir(parents=True, exist_ok=True)
        if self.made:
            _MADE.add(self.path.resolve())

    def close(self, own: Iterable[Path] = ()) -> list[Path]:
        """Remove the files in ``own`` (with their side files) and the folders left empty.

        Returns the files kept: those someone else made here (the folder stays with them).
        """
        if not self.made:
            return []
        for path in own:
            for side in SIDE_FILES:
                Path(f"{path}{side}").unlink(missing_ok=True)
        if not self.path.exists():
            return []
        folders = sorted((p for p in self.path.rglob("*") if p.is_dir()), reverse=True)
        for folder in [*folders, self.path]:  # deepest first; a folder with files stays
            with contextlib.suppress(OSError):
                folder.rmdir()
        kept = sorted(p for p in self.path.rglob("*") if p.is_file()) if self.path.exists() else []
        if not kept:
            _MADE.discard(self.path.resolve())
        return kept

    def kept_text(self, kept: list[Path]) -> str:
        """The line that says why the temporary folder is still there."""
        names = ", ".join(str(p.relative_to(self.path)) for p in kept[:5])
        more = f" and {len(kept) - 5} more" if len(kept) > 5 else ""
        return f"kept {self.path}: it holds files you made there ({names}{more})"
