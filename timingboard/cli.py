"""``timingboard``: the board (demo by default) and headless commands.

Errors a user can cause (a missing or foreign file, a bad option) end with a one-line message on
stderr and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import argparse
import logging
import math
import os
import sys
import time
import typing
from collections.abc import Callable, Sequence
from pathlib import Path

from timingboard.app import p3_run
from timingboard.engine.engine import TimingEngine
from timingboard.engine.history import corrected_log_at
from timingboard.engine.lineups import LineupRequest, LineupRule
from timingboard.engine.long_past import settle_record
from timingboard.engine.validation import InvalidEvent
from timingboard.store.session_file import DECODER_RAW, SessionFile, SessionFileError

EXIT_USER_ERROR = 2
MAX_SECONDS = 366 * 24 * 3600  # a session time beyond a year is a typing slip
MAX_SPEED = 1000.0
MAX_LAPS = 10_000


class _Parser(argparse.ArgumentParser):
    """argparse that reports a bad argument in one line (no usage block), exit status 2."""

    def error(self, message: str) -> typing.NoReturn:
        self.exit(EXIT_USER_ERROR, f"{self.prog}: {message} (see {self.prog} --help)\n")


def _bounded(
    convert: Callable[[str], float], low: float, high: float, what: str, open_low: bool = False
) -> Callable[[str], float]:
    """An argument type: a finite number within [low, high] (or (low, high])."""

    def check(text: str) -> float:
        try:
            value = convert(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not {what}") from None
        if not math.isfinite(value) or value > high or value < low or (open_low and value == low):
            raise argparse.ArgumentTypeError(f"{text!r} is not {what}")
        return value

    return check


def _name(text: str) -> str:
    if not text.strip():
        raise argparse.ArgumentTypeError("the name must not be empty")
    return text.strip()


def _session_seconds(text: str) -> float:
    """Seconds ("30", "30.5") or the clock as the board shows it ("0:00:30", "1:02:03.250",
    "0:30"): the fields after the first are under 60."""
    *whole, last = text.strip().split(":")
    if len(whole) > 2 or not all(f.isdigit() for f in whole):
        raise ValueError(text)
    seconds = float(last)
    if whole and not (last[:1].isdigit() and seconds < 60):
        raise ValueError(text)  # "0:-5", "0:75", "1:nan"
    total = 0
    for i, field in enumerate(whole):
        if i > 0 and int(field) >= 60:
            raise ValueError(text)  # "1:75:00"
        total = (total + int(field)) * 60
    return total + seconds


SECONDS = _bounded(
    _session_seconds,
    0,
    MAX_SECONDS,
    "a session time (seconds, or h:mm:ss[.fff] as the board shows it) of at most 366 days",
)
SPEED = _bounded(float, 0, MAX_SPEED, f"a speed above 0 and at most {MAX_SPEED:g}", open_low=True)
PORT = _bounded(int, 0, 65535, "a port from 1 to 65535 (0: any free port)")
LAPS = _bounded(int, 1, MAX_LAPS, f"a number of laps from 1 to {MAX_LAPS}")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="timingboard", description="Race timing & scoring board")
    parser.add_argument("--version", action="version", version=f"timingboard {_version()}")
    commands = parser.add_subparsers(dest="command")
    demo = commands.add_parser("demo", help="run the board on a simulated short-track event")
    demo.add_argument("--speed", type=SPEED, default=1.0, help="time speed-up (default 1)")
    demo.add_argument("--seed", type=int, default=31, help="seed of the simulated event")
    demo.add_argument("--board", action="store_true", help="start in large-type board mode")
    demo.add_argument("--dir", help="keep the demo's session files here (default: a temp folder)")
    _publish_options(demo)
    _live_options(demo)
    open_ = commands.add_parser("open", help="open a saved session to go on with it or correct it")
    open_.add_argument("file", help="a session file (.tbs)")
    _publish_options(open_)
    _live_options(open_)
    replay = commands.add_parser("replay", help="replay a saved session or an RMonitor capture")
    replay.add_argument("file", help="a session file (.tbs) or a recorded RMonitor stream")
    replay.add_argument(
        "--at",
        type=SECONDS,
        metavar="TIME",
        default=0.0,
        help="start here (session time: seconds, or h:mm:ss as shown), the board as it stood "
        "then (corrections made later not yet in)",
    )
    replay.add_argument("--play", action="store_true", help="start playing at once")
    connect = commands.add_parser("connect", help="follow a timing system's RMonitor feed")
    connect.add_argument("address", help="HOST:PORT of the timing system (Orbits, Race Monitor)")
    connect.add_argument(
        "--dir",
        help="where the feed's sessions are saved (default: ~/timingboard, or the "
        "folder last chosen in Feed ▸ Connect)",
    )
    connect.add_argument("--lines", help="P3: decoder id=line, e.g. 0x41813=finish,0x41814=pit in")
    connect.add_argument("--entries", help="P3: entry list, CSV car,driver,transponder or a .tbs")
    connect.add_argument("--resume", metavar="FILE", help="P3: go on with this session file")
    connect.add_argument("--kind", choices=["practice", "qualifying", "race"], help="P3")
    _publish_options(connect)
    _live_options(connect)
    follow = commands.add_parser("follow", help="follow another board through an MQTT broker")
    follow.add_argument(
        "url", help="mqtt://HOST:PORT/TOPIC: timingboard/EVENT, or timingboard/EVENT/SESSION"
    )
    simulate = commands.add_parser("simulate", help="serve a simulated session as RMonitor")
    simulate.add_argument("--port", type=PORT, help="default 50000 (RMonitor), 5403 (P3)")
    simulate.add_argument("--host", default="127.0.0.1", help="0.0.0.0 to let others connect")
    simulate.add_argument("--speed", type=SPEED, default=1.0)
    simulate.add_argument("--seed", type=int, default=31)
    simulate.add_argument("--protocol", choices=["rmonitor", "p3"], default="rmonitor")
    simulate.add_argument("--capture", help="p3: the P3 capture the fake decoder replays")
    import_ = commands.add_parser("import", help="a recorded RMonitor stream into session files")
    import_.add_argument("file", help="a capture (RMonitor text, as in shared/feeds)")
    import_.add_argument("-o", "--output", required=True, help="the session file to write")
    import_.add_argument(
        "--kind",
        choices=["practice", "qualifying", "race"],
        help="P3 capture: the session's kind (default practice); an RMonitor one says its own",
    )
    results = commands.add_parser("results", help="print the standings of a saved session")
    results.add_argument("file", help="a session file (.tbs)")
    results.add_argument(
        "--format",
        choices=["csv", "json", "html", "pdf"],
        help="default: what the -o name ends with (.pdf, .html, .csv, .json); csv on stdout",
    )
    results.add_argument("-o", "--output", help="write here (needed for pdf)")
    results.add_argument("--paper", choices=["a4", "letter"], default="a4", help="for pdf")
    results.add_argument(
        "--at",
        type=SECONDS,
        metavar="TIME",
        help="standings of the laps run by this session time (seconds, or h:mm:ss), with every "
        "correction (also "
        "those made later)",
    )
    results.add_argument(
        "--event",
        default="",
        help="the event, for the sheet's header (default: the event of the session's folder)",
    )
    results.add_argument("--weather", default="", help="a weather line for the sheet's header")
    results.add_argument(
        "--signatures",
        metavar="TITLES",
        help="signature lines, ';' between them (default 'Chief timekeeper;Clerk of the course')",
    )
    results.add_argument(
        "--declare-official", action="store_true", help="declare the results official first"
    )
    results.add_argument("--by", default="", help="who declares them official")
    results.add_argument(
        "--allow-unfinished",
        action="store_true",
        help="with --declare-official: declare a session not finished (a race stopped for good)",
    )
    lineup = commands.add_parser("lineup", help="the next session(s) from finished results")
    lineup.add_argument("sources", nargs="+", help="finished session file(s), e.g. the heats")
    lineup.add_argument("--rule", required=True, help="straight, split:N, invert:N or transfer:N")
    lineup.add_argument(
        "--name", type=_name, required=True, help="name of the new session, e.g. 'Heat'"
    )
    lineup.add_argument("--kind", choices=["race", "qualifying", "practice"], default="race")
    lineup.add_argument("--laps", type=LAPS, help="race laps of the new session")
    lineup.add_argument("--dir", help="folder of the new files (default: the first source's)")
    lineup.add_argument(
        "--allow-unfinished",
        action="store_true",
        help="line up from a session not finished (no checkered flag): a stopped race",
    )
    from timingboard.app.entries_cli import add_commands

    add_commands(commands, _bounded)
    for command in commands.choices.values():  # a slip is answered with its command's help
        command.set_defaults(command_parser=command)
    return parser


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("timingboard")
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "(not installed)"


def _parse(argv: Sequence[str] | None) -> argparse.Namespace:
    """The arguments; one a command does not know is said with that command's own help
    ("timingboard demo --help": the top level's named none of the demo's options)."""
    parser = build_parser()
    args, unknown = parser.parse_known_args(argv)
    if unknown:
        named: argparse.ArgumentParser = getattr(args, "command_parser", parser)
        named.error(f"unrecognized arguments: {' '.join(unknown)}")
    return args


def _publish_options(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--publish", type=int, metavar="PORT", help="serve the board as RMonitor on this port"
    )
    command.add_argument(
        "--publish-host",
        default="127.0.0.1",
        metavar="HOST",
        help="this computer only by default (127.0.0.1 and ::1); 0.0.0.0 lets others connect",
    )


def _live_options(command: argparse.ArgumentParser) -> None:
    command.add_argument("--web", type=PORT, metavar="PORT", help="serve a live timing page")
    command.add_argument(
        "--web-host", metavar="HOST", help="this computer only by default; 0.0.0.0 lets others in"
    )
    command.add_argument(
        "--mqtt", metavar="HOST:PORT", help="publish the board to an MQTT broker (Mosquitto)"
    )
    command.add_argument(
        "--mqtt-event", default="event", metavar="NAME", help="the event's topic name"
    )


def _live(args: argparse.Namespace):  # -> LiveOptions | None, imported only when asked for
    """``--web`` and ``--mqtt``, checked before any window opens."""
    web, mqtt = getattr(args, "web", None), getattr(args, "mqtt", None)
    if web is None and mqtt is None:
        if getattr(args, "web_host", None):
            raise InvalidEvent("--web-host goes with --web PORT")
        return None
    from timingboard.app.live_timing import LiveOptions
    from timingboard.text.typed import parse_address

    broker = None
    if mqtt is not None:
        try:
            broker = parse_address(mqtt if ":" in mqtt else f"{mqtt}:1883")
        except ValueError as exc:
            raise InvalidEvent(f"--mqtt: {exc}") from None
    if not args.mqtt_event.strip():
        raise InvalidEvent("--mqtt-event needs a name")
    return LiveOptions(web, args.web_host, broker, args.mqtt_event)


def _publishing(args: argparse.Namespace) -> tuple[int, str] | None:
    """``--publish PORT --publish-host HOST``, checked before any window opens."""
    port = getattr(args, "publish", None)
    if port is None:
        return None
    if not 0 <= port <= 65535:
        raise InvalidEvent(f"--publish takes a port from 0 to 65535, not {port}")
    return port, args.publish_host


def run() -> None:
    """The command's entry point: :func:`main`, then out of the process.

    After a window, everything is already closed and written (sessions, their snapshots in
    their workers, which are waited for here); what is left is Qt's own teardown, which with
    the charts' Python graphics items crashed the process now and then (exit -11 after Ctrl+C
    on ``demo --publish``, 1 run in 3 to 6). So a command that made the application leaves
    without it.
    """
    from timingboard.app.early_stop import hold_early_signals

    hold_early_signals(sys.argv[1:])  # already, through timingboard.launch:run
    code = main()
    if "PySide6.QtWidgets" in sys.modules:
        from PySide6.QtWidgets import QApplication

        if QApplication.instance() is not None:
            from timingboard.store import closing

            closing.wait_for_all()
            logging.shutdown()
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
    sys.exit(code)


def main(argv: Sequence[str] | None = None) -> int:
    said = _demo_option_alone(sys.argv[1:] if argv is None else list(argv))
    if said:
        print(f"timingboard: {said}", file=sys.stderr)
        return EXIT_USER_ERROR
    args = _parse(argv)
    try:
        _check_files(args)
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
        if args.command == "follow":
            return _follow(args)
        if args.command == "lineup":
            return _lineup(args)
        if args.command in ("new", "entries"):
            from timingboard.app.entries_cli import run

            return run(args)
        if args.command == "simulate" and args.protocol == "p3":
            return p3_run.simulate_p3(args.capture, args.port, args.host, args.speed)
        if args.command == "simulate":
            p3_run.refuse_p3_options(capture=args.capture)
            from timingboard.app.run import run_simulator

            port = 50000 if args.port is None else args.port
            return run_simulator(port, args.host, args.speed, args.seed)
        if args.command == "demo":
            return _demo(args)
        return _start()
    except BrokenPipeError:
        sys.stderr.close()  # the reader went away (| head): not an error of ours
        return 0
    except (SessionFileError, InvalidEvent, p3_run.P3InputError) as exc:
        print(f"timingboard: {exc}", file=sys.stderr)
        return EXIT_USER_ERROR
    except OSError as exc:  # one home for what the system refused: words, not [Errno 2]
        from timingboard.store.atomic import os_error_text

        print(f"timingboard: {os_error_text(exc)}", file=sys.stderr)
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        return 130


def _demo_option_alone(argv: list[str]) -> str:
    """``timingboard --speed 10``: the demo's options given without its command (the README's
    first command is ``timingboard demo``, and plain ``timingboard`` may offer sessions rather
    than the demo), answered with the command that does it ("" for anything else)."""
    if not argv or not argv[0].startswith("--") or argv[0] in ("--help", "--version"):
        return ""
    option = argv[0].split("=", 1)[0]
    if option not in DEMO_OPTIONS:
        return ""
    import shlex

    wanted = shlex.join(["timingboard", "demo", *argv])
    return f"{option} is an option of the demo: {wanted}"


DEMO_OPTIONS = ("--speed", "--seed", "--board", "--dir")
READ_FILES = {"results": "file", "open": "file", "replay": "file", "import": "file"}


def _check_files(args: argparse.Namespace) -> None:
    """A folder where a file is read, a missing file, a file as --dir: said before anything."""
    from timingboard.store.errors import missing, no_folder

    names = args.sources if args.command == "lineup" else []
    if args.command in READ_FILES:
        names = [getattr(args, READ_FILES[args.command])]
    for name in names:
        path = Path(name)
        if path.is_dir():
            raise InvalidEvent(f"{path} is a folder; name a file in it")
        if not path.exists():
            raise InvalidEvent(missing(path))
    folder = getattr(args, "dir", None)
    if folder and Path(folder).exists() and not Path(folder).is_dir():
        raise InvalidEvent(f"{folder} is a file; --dir takes a folder")
    if folder:  # made (connect, demo) and written in, before any window or feed starts
        from timingboard.store.atomic import ready_folder

        ready_folder(folder, make=args.command != "lineup")
    if args.command == "import" and (said := no_folder(Path(args.output).parent)):
        raise InvalidEvent(said)


def _rule(text: str) -> LineupRequest:
    """The line-up rule as typed; ``straight:5`` is refused, not read as ``straight``."""
    from timingboard.store.progression import parse_rule

    try:
        request = parse_rule(text)
    except ValueError as exc:
        raise InvalidEvent(str(exc)) from None
    if request.rule is LineupRule.STRAIGHT and ":" in text:
        raise InvalidEvent(f"{text!r}: straight takes no number (the order as it finished)")
    return request


def _check_fits(text: str, request: LineupRequest, cars: int) -> None:
    """More heats (or cars inverted, or transfers) than the field has cars: refused, in the
    words of the window's dialog (engine/lineups.py misfit)."""
    from timingboard.engine.lineups import misfit

    refused = misfit(request, cars)
    if refused:
        raise InvalidEvent(f"{text!r}: {refused}")


def _lineup(args: argparse.Namespace) -> int:
    from timingboard.engine.session_end import unfinished
    from timingboard.engine.settings import SessionKind
    from timingboard.store.progression import finishing_order, write_next

    request = _rule(args.rule)
    sources = []
    for name in args.sources:
        file = SessionFile.open(name, read_only=True)
        try:
            sources.append((Path(name), TimingEngine.from_log(file.settings, file.entries())))
        finally:
            file.close()
    for path, engine in sources:
        reason = unfinished(engine)
        if reason and not args.allow_unfinished:
            raise InvalidEvent(f"{path}: {reason}; line up from it with --allow-unfinished")
    cars = max(len(finishing_order(engine)) for _, engine in sources)
    _check_fits(args.rule, request, cars)
    folder = Path(args.dir) if args.dir else Path(args.sources[0]).parent
    if not folder.is_dir():
        raise InvalidEvent(f"{folder} is not a folder")
    made = write_next(sources, request, args.name, folder, SessionKind(args.kind), args.laps)
    for path in made:
        print(path)
    return 0


def _results(args: argparse.Namespace) -> int:
    from timingboard.reports.formats import chosen_format
    from timingboard.reports.results import write_csv, write_json
    from timingboard.reports.sheet import SheetOptions, build_sheet, parse_signatures
    from timingboard.store.atomic import created, refuse_existing, refuse_unsafe_output

    if args.by and not args.declare_official:  # never a name taken and dropped
        raise InvalidEvent(
            "--by names who declares the results official: it goes with --declare-official"
        )
    if args.allow_unfinished and not args.declare_official:
        raise InvalidEvent(
            "--allow-unfinished lets --declare-official declare a session not finished: "
            "it goes with --declare-official"
        )
    if args.output:  # before any work: nothing is touched; a session named is said first
        refuse_unsafe_output(args.output, [args.file])
        refuse_existing(args.output)  # a new file, as every output of a command: never over one
    try:
        args.format = chosen_format(args.format, args.output)
    except ValueError as exc:
        raise InvalidEvent(str(exc)) from None
    if args.declare_official:
        _declare(args)
    from timingboard.store.snapshot import engine_for_report

    file = SessionFile.open(args.file, read_only=True)
    at_ms = None if args.at is None else round(args.at * 1000)
    try:
        if at_ms is None:  # the board at the end: its snapshot, when the file keeps one
            engine = engine_for_report(file)
        else:
            log = list(file.entries())
        flagless = file.has_raw(DECODER_RAW)  # a decoder's: it never gives a checkered
    finally:
        file.close()
    if at_ms is not None:
        engine = TimingEngine.from_log(file.settings, corrected_log_at(log, at_ms))
    else:  # a record of an earlier day (or a branched copy) reads as the window shows it
        settle_record(engine, file.origin, time.time(), file.branched_from is not None, flagless)
    from timingboard.store.event_folder import event_name_of

    options = SheetOptions(
        event=args.event or event_name_of(args.file),  # as the window's sheet: its event's
        weather=args.weather,
        signatures=parse_signatures(args.signatures),
        origin=file.origin,
        as_at_ms=at_ms,
    )
    sheet = build_sheet(engine, options)
    if args.format == "pdf":
        if not args.output:
            raise InvalidEvent("a PDF needs a file: add -o results.pdf")
        from timingboard.qt.pdf_report import write_pdf

        write_pdf(sheet, args.output, args.paper, [args.file], new=True)
        return 0
    if args.format == "html":
        from timingboard.reports.html import sheet_html

        text = sheet_html(sheet)
        if args.output:
            with created(args.output, reads=[args.file], encoding="utf-8", newline="") as out:
                out.write(text)
        else:
            sys.stdout.write(text)
        return 0

    def writer(out: typing.IO[str]) -> None:
        if args.format == "json":
            write_json(sheet, out, engine)
        else:
            write_csv(sheet, out)

    if args.output:
        with created(args.output, reads=[args.file], encoding="utf-8", newline="") as out:
            writer(out)
    else:
        writer(sys.stdout)
    return 0


def _declare(args: argparse.Namespace) -> None:
    """``--declare-official --by NAME``: logged in the session file before the sheet is made."""
    from timingboard.store.declare import declare_official

    if args.at is not None:
        raise InvalidEvent("--declare-official declares the results: leave out --at")
    if not args.by.strip():
        raise InvalidEvent("--declare-official needs --by NAME: who declares the results")
    if not args.allow_unfinished:
        _refuse_unfinished(args.file)
    event = declare_official(args.file, args.by)
    print(
        f"timingboard: results declared official by {event.operator} at {event.at}", file=sys.stderr
    )


def _refuse_unfinished(path: str) -> None:
    """A session still running is not declared by habit: the reason the window gives
    (``session_end.unfinished``: the flag, the laps or time to go), and how to go on anyway."""
    from timingboard.engine.session_end import DECLARE_ONLY_STOPPED, unfinished
    from timingboard.store.snapshot import engine_for_report

    file = SessionFile.open(path, read_only=True)
    try:
        reason = unfinished(engine_for_report(file))
    finally:
        file.close()
    if reason:
        raise InvalidEvent(
            f"{path}: {reason}. {DECLARE_ONLY_STOPPED} To declare its results official "
            "anyway, add --allow-unfinished"
        )


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
    if p3_run.is_p3_address(args.address):
        if _publishing(args) is not None or _live(args) is not None:
            raise InvalidEvent(
                "--publish, --web and --mqtt go with RMonitor feeds; from a P3 decoder, "
                "use Feed ▸ Publish standings in the window"
            )
        return p3_run.connect_p3(
            args.address, args.dir, args.lines, args.entries, args.resume, args.kind or "practice"
        )
    p3_run.refuse_p3_options(lines=args.lines, entries=args.entries, resume=args.resume)
    p3_run.refuse_p3_options(kind=args.kind)
    from timingboard.text.typed import parse_address

    try:
        host, port = parse_address(args.address)
    except ValueError as exc:
        raise InvalidEvent(str(exc)) from None
    if not _display_ready():
        return EXIT_USER_ERROR
    from timingboard.app.run import run_connect

    return run_connect(host, port, args.dir, publish=_publishing(args), live=_live(args))


def _follow(args: argparse.Namespace) -> int:
    """The address checked before any window; a broker not there yet is waited for."""
    from timingboard.feeds.live_follow import parse_follow_url

    try:
        target = parse_follow_url(args.url)
    except ValueError as exc:
        raise InvalidEvent(str(exc)) from None
    if not _display_ready():
        return EXIT_USER_ERROR
    from timingboard.app.follow_run import run_follow

    return run_follow(target)


def _import(args: argparse.Namespace) -> int:
    from timingboard.store.p3_import import is_p3_capture

    if is_p3_capture(args.file):
        return p3_run.import_capture(args.file, args.output, None, None, args.kind or "practice")
    if args.kind:  # each of its sessions is named by the timing system: not one kind for all
        raise InvalidEvent(
            f"--kind is for P3 captures; {args.file} is an RMonitor capture, whose sessions "
            "say their own kind (its $RMS record, or the run's name). Leave --kind out"
        )
    from timingboard.store.feed_import import import_stream

    for line in import_stream(args.file, args.output).lines():
        print(line)
    return 0


def _open(args: argparse.Namespace) -> int:
    SessionFile.open(args.file, read_only=True).close()  # a clear error before any window
    publish, live = _publishing(args), _live(args)
    if not _display_ready():
        return EXIT_USER_ERROR
    from timingboard.app.run import run_session

    return run_session(args.file, publish=publish, live=live)


def _display_ready() -> bool:
    from timingboard.app.preflight import display_problem

    problem = display_problem()
    if problem:
        print(f"timingboard: {problem}", file=sys.stderr)
    return problem is None


def _start() -> int:
    if not _display_ready():
        return EXIT_USER_ERROR
    from timingboard.app.run import run_start

    return run_start()


def _demo(args: argparse.Namespace) -> int:
    if not _display_ready():
        return EXIT_USER_ERROR
    from timingboard.app.run import run_demo

    return run_demo(
        speed=args.speed,
        seed=args.seed,
        board_mode=args.board,
        folder=args.dir,
        publish=_publishing(args),
        live=_live(args),
    )
