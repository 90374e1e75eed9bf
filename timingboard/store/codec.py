"""Events and settings to and from JSON-ready dicts, for the session file."""

from __future__ import annotations

import dataclasses
from typing import Any

from timingboard.engine.events import EVENT_TYPES, Event, Flag, Source
from timingboard.engine.settings import LengthUnit, SessionKind, SessionSettings

_CONVERTERS: dict[str, Any] = {
    "settings": lambda v: decode_settings(v),
    "source": Source,
    "flag": Flag,
    "transponders": lambda v: tuple(str(x) for x in v),
}


class DecodeError(ValueError):
    """A stored record that is not a valid event or settings."""


def encode_event(event: Event) -> tuple[str, dict[str, Any]]:
    return type(event).__name__, dataclasses.asdict(event)


def decode_event(kind: str, payload: dict[str, Any]) -> Event:
    cls = EVENT_TYPES.get(kind)
    if cls is None or not isinstance(payload, dict):
        raise DecodeError(f"unknown event kind {kind!r}")
    try:
        values = {k: _CONVERTERS[k](v) if k in _CONVERTERS else v for k, v in payload.items()}
        event = cls(**values)
    except (TypeError, ValueError) as exc:
        raise DecodeError(f"{kind} record is damaged: {exc}") from None
    _check_types(event)
    return event


_CHECKED = {"int", "str", "bool", "int | None", "SessionSettings"}
_FIELD_TYPES: dict[type, tuple[tuple[str, str], ...]] = {
    cls: tuple((f.name, str(f.type)) for f in dataclasses.fields(cls) if str(f.type) in _CHECKED)
    for cls in EVENT_TYPES.values()
}


def _check_types(event: Event) -> None:
    """A damaged record can hold anything: check what each field must be."""
    for name, expected in _FIELD_TYPES[type(event)]:
        value = getattr(event, name)
        if expected == "int" and (type(value) is not int):
            raise DecodeError(f"{type(event).__name__}.{name} is not a whole number")
        if expected == "int | None" and value is not None and type(value) is not int:
            raise DecodeError(f"{type(event).__name__}.{name} is not a whole number")
        if expected == "bool" and type(value) is not bool:
            raise DecodeError(f"{type(event).__name__}.{name} is not yes or no")
        if expected == "str" and type(value) is not str:
            raise DecodeError(f"{type(event).__name__}.{name} is not text")
        if expected == "SessionSettings" and not isinstance(value, SessionSettings):
            raise DecodeError(f"{type(event).__name__}.{name} is not session settings")


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
