"""A folder for sessions nobody asked to keep (the demo's, the simulator's): gone at exit."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path


class ScratchFolder:
    """The folder the user named (``keep``, kept), else a new temporary folder removed by
    :meth:`close` (temporary folders of every run piled up before)."""

    def __init__(self, prefix: str, keep: str | Path | None = None) -> None:
        self.made = keep is None
        self.path = Path(tempfile.mkdtemp(prefix=prefix)) if keep is None else Path(keep)
        self.path.mkdir(parents=True, exist_ok=True)

    def close(self) -> None:
        if self.made:
            shutil.rmtree(self.path, ignore_errors=True)
