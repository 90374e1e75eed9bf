"""``timingboard``: the board (demo by default) and headless commands.

Errors a user can cause (a missing or foreign file, a bad option) end with a one-line message on
stderr and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from timingboard.engine.engine import TimingEngine
from timingboard.engine.history import entries_until
from timingboard.engine.validation import InvalidEvent
from timingboard.store.session_file import SessionFile, SessionFileError

EXIT_USER_ERROR = 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="timingboard", description="Race timing & scoring board")
    commands = parser.add_subparsers(dest="command")
    demo = commands.add_parser("demo", help="run the board on a simulated short-track event")
    demo.add_argument("--speed", type=float, default=1.0, help="time speed-up (default 1)")
    demo.add_argument("--seed", type=int, default=31, help="seed of the simulated event")
    demo.add_argument("--board", action="store_true", help="start in large-type board mode")
    demo.add_argument("--file", help="keep the demo's session file here (default: a temp file)")
    open_ = commands.add_parser("open", help="open a saved session to go on with it or correct it")
    open_.add_argument("file", help="a session file (.tbs)")
    replay = commands.add_parser("replay", help="replay a saved session or an RMonitor capture")
    replay.add_argument("file", help="a session file (.tbs) or a recorded RMonitor stream")
    replay.add_argument("--at", type=float, metavar="SECONDS", default=0.0, help="start here")
    replay.add_argument("--play", action="store_true", help="start playing at once")
    connect = commands.add_parser("connect", help="follow a timing system's RMonitor feed")
    connect.add_argument("address", help="HOST:PORT of the timing system (Orbits, Race Monitor)")
    connect.add_argument("--dir", default=".", help="where the feed's sessions are saved")
    simulate = commands.add_parser("simulate", help="serve a simulated session as RMonitor")
    simulate.add_argument("--port", type=int, default=50000)
    simulate.add_argument("--host", default="127.0.0.1", help="0.0.0.0 to let others connect")
    simulate.add_argument("--speed", type=float, default=1.0)
    simulate.add_argument("--seed", type=int, default=31)
    import_ = commands.add_parser("import", help="a recorded RMonitor stream into session files")
    import_.add_argument("file", help="a capture (RMonitor text, as in shared/feeds)")
    import_.add_argument("-o", "--output", required=True, help="the session file to write")
    results = commands.add_parser("results", help="print the standings of a saved session")
    results.add_argument("file", help="a session file (.tbs)")
    results.add_argument("--format", choices=["csv", "json", "html", "pdf"], default="csv")
    results.add_argument("-o", "--output", help="write here (needed for pdf)")
    results.add_argument("--paper", choices=["a4", "letter"], default="a4", help="for pdf")
    results.add_argument(
        "--at", type=float, metavar="SECONDS", help="standings at this session time"
    )
    lineup = commands.add_parser("lineup", help="the next session(s) from finished results")
    lineup.add_argument("sources", nargs="+", help="finished session file(s), e.g. the heats")
    lineup.add_argument("--rule", required=True, help="straight, split:N, invert:N or transfer:N")
    lineup.add_argument("--name", required=True, help="name of the new session, e.g. 'Heat'")
    lineup.add_argument("--kind", choices=["race", "qualifying", "practice"], default="race")
    lineup.add_argument("--laps", type=int, help="race laps of the new session")
    lineup.add_argument("--dir", help="folder of the new files (default: the first source's)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command == "results":
            return _results(args)
        if args.command == "open":
            return _open(args)
        if args.command == "import":
            return _import(args)
        if args.command == "connect":
            return _connect(args)
        if args.command == "replay":
            return _replay(args)
        if args.command == "lineup":
            return _lineup(args)
        if args.command == "simulate":
            from timingboard.app.run import run_simulator

            return run_simulator(args.port, args.host, args.speed, args.seed)
        return _demo(args)
    except BrokenPipeError:
        sys.stderr.close()  # the reader went away (| head): not an error of ours
        return 0
    except (SessionFileError, InvalidEvent, OSError) as exc:
        print(f"timingboard: {exc}", file=sys.stderr)
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        return 130


def _lineup(args: argparse.Namespace) -> int:
    from pathlib import Path

    from timingboard.engine.settings import SessionKind
    from timingboard.store.progression import parse_rule, write_next

    try:
        request = parse_rule(args.rule)
    except ValueError as exc:
        raise InvalidEvent(str(exc)) from None
    sources = []
    for name in args.sources:
        file = SessionFile.open(name, read_only=True)
        try:
            sources.append((Path(name), TimingEngine.from_log(file.settings, file.entries())))
        finally:
            file.close()
    folder = Path(args.dir) if args.dir else Path(args.sources[0]).parent
    made = write_next(sources, request, args.name, folder, SessionKind(args.kind), args.laps)
    for path in made:
        print(path)
    return 0


def _results(args: argparse.Namespace) -> int:
    from timingboard.reports.results import write_csv, write_json
    from timingboard.store.atomic import refuse_unsafe_output, replaced, write_text

    if args.output:
        refuse_unsafe_output(args.output, [args.file])  # before any work: nothing is touched
    if args.at is not None and args.at < 0:
        raise InvalidEvent("--at takes a time in seconds from the start of the session, >= 0")
    file = SessionFile.open(args.file, read_only=True)
    try:
        log = list(file.entries())
    finally:
        file.close()
    if args.at is not None:
        log = list(entries_until(log, round(args.at * 1000)))
    engine = TimingEngine.from_log(file.settings, log)
    if args.format == "pdf":
        if not args.output:
            raise InvalidEvent("a PDF needs a file: add -o results.pdf")
        from timingboard.qt.pdf_report import write_pdf
        from timingboard.reports.html import results_html

        write_pdf(results_html(engine), args.output, engine.settings.name, args.paper, [args.file])
        return 0
    if args.format == "html":
        from timingboard.reports.html import results_html

        text = results_html(engine)
        if args.output:
            write_text(args.output, text, reads=[args.file])
        else:
            sys.stdout.write(text)
        return 0
    writer = write_json if args.format == "json" else write_csv
    if args.output:
        with replaced(args.output, reads=[args.file], encoding="utf-8", newline="") as out:
            writer(engine, out)
    else:
        writer(engine, sys.stdout)
    return 0


def _replay(args: argparse.Namespace) -> int:
    from timingboard.store.replay_source import ReplaySource

    source = ReplaySource.open(args.file)  # a clear error before any window
    if source.note:
        print(f"timingboard: {source.note}", file=sys.stderr)
    if not _display_ready():
        return EXIT_USER_ERROR
    from timingboard.app.run import run_replay

    return run_replay(source, round(args.at * 1000), args.play)


def _connect(args: argparse.Namespace) -> int:
    from timingboard.widgets.feed_dialogs import parse_address

    try:
        host, port = parse_address(args.address)
    except ValueError as exc:
        raise InvalidEvent(str(exc)) from None
    if not _display_ready():
        return EXIT_USER_ERROR
    from timingboard.app.run import run_connect

    return run_connect(host, port, args.dir)


def _import(args: argparse.Namespace) -> int:
    from timingboard.store.feed_import import import_stream

    for line in import_stream(args.file, args.output).lines():
        print(line)
    return 0


def _open(args: argparse.Namespace) -> int:
    SessionFile.open(args.file, read_only=True).close()  # a clear error before any window
    if not _display_ready():
        return EXIT_USER_ERROR
    from timingboard.app.run import run_session

    return run_session(args.file)


def _display_ready() -> bool:
    from timingboard.app.preflight import display_problem

    problem = display_problem()
    if problem:
        print(f"timingboard: {problem}", file=sys.stderr)
    return problem is None


def _demo(args: argparse.Namespace) -> int:
    if not _display_ready():
        return EXIT_USER_ERROR
    from timingboard.app.run import run_demo

    return run_demo(
        speed=getattr(args, "speed", 1.0),
        seed=getattr(args, "seed", 31),
        board_mode=getattr(args, "board", False),
        file=getattr(args, "file", None),
    )
