"""The store's rules stated on small files, with no Qt: what each front door writes and reads.

The window and the command reach these through Qt or a subprocess; here each is called as
they call it, so that the mutation runs (scripts/mutation, pure tests only) see them.
"""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import pytest
from race_scripts import QUARTER_MILE_RACE, field

from timingboard.engine import (
    CompetitorSet,
    Flag,
    FlagChanged,
    InvalidEvent,
    Passing,
    ResultsDeclared,
    SessionKind,
    SessionSettings,
    Source,
    TimingEngine,
)
from timingboard.engine.settings import LengthUnit
from timingboard.feeds.p3_parser import encode_record, passing
from timingboard.store import SessionFile, SessionFileError, SessionRecorder, atomic, recorder
from timingboard.store import session_lock as lock_module
from timingboard.store.class_colours import (
    DARK_TEXT,
    LIGHT_TEXT,
    PALETTE,
    class_colours,
    next_colour,
    text_on,
)
from timingboard.store.declare import declaration, declare_official
from timingboard.store.entry_list import CarClass, read_samples
from timingboard.store.event_folder import (
    MANIFEST,
    EventFolderError,
    EventInfo,
    Status,
    read_classes,
    read_event,
    summarise_engine,
    write_classes,
    write_event,
)
from timingboard.store.log_check import CheckVerdict, LogCheck
from timingboard.store.names import slug
from timingboard.store.new_session import entries_of_session, make_session
from timingboard.store.p3_import import capture_kind, capture_session, import_p3, read_capture
from timingboard.store.replay_source import ReplaySource

# --- class colours --------------------------------------------------------------------------


def test_a_class_not_listed_takes_the_next_free_colour_whatever_its_case() -> None:
    listed = [CarClass("GT3", PALETTE[0], 1)]
    assert class_colours(listed, ["gt3", "GT4", "", "Cup", "gt4"]) == {
        "gt3": PALETTE[0],
        "gt4": PALETTE[1],
        "cup": PALETTE[2],
    }
    assert next_colour([PALETTE[0].upper(), PALETTE[2]]) == PALETTE[1]
    assert next_colour(list(PALETTE)) == PALETTE[0]  # every colour taken: round again
    assert next_colour([*PALETTE, "#000000"]) == PALETTE[1]


@pytest.mark.parametrize(
    ("colour", "text"),
    [
        ("#ffffff", DARK_TEXT),
        ("#000000", LIGHT_TEXT),
        ("#ff0000", LIGHT_TEXT),  # luminance 0.2126
        ("#00ff00", DARK_TEXT),  # 0.7152
        ("#0000ff", LIGHT_TEXT),
        ("#808080", DARK_TEXT),  # 0.502
        ("#737373", DARK_TEXT),  # 0x73 / 255 = 0.451: just above the 0.45 split
        ("#727272", LIGHT_TEXT),  # 0.447: just under
        ("not a colour", DARK_TEXT),
        ("#12", DARK_TEXT),
    ],
)
def test_text_on_a_class_colour_reads_by_its_luminance(colour: str, text: str) -> None:
    assert text_on(colour) == text


def test_text_on_weighs_red_green_and_blue_as_the_eye_does() -> None:
    # 0.45 split: only the weights 0.2126 / 0.7152 / 0.0722 put these on the sides they are on
    assert text_on("#ffff00") == DARK_TEXT  # 0.928
    assert text_on("#ff00ff") == LIGHT_TEXT  # 0.285
    assert text_on("#00ffff") == DARK_TEXT  # 0.787
    assert text_on("#00a100") == DARK_TEXT  # 0.4516
    assert text_on("#00a000") == LIGHT_TEXT  # 0.4488


# --- names, the event folder ------------------------------------------------------------------


def test_a_name_with_nothing_to_keep_gets_the_fallback() -> None:
    assert slug("") == "session"
    assert slug("!!!", fallback="event") == "event"


def test_the_event_file_is_written_indented_and_read_back(tmp_path: Path) -> None:
    info = EventInfo(
        name="Clash", date="2025-02-02", track_name="Coliseum", track_length=0.4,
        length_unit=LengthUnit.KILOMETRES,
    )  # fmt: skip
    write_event(tmp_path, info)
    text = (tmp_path / MANIFEST).read_text(encoding="utf-8")
    assert text.startswith('{\n  "sessions": []')
    assert text.endswith("}\n")
    assert read_event(tmp_path) == info
    assert [p.name for p in tmp_path.iterdir()] == [MANIFEST]  # no temporary file left


def test_classes_read_with_a_grey_for_a_bad_colour_and_their_place_for_a_bad_order(
    tmp_path: Path,
) -> None:
    (tmp_path / MANIFEST).write_text(
        json.dumps(
            {
                "sessions": [],
                "classes": [
                    {"name": "GT4", "colour": "#aabbcc", "order": 5},
                    {"name": "GT3"},
                    {"name": "Cup", "colour": "red", "order": "first"},
                    {"name": "  "},
                    "not a class",
                ],
            }
        ),
        encoding="utf-8",
    )
    assert read_classes(tmp_path) == [
        CarClass("GT3", "#888888", 2),
        CarClass("Cup", "#888888", 3),
        CarClass("GT4", "#aabbcc", 5),
    ]
    write_classes(tmp_path, [CarClass("GT3", "#123456", 1)])
    assert read_classes(tmp_path) == [CarClass("GT3", "#123456", 1)]


def test_an_event_with_a_unit_it_does_not_know_is_refused(tmp_path: Path) -> None:
    (tmp_path / MANIFEST).write_text('{"event": {"length_unit": "furlong"}}', encoding="utf-8")
    with pytest.raises(EventFolderError, match="furlong"):
        read_event(tmp_path)


def test_an_event_row_names_its_start_status_laps_and_winner(tmp_path: Path) -> None:
    engine = TimingEngine(QUARTER_MILE_RACE)
    path = tmp_path / "heat.tbs"
    row = summarise_engine(engine, path, 0.0)
    assert (row.status, row.started, row.laps, row.winner) == (Status.SCHEDULED, "", None, "")
    from race_scripts import entries

    engine.apply(
        entries(
            [
                *field(["31", "8"]),
                FlagChanged(time_ms=0, flag=Flag.GREEN),
                Passing(time_ms=1000, key="31"),
                Passing(time_ms=14413, key="31"),
            ]
        )
    )
    origin = 1_700_000_000.0
    row = summarise_engine(engine, path, origin, ("q.tbs",), "inverted 4")
    from datetime import datetime

    started = datetime.fromtimestamp(origin).astimezone().strftime("%H:%M")
    assert (row.name, row.kind, row.status, row.started) == (
        "Heat 1",
        SessionKind.RACE,
        Status.LIVE,
        started,
    )
    assert (row.laps, row.winner, row.made_from, row.rule) == (
        1,
        "31 Driver 31",
        ("q.tbs",),
        "inverted 4",
    )
    assert summarise_engine(engine, path, origin, official=True).status is Status.OFFICIAL


# --- a new session, declaring results ----------------------------------------------------------


def test_a_new_session_is_made_with_its_entries_and_the_event_learns_from_it(
    tmp_path: Path,
) -> None:
    cars = [
        CompetitorSet(key="8", car="8", driver="Kyle Busch", car_class="GT4"),
        CompetitorSet(key="31", car="31", driver="Justin Haley", car_class="GT3"),
    ]
    made, settings = make_session(tmp_path / "heat.tbs", QUARTER_MILE_RACE, cars)
    try:
        assert settings == QUARTER_MILE_RACE
        assert list(made.engine.competitors) == ["8", "31"]
    finally:
        made.close()
    manifest = json.loads((tmp_path / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["sessions"] == [{"file": "heat.tbs", "made_from": [], "rule": "new"}]
    assert read_event(tmp_path) == EventInfo(
        track_name="Coliseum", track_length=0.25, length_unit=LengthUnit.MILES
    )
    assert [c.name for c in read_classes(tmp_path)] == ["GT4", "GT3"]
    assert entries_of_session(tmp_path / "heat.tbs") == sorted(cars, key=lambda c: int(c.key))
    other = SessionSettings(name="Heat 2", track_name="Elsewhere", track_length=0.5)
    second, got = make_session(tmp_path / "heat2.tbs", other, (), [tmp_path / "heat.tbs"])
    second.close()
    assert (got.track_name, got.track_length) == ("Elsewhere", 0.5)
    assert read_event(tmp_path).track_name == "Coliseum"  # the event keeps its first track
    assert json.loads((tmp_path / MANIFEST).read_text(encoding="utf-8"))["sessions"][1] == {
        "file": "heat2.tbs",
        "made_from": ["heat.tbs"],
        "rule": "entries",
    }


def test_a_bad_entry_writes_nothing(tmp_path: Path) -> None:
    with pytest.raises(InvalidEvent):
        make_session(tmp_path / "heat.tbs", QUARTER_MILE_RACE, [CompetitorSet(key="", car="")])
    assert list(tmp_path.iterdir()) == []


def test_results_are_declared_official_once_by_someone_named(tmp_path: Path) -> None:
    event = declaration("  Race Director ", "protest time over")
    assert (event.operator, event.reason) == ("Race Director", "protest time over")
    assert len(event.at) == len("2026-12-02T04:00:00+00:00") and event.at.endswith("+00:00")
    path = tmp_path / "heat.tbs"
    SessionRecorder.create(path, QUARTER_MILE_RACE).close()
    declared = declare_official(path, "Director")
    assert isinstance(declared, ResultsDeclared) and declared.operator == "Director"
    file = SessionFile.open(path, read_only=True)
    try:
        assert [e.event for e in file.entries()] == [declared]
    finally:
        file.close()
    with pytest.raises(InvalidEvent):
        declare_official(path, "Director")
    with pytest.raises(InvalidEvent):
        declare_official(path, "   ")


# --- the session file's notes, checkpoints; the log checked in a worker ------------------------


def test_a_note_is_kept_with_the_session_and_read_back(tmp_path: Path) -> None:
    file = SessionFile.create(tmp_path / "s.tbs", QUARTER_MILE_RACE)
    try:
        assert file.note("lines") is None
        file.set_note("lines", '{"1": "finish"}')
        file.set_note("other", "x")
        assert file.note("lines") == '{"1": "finish"}'
        assert file.raw_feed() == b""
        file.append_raw("p3", b"\x8e\x02")
        file.append_raw("p3", b"\x8f")
        assert file.raw_feed() == b"\x8e\x02\x8f"
    finally:
        file.close()
    reader = SessionFile.open(tmp_path / "s.tbs", read_only=True)
    try:
        assert reader.note("lines") == '{"1": "finish"}'
        with pytest.raises(SessionFileError, match="reading only"):
            reader.set_note("lines", "")
    finally:
        reader.close()


def test_a_checkpoint_moves_the_wal_into_the_file(tmp_path: Path) -> None:
    path = tmp_path / "s.tbs"
    made = SessionRecorder.create(path, QUARTER_MILE_RACE)
    try:
        made.submit([*field(["31"]), Passing(time_ms=1000, key="31")])
        wal = Path(f"{path}-wal")
        made.file.checkpoint()
        copy = tmp_path / "copy.tbs"
        copy.write_bytes(path.read_bytes())  # the .tbs alone, without its WAL
        assert wal.exists()
        db = sqlite3.connect(copy)
        try:
            assert db.execute("SELECT count(*) FROM events").fetchone()[0] == 2
        finally:
            db.close()
    finally:
        made.close()


def _session_with_passings(path: Path, count: int) -> None:
    made = SessionRecorder.create(path, QUARTER_MILE_RACE)
    made.submit([*field(["31"]), *(Passing(time_ms=9000 * i, key="31") for i in range(count))])
    made.close()


def test_the_log_check_gives_the_log_and_calls_back_once_done(tmp_path: Path) -> None:
    path = tmp_path / "s.tbs"
    _session_with_passings(path, 3)
    calls: list[str] = []
    check = LogCheck(path, lambda: calls.append("done"))
    verdict = check.verdict()
    assert check.finished
    assert verdict.damage is None and verdict.intact_engine is None
    assert [e.seq for e in verdict.log] == [1, 2, 3, 4]
    assert calls == ["done"]
    check.notify(lambda: calls.append("late"))  # asked after: called at once
    assert calls == ["done", "late"]


def test_the_log_check_names_what_it_cannot_read(tmp_path: Path) -> None:
    path = tmp_path / "nothing.tbs"
    path.write_bytes(b"not a session")
    verdict = LogCheck(path).verdict()
    assert verdict.log == [] and verdict.intact_engine is None
    assert verdict.damage is not None and verdict.damage.startswith(f"{path} is damaged (")


def test_the_log_check_finds_damage_and_keeps_the_board_before_it(tmp_path: Path) -> None:
    path = tmp_path / "s.tbs"
    _session_with_passings(path, 3)
    db = sqlite3.connect(path)
    db.execute("UPDATE events SET payload = '{\"time_ms\": 1}' WHERE seq = 3")
    db.commit()
    db.close()
    verdict = LogCheck(path).verdict()
    assert isinstance(verdict, CheckVerdict)
    assert [e.seq for e in verdict.log] == [1, 2]
    assert verdict.damage is not None and "3" in verdict.damage
    assert verdict.intact_engine is not None
    assert verdict.intact_engine.standing("31").laps == 0
    assert len(verdict.intact_engine.passings) == 1


def test_a_long_session_opens_from_its_snapshot_and_takes_its_log_later(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(recorder, "CHECK_LATER_FROM", 3)
    path = tmp_path / "s.tbs"
    _session_with_passings(path, 4)
    opened = SessionRecorder.open(path, check_later=True)
    calls: list[str] = []
    try:
        assert opened.checking
        opened.when_checked(lambda: calls.append("checked"))
        assert opened.engine.standing("31").laps == 3
        assert opened.settle() is False
        assert not opened.checking and opened.check_finished
        assert calls == ["checked"]
        assert [e.seq for e in opened.engine.log] == [1, 2, 3, 4, 5]
        assert opened.read_only_reason is None
        opened.submit([Passing(time_ms=50_000, key="31")])
        assert opened.engine.standing("31").laps == 4
    finally:
        opened.close()
    assert not SessionRecorder.open(path, check_later=False).checking


def test_a_long_session_damaged_under_its_snapshot_goes_read_only_when_checked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(recorder, "CHECK_LATER_FROM", 3)
    path = tmp_path / "s.tbs"
    _session_with_passings(path, 4)
    db = sqlite3.connect(path)
    db.execute("UPDATE events SET payload = '{\"time_ms\": 1}' WHERE seq = 4")
    db.commit()
    db.close()
    opened = SessionRecorder.open(path, check_later=True)
    try:
        assert opened.checking
        assert opened.settle() is True
        assert opened.engine.standing("31").laps == 1  # what is intact before the damage
        assert opened.read_only_reason is not None
        assert "opened read-only up to the event before it" in opened.read_only_reason
    finally:
        opened.close()


# --- P3 captures, replays ---------------------------------------------------------------------

_BASE_US = 1_551_542_808_933_000
_CROSSINGS = [(101, 0), (102, 500_000), (101, 30_100_000), (102, 31_000_000), (101, 60_000_000)]


def _wires() -> list[bytes]:
    return [
        encode_record(passing(i + 1, transponder, _BASE_US + offset))
        for i, (transponder, offset) in enumerate(_CROSSINGS)
    ]


def _captures(folder: Path) -> tuple[Path, Path]:
    wires = _wires()
    binary, text = folder / "amb.bin", folder / "amb.txt"
    binary.write_bytes(b"".join(wires))
    lines = [w.hex() for w in wires[:3]] + ["zz not hex", ""] + [w.hex().upper() for w in wires[3:]]
    text.write_text("\n".join(lines) + "\n")
    return binary, text


def test_a_capture_is_known_by_its_first_bytes() -> None:
    wire = _wires()[0]
    assert capture_kind(wire) == "binary"
    assert capture_kind(b"  \n" + wire) == "binary"
    assert capture_kind(wire.hex().encode() + b"\n") == "hex"
    assert capture_kind(b"8E02 1f 00\n") == "hex"
    assert capture_kind(b"8e03 1f\n") is None
    assert capture_kind(b"$B,1,x") is None
    assert capture_kind(b"") is None


def test_both_forms_of_a_capture_read_as_the_same_records(tmp_path: Path) -> None:
    binary, text = _captures(tmp_path)
    wire, records = read_capture(binary)
    assert wire == b"".join(_wires())
    hex_wire, hex_records = read_capture(text)
    assert hex_wire == wire
    assert [type(r).__name__ for r in hex_records] == [
        "P3Record", "P3Record", "P3Record", "P3Skipped", "P3Record", "P3Record",
    ]  # fmt: skip
    skipped = hex_records[3]
    assert (skipped.reason, skipped.data) == ("line 4 is not hex", b"zz not hex")  # type: ignore[union-attr]
    assert [r for r in hex_records if r is not skipped] == records
    with pytest.raises(SessionFileError, match="is not a P3 capture"):
        (tmp_path / "heat.rm").write_bytes(b'$B,7,"Heat 1"\n')
        read_capture(tmp_path / "heat.rm")
    with pytest.raises(SessionFileError, match="cannot read"):
        read_capture(tmp_path / "missing.bin")


def test_a_capture_imports_to_a_session_with_its_bytes_and_a_report(tmp_path: Path) -> None:
    binary, text = _captures(tmp_path)
    settings, events = capture_session(text)
    assert settings == SessionSettings(name="amb", kind=SessionKind.PRACTICE, min_lap_ms=5000)
    decoder = Source.DECODER
    assert events == [
        FlagChanged(time_ms=0, flag=Flag.GREEN),
        Passing(time_ms=0, transponder="101", source=decoder),
        Passing(time_ms=500, transponder="102", source=decoder),
        Passing(time_ms=30100, transponder="101", source=decoder),
        Passing(time_ms=31000, transponder="102", source=decoder),
        Passing(time_ms=60000, transponder="101", source=decoder),
    ]
    target = tmp_path / "amb.tbs"
    report = import_p3(text, target)
    assert report.lines() == [
        f"{target}: 5 P3 record(s), 5 passing(s), 2 car(s), 3 lap(s)",
        "skipped 1 part(s): 1 x line N is not hex",
    ]
    file = SessionFile.open(target, read_only=True)
    try:
        assert file.raw_feed() == b"".join(_wires())
        assert file.settings == settings
    finally:
        file.close()
    with pytest.raises(SessionFileError, match="already exists"):
        import_p3(binary, target)
    clean = import_p3(binary, tmp_path / "bin.tbs")
    assert clean.lines() == [
        f"{tmp_path / 'bin.tbs'}: 5 P3 record(s), 5 passing(s), 2 car(s), 3 lap(s)"
    ]


def test_a_capture_with_no_passing_on_the_line_is_refused(tmp_path: Path) -> None:
    from timingboard.feeds.p3_parser import resend

    path = tmp_path / "status.bin"
    path.write_bytes(encode_record(resend(1, 2)))
    with pytest.raises(SessionFileError, match="holds no passing on the finish line"):
        capture_session(path)
    with pytest.raises(SessionFileError, match="holds no passing on the finish line"):
        import_p3(path, tmp_path / "status.tbs")
    assert not (tmp_path / "status.tbs").exists()


def test_a_replay_opens_a_p3_capture_an_rmonitor_stream_or_a_session(tmp_path: Path) -> None:
    binary, _text = _captures(tmp_path)
    replay = ReplaySource.open(binary)
    assert replay.name == "amb.bin: amb"
    assert replay.timeline.final().order() == ["?T101", "?T102"]
    stream = tmp_path / "heat.rm"
    stream.write_bytes(
        b'$B,7,"Heat 1"\n$J,"31","00:00:00.000","00:00:05.000"\n'
        b'$J,"31","00:00:13.000","00:00:18.000"\n$B,8,"Heat 2"\n'
        b'$J,"8","00:00:00.000","00:00:04.000"\n'
    )
    first = ReplaySource.open(stream)
    assert first.name == "heat.rm: Heat 1"
    assert first.timeline.final().standing("31").laps == 1
    second = ReplaySource.from_capture(stream, run=5)
    assert second.name == "heat.rm: Heat 2"
    assert second.timeline.final().order() == ["8"]
    empty = tmp_path / "empty.rm"
    empty.write_bytes(b"nothing here\n")
    with pytest.raises(SessionFileError, match="is a text file with no RMonitor records: not a"):
        ReplaySource.open(empty)
    with pytest.raises(SessionFileError, match="cannot read"):
        ReplaySource.from_capture(tmp_path / "missing.rm")
    with pytest.raises(SessionFileError, match="does not exist"):
        ReplaySource.open(tmp_path / "missing.rm")
    with pytest.raises(SessionFileError, match="is a folder"):
        ReplaySource.open(tmp_path)


def test_a_session_file_replays_under_its_own_name(tmp_path: Path) -> None:
    path = tmp_path / "s.tbs"
    _session_with_passings(path, 2)
    replay = ReplaySource.open(path)
    assert (replay.name, replay.timeline.final().standing("31").laps) == ("s.tbs", 1)


# --- safe writes and locks ---------------------------------------------------------------------


def test_a_session_file_is_known_by_its_header(tmp_path: Path) -> None:
    path = tmp_path / "s.tbs"
    SessionFile.create(path, QUARTER_MILE_RACE).close()
    assert atomic._is_sqlite(path)
    short = tmp_path / "short"
    short.write_bytes(b"SQLite format 3\x00")  # the header alone
    assert atomic._is_sqlite(short)
    (tmp_path / "text").write_text("SQLite format 2 and more text")
    assert not atomic._is_sqlite(tmp_path / "text")
    assert not atomic._is_sqlite(tmp_path / "missing")
    assert not atomic._is_sqlite(tmp_path)


def test_without_flock_a_lock_goes_by_the_process_it_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(lock_module, "fcntl", None)
    path = tmp_path / "s.tbs.lock"
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        assert lock_module._try_lock(fd, path)  # no holder written: free
        os.write(fd, json.dumps({"pid": os.getpid(), "host": atomic.host_name()}).encode())
        assert lock_module._try_lock(fd, path)  # this process holds it
        os.ftruncate(fd, 0)
        os.lseek(fd, 0, os.SEEK_SET)
        os.write(fd, json.dumps({"pid": os.getppid(), "host": atomic.host_name()}).encode())
        assert not lock_module._try_lock(fd, path)  # another live process of this computer
        os.ftruncate(fd, 0)
        os.lseek(fd, 0, os.SEEK_SET)
        os.write(fd, json.dumps({"pid": os.getppid(), "host": "elsewhere"}).encode())
        assert not lock_module._try_lock(fd, path)  # one elsewhere cannot be checked: held
    finally:
        os.close(fd)
    assert not lock_module._alive({"pid": "12"})
    assert not lock_module._alive({})


def test_the_samples_of_an_entry_list_are_its_first_row() -> None:
    assert read_samples(b"No\tDriver\tClass\n31\tJustin Haley\n8\tKyle\tGT4\n") == {
        "No": "31",
        "Driver": "Justin Haley",
        "Class": "",
    }
    assert read_samples(b"No;Driver\n31;Justin\n") == {"No": "31", "Driver": "Justin"}


# --- edges of the event row, read-only refusals, damage named, snapshots used ------------------


def test_an_unknown_car_leading_is_no_winner_by_name(tmp_path: Path) -> None:
    from race_scripts import entries

    engine = TimingEngine(QUARTER_MILE_RACE)
    engine.apply(entries([Passing(time_ms=1000, car="77"), Passing(time_ms=14413, car="77")]))
    row = summarise_engine(engine, tmp_path / "heat.tbs", 0.0)
    assert (row.status, row.laps, row.winner) == (Status.LIVE, 1, "")


def test_a_file_open_for_reading_says_so_when_written_to(tmp_path: Path) -> None:
    path = tmp_path / "s.tbs"
    SessionFile.create(path, QUARTER_MILE_RACE).close()
    reader = SessionFile.open(path, read_only=True)
    try:
        with pytest.raises(SessionFileError) as refused:
            reader.append([Passing(time_ms=1000, car="31")])
        assert str(refused.value) == f"{path} is open for reading only"
    finally:
        reader.close()


def test_a_changed_event_is_named_as_not_as_written(tmp_path: Path) -> None:
    path = tmp_path / "s.tbs"
    _session_with_passings(path, 3)
    db = sqlite3.connect(path)
    db.execute("UPDATE events SET payload = '{\"time_ms\": 1}' WHERE seq = 3")
    db.commit()
    db.close()
    assert LogCheck(path).verdict().damage == (
        f"{path}: event #3 is damaged (it is not as it was written)"
    )


def test_an_event_file_that_cannot_be_written_leaves_no_temporary_file(tmp_path: Path) -> None:
    from timingboard.store import event_folder

    with pytest.raises(TypeError):
        event_folder._write(tmp_path, {"sessions": [], "bad": object()})
    assert list(tmp_path.iterdir()) == []


def test_a_report_reads_the_board_from_the_snapshot_without_a_rebuild(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from timingboard.store import snapshot

    path = tmp_path / "s.tbs"
    _session_with_passings(path, 3)
    file = SessionFile.open(path, read_only=True)
    try:
        kept = snapshot.fitting(file)
        assert kept is not None
        restored = snapshot.restore(kept[1], kept[0], None)
        assert restored is not None and restored.standing("31").laps == 2

        def no_rebuild(*args: object) -> TimingEngine:
            raise AssertionError("rebuilt from the log")

        monkeypatch.setattr(TimingEngine, "from_log", no_rebuild)
        assert snapshot.engine_for_report(file).standing("31").laps == 2
    finally:
        file.close()


# --- lineup rules, the event record, an import with nothing in it ------------------------------


def test_a_lineup_rule_is_straight_or_names_a_count_of_one_or_more() -> None:
    from timingboard.engine.lineups import LineupRule
    from timingboard.store.progression import parse_rule

    assert parse_rule("straight").rule is LineupRule.STRAIGHT
    assert (parse_rule("invert:1").rule, parse_rule("invert:1").count) == (LineupRule.INVERT, 1)
    assert parse_rule("split:4").count == 4
    for wrong, said in [
        ("invert", "invert needs a number of 1 or more, as in invert:4"),
        ("split:0", "split needs a number of 1 or more, as in split:4"),
        ("backwards:2", "'backwards:2' is not a rule: straight, split:N, invert:N or transfer:N"),
    ]:
        with pytest.raises(ValueError) as refused:
            parse_rule(wrong)
        assert str(refused.value) == said


def test_the_event_record_is_read_as_written_and_refused_otherwise(tmp_path: Path) -> None:
    from timingboard.store.progression import read_manifest

    manifest = tmp_path / MANIFEST
    assert read_manifest(manifest) == {"sessions": []}
    record = {"sessions": [{"file": "q.tbs", "made_from": []}], "event": {"name": "Clash"}}
    manifest.write_text(json.dumps(record), encoding="utf-8")
    assert read_manifest(manifest) == record
    manifest.write_text('{"sessions": [{"made_from": []}]}', encoding="utf-8")
    with pytest.raises(SessionFileError, match="is not a timingboard event record"):
        read_manifest(manifest)


def test_a_stream_with_no_session_in_it_is_refused_by_name(tmp_path: Path) -> None:
    from timingboard.store.feed_import import import_stream

    source = tmp_path / "nothing.rm"
    source.write_bytes(b"no records here\n")
    with pytest.raises(SessionFileError) as refused:
        import_stream(source, tmp_path / "out.tbs")
    assert str(refused.value) == (
        f"{source} is a text file with no RMonitor records: it holds no RMonitor session"
    )
    assert not (tmp_path / "out.tbs").exists()


def test_a_csv_with_six_bad_rows_names_five_and_says_one_more() -> None:
    from timingboard.store.entry_list import parse_csv

    rows = "".join(f"{n},Driver {n}\n" for n in ("31", "31", "31", "31", "31", "31", "31", "8"))
    summary = parse_csv(("No,Driver\n" + rows).encode()).summary()
    assert summary.startswith("2 entries, 6 bad rows (") and summary.endswith("; 1 more)"), summary


def test_a_sessions_passings_are_read_by_position(tmp_path: Path, monkeypatch) -> None:
    """The fast decoder takes every passing row (the general one only what it cannot read)."""
    from timingboard.engine import Passing
    from timingboard.store import session_file

    path = tmp_path / "s.tbs"
    recorder = SessionRecorder.create(path, QUARTER_MILE_RACE)
    recorder.submit([*field(["1", "2"]), *(Passing(time_ms=t, car="1") for t in (0, 14_000))])
    recorder.close()
    read, by_position = session_file.passing_at, []

    def counted(payload: bytes):
        by_position.append(payload)
        return read(payload)

    monkeypatch.setattr(session_file, "passing_at", counted)
    file = SessionFile.open(path, read_only=True)
    try:
        passings = [e.event for e in file.entries() if isinstance(e.event, Passing)]
    finally:
        file.close()
    assert len(passings) == 2 and len(by_position) == 2
