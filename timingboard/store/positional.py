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
from timingboard.engine.frozen import maker

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


_made = maker(Passing)  # the frozen record made without its keyword call: 120k in a 24 h log


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
