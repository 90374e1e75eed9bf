"""``timingboard new`` and ``timingboard entries``: sessions made ready to time, and their entries.

Everything a command is given is checked before anything is written, so bad input ends with one
line on stderr, exit status 2, and no file made or changed.
"""

from __future__ import annotations

import argparse
import io
import sys
from collections.abc import Callable
from pathlib import Path

from timingboard.engine.events import CompetitorSet
from timingboard.engine.settings import (
    NEW_SESSION_MIN_LAP_MS,
    LengthUnit,
    SessionKind,
    SessionSettings,
)
from timingboard.engine.validation import InvalidEvent
from timingboard.store.atomic import new_files, refuse_unsafe_output
from timingboard.store.entry_list import (
    CsvImport,
    EntryList,
    EntryListError,
    changes,
    in_number_order,
    plural,
    read_csv,
    write_csv,
)
from timingboard.store.errors import missing, no_folder
from timingboard.store.event_folder import (
    EventFolderError,
    read_classes,
    write_classes,
)
from timingboard.store.file_kind import is_session_file
from timingboard.store.new_session import entries_of_session, make_session
from timingboard.store.recorder import SessionRecorder

MAX_MINUTES = 48 * 60
MAX_MIN_LAP_S = 3600.0
MAX_LENGTH = 100.0


def add_commands(commands: argparse._SubParsersAction, bounded: Callable[..., object]) -> None:
    """The two sub-commands, added to timingboard's parser; ``bounded`` makes number types."""
    new = commands.add_parser("new", help="a new session, ready to time, in an event's folder")
    new.add_argument("file", help="the session file to make (.tbs)")
    new.add_argument("--name", required=True, help="the session's name, e.g. 'Heat 1'")
    new.add_argument("--kind", choices=["race", "qualifying", "practice"], default="race")
    new.add_argument("--laps", type=bounded(int, 1, 10_000, "a number of laps from 1 to 10000"))
    new.add_argument(
        "--minutes",
        type=bounded(float, 0, MAX_MINUTES, f"minutes above 0, at most {MAX_MINUTES}", True),
    )
    new.add_argument("--track", help="the track's name (default: the event's)")
    new.add_argument(
        "--length",
        type=bounded(float, 0, MAX_LENGTH, f"a length above 0, at most {MAX_LENGTH:g}", True),
    )
    new.add_argument("--unit", choices=["mi", "km"], help="of --length (default mi)")
    new.add_argument(
        "--min-lap",
        type=bounded(float, 0, MAX_MIN_LAP_S, f"seconds from 0 to {MAX_MIN_LAP_S:g}"),
        metavar="S",
        help=f"shortest lap that counts, in seconds (default {NEW_SESSION_MIN_LAP_MS / 1000:g}; "
        "0: no minimum, every crossing is a lap)",
    )
    source = new.add_mutually_exclusive_group()
    source.add_argument("--entries", metavar="CSV", help="the entry list as CSV")
    source.add_argument(
        "--entries-from", metavar="SESSION", help="the entries of an earlier session"
    )
    new.add_argument("--skip-bad", action="store_true", help="import the good rows of a CSV")
    entries = commands.add_parser("entries", help="print, import or export a session's entry list")
    entries.add_argument("file", help="a session file (.tbs)")
    which = entries.add_mutually_exclusive_group()
    which.add_argument("--import", dest="import_csv", metavar="CSV", help="add or update entries")
    which.add_argument("--export", dest="export_csv", metavar="CSV", help="write them as CSV")
    entries.add_argument("--skip-bad", action="store_true", help="import the good rows of a CSV")


def run(args: argparse.Namespace) -> int:
    try:
        if args.command == "new":
            return _new(args)
        return _entries(args)
    except (EntryListError, EventFolderError) as exc:
        raise InvalidEvent(str(exc)) from None


def _from_csv(name: str, skip_bad: bool, instead: str) -> CsvImport:
    """The entries of a CSV, all of them or (``skip_bad``) its good rows; else the reasons.
    A session file given is said to be one, with what to do ``instead``."""
    path = _existing(name)
    if is_session_file(path):
        raise InvalidEvent(f"{name}: this is a timingboard session file, not a CSV; {instead}")
    found = read_csv(path)
    if found.problems and not skip_bad:
        raise InvalidEvent(
            f"{name}: {found.summary()}; nothing imported (--skip-bad takes the "
            f"{plural(len(found.entries), 'good row')})"
        )
    if not found.entries:
        raise InvalidEvent(f"{name}: no entries in it")
    return found


def _existing(name: str) -> Path:
    path = Path(name)
    if path.is_dir():
        raise InvalidEvent(f"{path} is a folder; name a file in it")
    if not path.exists():
        raise InvalidEvent(missing(path))
    return path


def _competitors_of(name: str) -> list[CompetitorSet]:
    return entries_of_session(_existing(name))


def _new(args: argparse.Namespace) -> int:
    path = Path(args.file)
    folder = path.parent
    if path.exists():
        raise InvalidEvent(f"{path} already exists; choose a new file name")
    if said := no_folder(folder):
        raise InvalidEvent(said)
    if path.suffix != ".tbs":
        raise InvalidEvent(f"{path}: a session file's name ends in .tbs")
    name = args.name.strip()
    if not name:
        raise InvalidEvent("the name must not be empty")
    if args.track is not None and args.length is None:
        raise InvalidEvent("--track needs --length (and --unit mi or km)")
    if args.length is not None and args.track is None:
        raise InvalidEvent("--length needs --track (the track's name)")
    if args.unit and args.length is None:
        raise InvalidEvent("--unit goes with --length")
    settings = SessionSettings(
        name=name,
        kind=SessionKind(args.kind),
        track_name=(args.track or "").strip(),
        track_length=args.length or 0.0,
        length_unit=LengthUnit(args.unit or "mi"),
        race_laps=int(args.laps) if args.laps else None,
        race_duration_ms=round(args.minutes * 60_000) if args.minutes else None,
        min_lap_ms=NEW_SESSION_MIN_LAP_MS if args.min_lap is None else round(args.min_lap * 1000),
    )
    if args.skip_bad and not args.entries:  # said, not ignored (as results --by alone)
        raise InvalidEvent("--skip-bad goes with --entries CSV: it takes that CSV's good rows")
    made_from: list[Path] = []
    if args.entries:
        field = _from_csv(
            args.entries, args.skip_bad, f"take its entries with --entries-from {args.entries}"
        ).entries
    elif args.entries_from:
        field = _competitors_of(args.entries_from)
        made_from = [Path(args.entries_from)]
    else:
        field = []
    recorder, settings = make_session(path, settings, field, made_from)
    recorder.close()
    print(f"{path}: {settings.name} ({settings.kind}), {len(field)} entries")
    if settings.min_lap_ms == 0:  # allowed (as in File ▸ New session), but said
        print(
            "timingboard: --min-lap 0: no minimum lap; every crossing counts as a lap, "
            "a double read too",
            file=sys.stderr,
        )
    return 0


def _entries(args: argparse.Namespace) -> int:
    path = _existing(args.file)
    if args.skip_bad and not args.import_csv:
        raise InvalidEvent("--skip-bad goes with --import CSV: it imports that CSV's good rows")
    if args.import_csv:
        listed = _from_csv(
            args.import_csv,
            args.skip_bad,
            f"export its entries first (timingboard entries {args.import_csv} --export "
            "list.csv) and import that",
        )
        present = listed.columns.values()
        recorder = SessionRecorder.open(path)
        try:
            events = changes(recorder.engine.entry_list(), listed.entries, present)
            added = sum(1 for e in events if not recorder.engine.is_entered(e.key))
            if events:
                recorder.submit(events)
        finally:
            recorder.close()
        folder = path.parent
        known = EntryList(classes=read_classes(folder))
        if known.add_classes(e.car_class for e in listed.entries):
            write_classes(folder, known.classes)
        print(f"{path}: {added} new, {len(events) - added} changed, "
              f"{len(listed.entries) - len(events)} as they were")  # fmt: skip
        return 0
    competitors = in_number_order(_competitors_of(args.file))
    if args.export_csv:
        out_path = Path(args.export_csv)
        refuse_unsafe_output(out_path, [path])  # a session (or a link to one) said as such
        if out_path.exists() or out_path.is_symlink():
            raise InvalidEvent(f"{out_path} already exists; choose a new file name")
        if said := no_folder(out_path.parent):
            raise InvalidEvent(said)
        text = io.StringIO()
        write_csv(competitors, text)
        with new_files([out_path], reads=[path]) as (temp,):  # whole or not at all, never over
            temp.write_text(text.getvalue(), encoding="utf-8", newline="")
        print(f"{out_path}: {len(competitors)} entries")
        return 0
    _print_table(competitors)
    return 0


def _print_table(competitors: list[CompetitorSet]) -> None:
    header = ("No", "Driver", "Team", "Make", "Class", "Transponders", "Grid")
    rows = [header] + [
        (c.car, c.driver, c.team, c.make, c.car_class, " ".join(c.transponders),
         "" if c.grid is None else str(c.grid))
        for c in competitors
    ]  # fmt: skip
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    for row in rows:
        sys.stdout.write(
            "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip() + "\n"
        )
    if not competitors:
        sys.stdout.write("(no entries)\n")


__all__ = ["add_commands", "run"]
