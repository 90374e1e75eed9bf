"""A TERM or Ctrl+C that comes while a window command is still starting is held, not fatal.

The handlers that close the window cleanly (``app.run.stop_on_signals``) are installed once the
window is built, 1-3 s after the start (Qt, the charts, the session read); a TERM before that
killed the process at once, its session file's lock and write-ahead log left beside it, and a
Ctrl+C printed a KeyboardInterrupt traceback. This module imports nothing heavy, so its handler
is in place within milliseconds of the interpreter; a signal it holds is acted on as soon as the
real handlers are in (the window closes as its close button does, and the command ends).
"""

from __future__ import annotations

import signal
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

# the commands whose window closes on a TERM (p3 decoders and follow install their own)
WINDOW_COMMANDS = frozenset({"demo", "open", "replay", "connect"})
STOPS = (signal.SIGINT, signal.SIGTERM)
_held: list[int] = []
_told: list[Callable[[], None]] = []  # told of a stop as it comes (a long open cancels)


def is_window_command(argv: Sequence[str]) -> bool:
    """Plain ``timingboard`` (the demo or the start dialog) and the window commands."""
    words = [a for a in argv if not a.startswith("-")]
    if not words:
        return not any(a in ("-h", "--help") for a in argv)
    if words[0] == "connect":
        return not any(w.startswith("p3://") for w in words[1:])
    return words[0] in WINDOW_COMMANDS


def _hold(number: int, _frame: object) -> None:
    _held.append(number)
    for tell in list(_told):
        tell()


@contextmanager
def telling(tell: Callable[[], None]) -> Iterator[None]:
    """Within it, a stop held is also told to ``tell`` as it comes (``timingboard open`` of a
    long file cancels the open then, not seconds later once the window is up and it is done).
    The stop stays held (:func:`held`) for the window's handlers."""
    _told.append(tell)
    try:
        yield
    finally:
        _told.remove(tell)


def pending() -> bool:
    """Whether a stop came and is held (not taken: :func:`held` still says it)."""
    return bool(_held)


def hold_early_signals(argv: Sequence[str]) -> None:
    """Hold a TERM or Ctrl+C until the window's own handlers take over (window commands only:
    a headless command ends on them as ever)."""
    if is_window_command(argv):
        for number in STOPS:
            if signal.getsignal(number) in (signal.SIG_DFL, signal.default_int_handler):
                signal.signal(number, _hold)


def hold_again(*_: object) -> None:
    """Hold a stop again until the window's handlers are in (:func:`held`): a handler of the
    moment (the start dialog's, which closes the dialog) is done with, the window is built."""
    for number in STOPS:
        signal.signal(number, _hold)


def held() -> bool:
    """Whether a stop came before the window's handlers were installed (taken once)."""
    came = bool(_held)
    _held.clear()
    return came
