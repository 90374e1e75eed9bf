"""Frozen event records made fast, from values already known to be what their fields declare.

A frozen dataclass sets each field through ``object.__setattr__`` from keyword arguments; a
24-hour import makes 120k passings that way (a tenth of its time). :func:`maker` gives, for one
such class, a function that takes the field values in order and makes the very same record in
a plain class of the same layout, which then becomes the frozen class (``__class__``): about
three times sooner. Nothing is checked or defaulted: it is for values read or validated already
(a feed's crossing, a stored passing matched whole); anything else goes through the class.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")


def maker(cls: type[T]) -> Callable[..., T]:
    """``make(*values)``: a ``cls`` of those field values, in the order its fields are declared.

    The class's own call (keywords, defaults, ``__post_init__``) is used where the fast one
    cannot give an equal record: a class with bases of its own, or slots beyond its fields.
    """
    names = [field.name for field in dataclasses.fields(cls)]  # type: ignore[arg-type]

    def slowly(*values: Any) -> T:
        return cls(**dict(zip(names, values, strict=True)))

    if (
        cls.__bases__ != (object,)
        or tuple(getattr(cls, "__slots__", ())) != tuple(names)
        or hasattr(cls, "__post_init__")
    ):
        return slowly
    arguments = ", ".join(names)
    sets = "".join(f"        self.{name} = {name}\n" for name in names)
    source = (
        "class Twin:\n"
        f"    __slots__ = {tuple(names)!r}\n"
        f"    def __init__(self, {arguments}):\n"
        f"{sets}"
        "        self.__class__ = _cls\n"
    )
    namespace: dict[str, Any] = {"_cls": cls}
    exec(source, namespace)  # the class a hand would write for these fields
    make: Callable[..., T] = namespace["Twin"]
    if not _same(cls, make, slowly, len(names)):  # pragma: no cover - a layout CPython refuses
        return slowly
    return make


def _same(cls: type, make: Callable[..., Any], slowly: Callable[..., Any], count: int) -> bool:
    """Whether ``make`` gives a true ``cls`` equal to the class's own (the layouts agree)."""
    sample = [f"value {at}" for at in range(count)]
    try:
        made = make(*sample)
    except TypeError:
        return False
    return type(made) is cls and made == slowly(*sample)
