"""Which format a results file is written in: the one asked for, else the one its name ends with.

One rule for the command (``results -o out.pdf``) and the window's Export: a name that ends
``.pdf`` gets a PDF, never CSV text under a PDF's name; a format asked for that the name
contradicts is refused before anything is written.
"""

from __future__ import annotations

from pathlib import Path

FORMATS = ("csv", "json", "html", "pdf")
BY_SUFFIX = {".pdf": "pdf", ".html": "html", ".htm": "html", ".csv": "csv", ".json": "json"}


def format_of_name(path: str | Path) -> str | None:
    """``pdf`` for ``out.PDF``; None for a name that ends with no format we write."""
    return BY_SUFFIX.get(Path(path).suffix.lower())


def chosen_format(asked: str | None, output: str | Path | None) -> str:
    """The format to write; ``ValueError`` says why when the name and the format disagree."""
    named = format_of_name(output) if output else None
    if asked is None:
        return named or "csv"
    if named is not None and named != asked:
        raise ValueError(
            f"{Path(str(output)).name} names a {named.upper()} file but --format {asked} was "
            f"asked for: end the name with .{asked}, or leave --format out"
        )
    return asked
