"""Which format a results file is written in: the one asked for, else the one its name ends with.

One rule for the command (``results -o out.pdf``) and the window's Export: a name that ends
``.pdf`` gets a PDF, never CSV text under a PDF's name; a format asked for that the name
contradicts is refused before anything is written, and so is a name that ends with no format
(``-o r.txt``: CSV under it was a guess) unless ``--format`` says which. A device or a pipe
(``-o /dev/stdout``) has no extension to say it: CSV unless asked.
"""

from __future__ import annotations

from pathlib import Path

FORMATS = ("csv", "json", "html", "pdf")
NAMED = ("pdf", "html", "csv", "json")  # as the README names them
BY_SUFFIX = {".pdf": "pdf", ".html": "html", ".htm": "html", ".csv": "csv", ".json": "json"}


def format_of_name(path: str | Path) -> str | None:
    """``pdf`` for ``out.PDF``; None for a name that ends with no format we write."""
    return BY_SUFFIX.get(Path(path).suffix.lower())


def chosen_format(asked: str | None, output: str | Path | None) -> str:
    """The format to write; ``ValueError`` says why when the name and the format disagree."""
    named = format_of_name(output) if output else None
    if asked is None and named is None and output and not _stream(Path(output)):
        raise ValueError(
            f"cannot tell the format of {Path(output).name}: end it with "
            f"{', '.join(f'.{f}' for f in NAMED)}, or add --format {'|'.join(NAMED)}"
        )
    if asked is None:
        return named or "csv"
    if named is not None and named != asked:
        raise ValueError(
            f"{Path(str(output)).name} names a {named.upper()} file but --format {asked} was "
            f"asked for: end the name with .{asked}, or leave --format out"
        )
    return asked


def _stream(path: Path) -> bool:
    """A device or a pipe (``/dev/stdout``): written as it is, named by no extension."""
    return path.exists() and not path.resolve().is_file() and not path.is_dir()
