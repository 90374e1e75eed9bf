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


def _check_types(event: Event) -> None:
    for f in dataclasses.fields(event):
        value = getattr(event, f.name)
        expected = str(f.type)
        if expected == "SessionSettings" and not isinstance(value, SessionSettings):
            raise DecodeError(f"{type(event).__name__}.{f.name} is not session settings")
        if expected == "int" and (not isinstance(value, int) or isinstance(value, bool)):
            raise DecodeError(f"{type(event).__name__}.{f.name} is not a whole number")
        if expected == "str" and not isinstance(value, str):
            raise DecodeError(f"{type(event).__name__}.{f.name} is not text")


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
