"""Passings read by position: the record as the recorder writes it, without a dict between.

A 24-hour log is 120k passings; parsing each into a dict and then checking and converting it
field by field (:func:`timingboard.store.codec.decode_event`) was most of the time to read one.
A passing record written as the recorder writes it (``json.dumps`` of its fields, in order) is
matched whole here and its fields taken by position. Anything else, and anything that would
need the JSON parser to read it (an escape, an unknown source, a field out of place, a damaged
byte), does not match and goes the general way, which names what is wrong with it: so this
path gives exactly the event the general one would, or none.
"""

from __future__ import annotations

import re

from timingboard.engine.events import Passing, Source

__all__ = ["passing_at"]

_STRING = rb'"([^"\\\x00-\x1f]*)"'  # text with no escape: its bytes are its characters
_WHOLE = rb"(-?(?:0|[1-9][0-9]*))"  # a JSON whole number (no fraction, no exponent)
_COLON = rb" ?: ?"
_COMMA = rb" ?, ?"
_PASSING = re.compile(
    rb'\{"time_ms"'
    + _COLON
    + _WHOLE
    + _COMMA
    + rb'"key"'
    + _COLON
    + _STRING
    + _COMMA
    + rb'"car"'
    + _COLON
    + _STRING
    + _COMMA
    + rb'"transponder"'
    + _COLON
    + _STRING
    + _COMMA
    + rb'"source"'
    + _COLON
    + rb'"(decoder|feed|manual)"\}'
)
_SOURCES = {member.value.encode(): member for member in Source}
_match = _PASSING.fullmatch


class _Unfrozen:
    """A passing's fields in a plain class of the same layout, set as fast as Python sets
    anything; the object then becomes the frozen :class:`Passing` it is (``__class__``)."""

    __slots__ = Passing.__slots__

    def __init__(self, time_ms: int, key: str, car: str, transponder: str, source: Source):
        self.time_ms = time_ms
        self.key = key
        self.car = car
        self.transponder = transponder
        self.source = source


def _made(time_ms: int, key: str, car: str, transponder: str, source: Source) -> Passing:
    made = _Unfrozen(time_ms, key, car, transponder, source)
    made.__class__ = Passing  # type: ignore[assignment]
    return made  # type: ignore[return-value]


def _made_slowly(time_ms: int, key: str, car: str, transponder: str, source: Source) -> Passing:
    return Passing(time_ms=time_ms, key=key, car=car, transponder=transponder, source=source)


def _swap_works() -> bool:
    """Whether :func:`_made` gives a true :class:`Passing` here (the layouts agree)."""
    try:
        sample = _made(1, "k", "c", "t", Source.FEED)
    except TypeError:
        return False
    return type(sample) is Passing and sample == _made_slowly(1, "k", "c", "t", Source.FEED)


if not _swap_works():  # pragma: no cover - only if Passing gained a field or a base
    _made = _made_slowly


NAMES_KEPT = 4096  # distinct names shared (a field has a few hundred cars at most)
_names: dict[bytes, str] = {}


def _name(raw: bytes) -> str:
    """One string object for each car name, key or transponder read (not one per passing:
    120k passings of 60 cars held 240k copies, ~10 MB, in the log and again in the engine)."""
    text = _names.get(raw)
    if text is None:
        text = raw.decode()
        if len(_names) < NAMES_KEPT:
            _names[raw] = text
    return text


def passing_at(payload: bytes) -> Passing | None:
    """The passing a record holds when it is written as the recorder writes one; else None."""
    found = _match(payload)
    if found is None:
        return None
    time_ms, key, car, transponder, source = found.groups()
    try:
        return _made(int(time_ms), _name(key), _name(car), _name(transponder), _SOURCES[source])
    except UnicodeDecodeError:
        return None  # not UTF-8: the general way names it
