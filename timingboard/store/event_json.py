"""An event's stored record, the JSON text ``json.dumps(dataclasses.asdict(event))`` gives,
written without either: the session file's hot path when a session is recorded or imported.

``asdict`` walks every value (and deep-copies each enum) and ``json.dumps`` sets up an encoder
per call; a 24-hour import spent more time in those two than in the engine. Here each event
type gets one function, written once from its fields, that puts the values straight into the
text: a whole number as itself, text through ``json``'s own string encoder, an enum as its
value (written once), None as ``null``. The hash chain covers these bytes, so they must be the
very ones the old path wrote: a value of any other type than its field declares (a float in a
whole-number field, say) takes the old path for that event (tests/test_event_json.py checks
that both agree).
"""

from __future__ import annotations

import dataclasses
import enum
import json
import typing
from collections.abc import Callable
from json.encoder import encode_basestring_ascii
from operator import attrgetter
from typing import Any

from timingboard.engine.events import EVENT_TYPES, Passing, Source

Encoder = Callable[[Any], str]


def asdict_json(event: Any) -> str:
    """The record as it was always written (and still is, for any value out of the common)."""
    return json.dumps(dataclasses.asdict(event))


def event_json(event: Any) -> tuple[str, str]:
    """The stored kind and payload text of ``event``."""
    kind = type(event)
    encode = EVENT_ENCODERS.get(kind)
    if encode is None:
        return kind.__name__, asdict_json(event)
    return kind.__name__, encode(event)


def _field_code(name: str, hint: Any) -> tuple[str, str, str] | None:
    """How one field is checked and written: (a statement before, the check, the text), or
    None when its type is one the old path must write."""
    if hint is int:
        return "", f"type({name}) is int", f"{{{name}}}"
    if hint is str:  # most text fields are empty: written without a call
        return f"    {name}_ = _esc({name}) if {name} else '\"\"'\n", f"type({name}) is str", ""
    if hint is bool:
        return f"    {name}_ = 'true' if {name} else 'false'\n", f"type({name}) is bool", ""
    if hint == int | None:
        check = f"({name} is None or type({name}) is int)"
        return f"    {name}_ = 'null' if {name} is None else str({name})\n", check, ""
    if isinstance(hint, type) and issubclass(hint, enum.Enum) and issubclass(hint, str):
        return "", f"type({name}) is _{hint.__name__}", f"{{_{hint.__name__}_text[{name}]}}"
    if hint == tuple[str, ...]:
        check = f"type({name}) is tuple and all(type(x) is str for x in {name})"
        before = f"    {name}_ = '[' + ', '.join(map(_esc, {name})) + ']'\n"
        return before, check, ""
    return None


def _encoder_for(cls: type) -> Encoder | None:
    """The writing function of one event type (None: its fields need the old path)."""
    hints = typing.get_type_hints(cls)
    names = [field.name for field in dataclasses.fields(cls)]
    codes = [_field_code(name, hints[name]) for name in names]
    if not names or any(code is None for code in codes):
        return None
    befores, checks, parts = [], [], []
    for name, code in zip(names, codes, strict=True):
        assert code is not None
        before, check, text = code
        befores.append(before)
        checks.append(check)
        parts.append(f'"{name}": {text or "{" + name + "_}"}')
    unpack = ", ".join(names) + ("," if len(names) == 1 else "")
    body = "{{" + ", ".join(parts) + "}}"
    source = (
        f"def encode(event):\n"
        f"    {unpack} = _values(event)\n"
        f"    if not ({' and '.join(checks)}):\n"
        f"        return _slow(event)\n"
        f"{''.join(befores)}"
        f"    return f'{body}'\n"
    )
    namespace: dict[str, Any] = {
        "_values": attrgetter(*names) if len(names) > 1 else lambda e: (getattr(e, names[0]),),
        "_esc": encode_basestring_ascii,
        "_slow": asdict_json,
    }
    for hint in hints.values():
        if isinstance(hint, type) and issubclass(hint, enum.Enum):
            namespace[f"_{hint.__name__}"] = hint
            namespace[f"_{hint.__name__}_text"] = {
                m: encode_basestring_ascii(m.value) for m in hint
            }
    exec(source, namespace)  # the function a hand would write for these fields
    encode: Encoder = namespace["encode"]
    encode.__doc__ = f"The stored JSON of a {cls.__name__}.\n\n{source}"
    return encode


TAILS_KEPT = 4096  # texts a passing's names end in, kept (a session has one or a few a car)


def _memo_passing(encode: Encoder) -> Encoder:
    """``encode`` for passings, the text after the time kept by its key, car and transponder
    with the source it was made for: each car's passings of a feed share them (a 24-hour
    import's 118k: a look-up each, not five checks and three escapes). The text is made by
    ``encode`` for names not seen yet, and kept only for names of their declared types;
    any other name that finds it is equal to one of those (a ``str`` subclass), which both
    paths write as the same text: the bytes are ``encode``'s, always."""
    tails: dict[tuple[Any, ...], tuple[Any, str]] = {}
    head = '{"time_ms": '

    def encoded(event: Any) -> str:
        time_ms = event.time_ms
        try:
            kept = tails.get((event.key, event.car, event.transponder))
        except TypeError:  # a name that cannot be one (a list): the old path says what it does
            return encode(event)
        if kept is not None and kept[0] is event.source and type(time_ms) is int:
            return f"{head}{time_ms}{kept[1]}"
        return remembered(event)

    def remembered(event: Any) -> str:
        text = encode(event)
        names = (event.key, event.car, event.transponder)
        typed = type(event.time_ms) is int and type(event.source) is Source
        if typed and all(type(name) is str for name in names):
            if len(tails) >= TAILS_KEPT:
                tails.clear()
            tails[names] = (event.source, text[len(head) + len(str(event.time_ms)) :])
        return text

    encoded.__doc__ = encode.__doc__
    return encoded


def _encoders() -> dict[type, Encoder]:
    """A writing function for each event type that has one; a passing's with its memo."""
    made = {
        cls: encoder for cls in EVENT_TYPES.values() if (encoder := _encoder_for(cls)) is not None
    }
    made[Passing] = _memo_passing(made[Passing])
    return made


EVENT_ENCODERS: dict[type, Encoder] = _encoders()
