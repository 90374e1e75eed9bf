"""The ``timingboard`` command's first lines: a TERM or Ctrl+C is held (app/early_stop.py)
before anything heavy is imported (Qt, the charts, the engine: 1-3 s), then the command runs."""

from __future__ import annotations

import sys


def run() -> None:
    """The ``timingboard`` command: signals held first, then everything else imported."""
    from timingboard.app.early_stop import hold_early_signals

    hold_early_signals(sys.argv[1:])
    from timingboard.cli import run as command

    command()
