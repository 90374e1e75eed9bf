"""Events and settings to and from JSON-ready dicts, for the session file."""

from __future__ import annotations

import dataclasses
from typing import Any

from timingboard.engine.events import EVENT_TYPES, Event, Flag, Source
from timingboard.engine.settings import LengthUnit, SessionKind, SessionSettings


def _member_of(enum: Any) -> Any:
    """The enum member with a stored value, found without the enum's slow call."""
    members = {member.value: member for member in enum}

    def member(value: Any) -> Any:
        try:
            return members[value]
        except (KeyError, TypeError):
            return enum(value)  # raises the enum's own ValueError

    return member


_CONVERTERS: dict[str, Any] = {
    "settings": lambda v: decode_settings(v),
    "source": _member_of(Source),
    "flag": _member_of(Flag),
    "transponders": lambda v: tuple(str(x) for x in v),
}


class DecodeError(ValueError):
    """A stored record that is not a valid event or settings."""


def encode_event(event: Event) -> tuple[str, dict[str, Any]]:
    return type(event).__name__, dataclasses.asdict(event)


def decode_event(kind: str, payload: dict[str, Any]) -> Event:
    """The event a stored record holds; ``payload`` (freshly parsed) may be changed."""
    decode = _DECODERS.get(kind)
    if decode is None or not isinstance(payload, dict):
        raise DecodeError(f"unknown event kind {kind!r}")
    return decode(payload)


# What a checked field may hold (the exact types), and what to say when it does not.
_TYPE_RULES: dict[str, tuple[tuple[type, ...], str]] = {
    "int": ((int,), "is not a whole number"),
    "int | None": ((int, type(None)), "is not a whole number"),
    "bool": ((bool,), "is not yes or no"),
    "str": ((str,), "is not text"),
    "SessionSettings": ((SessionSettings,), "is not session settings"),
}


def _decoder_for(cls: type) -> Any:
    """One event type's decoder, its conversions and checks worked out once (a 24 h log has
    120k records to decode). A damaged record can hold anything: each field is checked."""
    fields = dataclasses.fields(cls)
    converters = tuple((f.name, _CONVERTERS[f.name]) for f in fields if f.name in _CONVERTERS)
    checks = tuple(
        (f.name, *_TYPE_RULES[str(f.type)]) for f in fields if str(f.type) in _TYPE_RULES
    )
    kind = cls.__name__

    def decode(values: dict[str, Any]) -> Event:
        try:
            for name, convert in converters:
                if name in values:
                    values[name] = convert(values[name])
            event = cls(**values)
        except (TypeError, ValueError) as exc:
            raise DecodeError(f"{kind} record is damaged: {exc}") from None
        for name, allowed, message in checks:
            if type(getattr(event, name)) not in allowed:
                raise DecodeError(f"{kind}.{name} {message}")
        return event

    return decode


_DECODERS: dict[str, Any] = {kind: _decoder_for(cls) for kind, cls in EVENT_TYPES.items()}


def encode_settings(settings: SessionSettings) -> dict[str, Any]:
    return dataclasses.asdict(settings)


def decode_settings(payload: dict[str, Any]) -> SessionSettings:
    try:
        values = dict(payload)
        values["kind"] = SessionKind(values.get("kind", "race"))
        values["length_unit"] = LengthUnit(values.get("length_unit", "mi"))
        values["stage_laps"] = tuple(int(lap) for lap in values.get("stage_laps", ()))
        return SessionSettings(**values)
    except (TypeError, ValueError) as exc:
        raise DecodeError(f"session settings are damaged: {exc}") from None
