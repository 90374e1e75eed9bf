"""Each rule at its boundary: exactly the minimum lap, exactly T, ties, zero length, two penalties.

A rule goes wrong where ``<`` meets ``<=``; these pin each one where it changes its answer, so a
one-character slip in the engine fails a test by name.
"""

from __future__ import annotations

import dataclasses
import sqlite3
from pathlib import Path

import pytest
from race_scripts import QUARTER_MILE_QUALIFYING, QUARTER_MILE_RACE, entries, field, run

from timingboard.engine import (
    AssignTransponder,
    BestReported,
    CompetitorSet,
    DeletePassing,
    Disqualify,
    EditEntry,
    EndSession,
    Flag,
    FlagChanged,
    Gap,
    InsertPassing,
    InvalidateLap,
    LapPenalty,
    LapsReported,
    LogEntry,
    Passing,
    PassingStatus,
    PitLane,
    PitMark,
    ReassignPassing,
    ResultsDeclared,
    Retire,
    Revert,
    SectorCrossing,
    SessionEnded,
    SessionKind,
    SettingsChanged,
    Source,
    TimePenalty,
    TimingEngine,
)
from timingboard.engine.events import EVENT_TYPES
from timingboard.engine.formatting import format_speed, parse_lap
from timingboard.engine.replay import ReplayTimeline

GREEN = FlagChanged(time_ms=0, flag=Flag.GREEN)


def test_a_crossing_exactly_one_minimum_lap_later_is_a_lap() -> None:
    engine = run(
        QUARTER_MILE_RACE,
        [*field(["31"]), GREEN, Passing(time_ms=1000, car="31"), Passing(time_ms=9000, car="31")],
    )
    assert QUARTER_MILE_RACE.min_lap_ms == 8000
    assert engine.passing_status(4) is PassingStatus.LAP
    assert engine.standing("31").laps == 1


def test_a_crossing_one_ms_short_of_the_minimum_lap_is_a_double_read() -> None:
    engine = run(
        QUARTER_MILE_RACE,
        [*field(["31"]), GREEN, Passing(time_ms=1000, car="31"), Passing(time_ms=8999, car="31")],
    )
    assert engine.passing_status(4) is PassingStatus.DOUBLE_READ
    assert engine.standing("31").laps == 0


def test_a_crossing_at_the_green_itself_counts() -> None:
    engine = run(QUARTER_MILE_RACE, [*field(["31"]), GREEN, Passing(time_ms=0, car="31")])
    assert engine.passing_status(3) is PassingStatus.START
    before = run(
        QUARTER_MILE_RACE,
        [*field(["31"]), FlagChanged(time_ms=5, flag=Flag.GREEN), Passing(time_ms=4, car="31")],
    )
    assert before.passing_status(3) is PassingStatus.BEFORE_START


def test_the_crossing_at_the_checkered_finishes_the_car_and_the_next_is_after_finish() -> None:
    events = [
        *field(["31"]),
        GREEN,
        Passing(time_ms=1000, car="31"),
        Passing(time_ms=20_000, car="31"),
        FlagChanged(time_ms=20_000, flag=Flag.CHECKERED),
        Passing(time_ms=40_000, car="31"),
    ]
    engine = run(QUARTER_MILE_RACE, events)
    assert engine.passing_status(4) is PassingStatus.LAP
    assert engine.standing("31").status == "finished"
    assert engine.passing_status(6) is PassingStatus.AFTER_FINISH
    assert engine.standing("31").laps == 1


def test_a_race_to_laps_finishes_at_the_first_completion_of_the_last_lap() -> None:
    settings = dataclasses.replace(QUARTER_MILE_RACE, race_laps=2)
    events = [*field(["31", "8"]), GREEN]
    for lap in range(4):
        events += [
            Passing(time_ms=1000 + lap * 14_000, car="31"),
            Passing(time_ms=1500 + lap * 14_000, car="8"),
        ]
    engine = run(settings, events)
    assert engine.finish_ms == 29_000
    assert [s.laps for s in engine.standings()] == [2, 2]
    assert all(s.status == "finished" for s in engine.standings())


def test_a_lap_tie_in_qualifying_goes_to_who_set_it_first() -> None:
    events = [
        *field(["8", "31"]),
        GREEN,
        Passing(time_ms=1000, car="31"),
        Passing(time_ms=2000, car="8"),
        Passing(time_ms=15_000, car="8"),  # 13.000, set second
        Passing(time_ms=14_000, car="31"),  # 13.000, set first
    ]
    engine = run(QUARTER_MILE_QUALIFYING, events)
    assert [s.key for s in engine.standings()] == ["31", "8"]
    assert engine.session_best is not None and engine.session_best[0] == "31"
    assert engine.standing("8").gap == Gap(ms=0)


def test_a_lap_equal_to_the_personal_best_is_not_a_new_personal_best() -> None:
    events = [
        *field(["31"]),
        GREEN,
        Passing(time_ms=1000, car="31"),
        Passing(time_ms=14_000, car="31"),
        Passing(time_ms=27_000, car="31"),
    ]
    engine = run(QUARTER_MILE_QUALIFYING, events)
    first, second = engine.laps("31")
    assert first.personal_best and not second.personal_best
    assert engine.standing("31").best_lap_number == 1


def test_a_race_tie_on_laps_goes_to_who_completed_that_lap_first() -> None:
    events = [
        *field(["8", "31"]),
        GREEN,
        Passing(time_ms=1000, car="8"),
        Passing(time_ms=1001, car="31"),
        Passing(time_ms=15_001, car="31"),
        Passing(time_ms=15_002, car="8"),
    ]
    engine = run(QUARTER_MILE_RACE, events)
    assert [s.key for s in engine.standings()] == ["31", "8"]
    assert engine.standing("8").gap == Gap(ms=1)


def test_two_lap_penalties_add_up() -> None:
    events = [*field(["31"]), GREEN]
    events += [Passing(time_ms=1000 + lap * 14_000, car="31") for lap in range(6)]
    engine = TimingEngine(QUARTER_MILE_RACE)
    engine.apply(entries(events))
    seq = len(events)
    engine.apply([LogEntry(seq + 1, LapPenalty(key="31", laps=1))])
    engine.apply([LogEntry(seq + 2, LapPenalty(key="31", laps=2))])
    assert engine.standing("31").lap_penalty == 3
    assert engine.standing("31").laps == 5 - 3


def test_two_time_penalties_add_up_and_a_reverted_one_is_gone() -> None:
    engine = run(
        QUARTER_MILE_RACE,
        [
            *field(["31"]),
            GREEN,
            Passing(time_ms=1000, car="31"),
            Passing(time_ms=15_000, car="31"),
            TimePenalty(key="31", ms=5000),
            TimePenalty(key="31", ms=10_000),
            Revert(correction_id=5),
        ],
    )
    assert engine.standing("31").time_penalty_ms == 10_000
    assert engine.standing("31").total_ms == 15_000 + 10_000  # its last crossing since the green


def test_a_track_of_no_length_gives_no_speed() -> None:
    settings = dataclasses.replace(QUARTER_MILE_RACE, track_length=0.0)
    engine = run(
        settings,
        [*field(["31"]), GREEN, Passing(time_ms=1000, car="31"), Passing(time_ms=14_413, car="31")],
    )
    assert engine.standing("31").best_speed is None
    assert format_speed(engine.standing("31").best_speed) == ""
    assert format_speed(QUARTER_MILE_RACE.speed(13_413)) == "67.099"


def test_a_fraction_of_a_second_is_read_as_tenths_hundredths_or_thousandths() -> None:
    assert parse_lap(".4") == 400
    assert parse_lap("13.4") == 13_400
    assert parse_lap("13.41") == 13_410
    assert parse_lap("13.413") == 13_413
    assert parse_lap("1:00.5") == 60_500
    for nonsense in (".", "1:.5", "13.4567", "-1"):
        with pytest.raises(ValueError):
            parse_lap(nonsense)


def test_replay_at_t_includes_what_was_stamped_exactly_t() -> None:
    log = entries(
        [
            *field(["31"]),
            GREEN,
            Passing(time_ms=1000, car="31"),
            Passing(time_ms=14_000, car="31"),
            Passing(time_ms=27_000, car="31"),
        ]
    )
    timeline = ReplayTimeline(QUARTER_MILE_RACE, log)
    at_t = timeline.engine_at(timeline.prefix_at(14_000))
    assert at_t.standing("31").laps == 1
    just_before = timeline.engine_at(timeline.prefix_at(13_999))
    assert just_before.standing("31").laps == 0


def test_a_file_from_a_newer_version_is_refused_untouched(tmp_path: Path) -> None:
    from timingboard.store import SessionFileError, SessionRecorder
    from timingboard.store.session_file import FORMAT_VERSION

    path = tmp_path / "newer.tbs"
    SessionRecorder.create(path, QUARTER_MILE_RACE).close()
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version = {FORMAT_VERSION + 1}")
    db.commit()
    db.close()
    before = path.read_bytes()
    with pytest.raises(SessionFileError, match="newer"):
        SessionRecorder.open(path)
    assert path.read_bytes() == before


def test_every_kind_of_event_round_trips_through_the_file(
    tmp_path: Path,
) -> None:
    from timingboard.store import SessionFile, SessionRecorder

    comp = CompetitorSet(
        key="31",
        car="31",
        driver="Justin Haley",
        team="Kaulig Racing",
        make="Chevrolet",
        car_class="Cup",
        transponders=("1031", "2031"),
        grid=1,
    )
    by = {"operator": "Pat", "reason": "video", "at": "2023-02-05T17:00:00"}
    batches = [
        [
            comp,
            CompetitorSet(key="16", car="16", driver="AJ Allmendinger", grid=2),
            SettingsChanged(
                settings=dataclasses.replace(
                    QUARTER_MILE_RACE, kind=SessionKind.RACE, stage_laps=(10,), race_laps=25
                )
            ),
            FlagChanged(time_ms=0, flag=Flag.GREEN),
            Passing(time_ms=1000, transponder="1031", source=Source.DECODER),
            Passing(time_ms=1200, car="16", source=Source.FEED),
            Passing(time_ms=14_413, key="31", source=Source.MANUAL),
            FlagChanged(time_ms=14_500, flag=Flag.FULL_COURSE_YELLOW),
            FlagChanged(time_ms=14_600, flag=Flag.GREEN),
            LapsReported(key="16", time_ms=14_800, laps=1),
            BestReported(key="16", lap_ms=13_600, lap=1),
            PitLane(key="16", time_ms=20_000, entered=True, source=Source.FEED),
            SectorCrossing(key="31", time_ms=21_000, sector=1, source=Source.DECODER),
        ],
        [
            DeletePassing(passing_id=7, **by),
            InsertPassing(time_ms=27_826, key="31", **by),
            ReassignPassing(passing_id=6, key="31", **by),
            InvalidateLap(passing_id=5, **by),
            TimePenalty(key="16", ms=5000, **by),
            LapPenalty(key="16", laps=1, **by),
            PitMark(key="31", time_ms=30_000, entered=True, **by),
            Disqualify(key="16", **by),
            Retire(key="31", **by),
            AssignTransponder(transponder="9999", key="16", **by),
            EditEntry(
                key="16",
                car="61",
                driver="A. J. Allmendinger",
                transponders=("1016",),
                car_class="Cup",
                grid=2,
                **by,
            ),
        ],
        [Revert(correction_id=15, **by)],
        [EndSession(time_ms=39_000, **by)],
        [ResultsDeclared(operator="Ann Chief", at="2026-05-01T15:00:00+00:00", reason="")],
        [SessionEnded(time_ms=40_000, source=Source.FEED)],
    ]
    events = [event for batch in batches for event in batch]
    assert {type(e).__name__ for e in events} == set(EVENT_TYPES)
    path = tmp_path / "all.tbs"
    recorder = SessionRecorder.create(path, QUARTER_MILE_RACE)
    for batch in batches:
        recorder.submit(batch)
    live = recorder.engine.standings()
    recorder.close()
    file = SessionFile.open(path, read_only=True)
    assert [entry.event for entry in file.entries()] == events
    file.close()
    reopened = SessionRecorder.open(path)
    assert reopened.engine.standings() == live
    reopened.close()


def test_two_crossings_in_the_same_millisecond_are_one_even_with_no_minimum_lap() -> None:
    """Found by the reference scorer: a 0.000 lap completed a race to laps at the very moment
    it took the lap before away again, and the finish never settled."""
    settings = dataclasses.replace(QUARTER_MILE_RACE, min_lap_ms=0, race_laps=3)
    events = [*field(["88"]), GREEN]
    events += [Passing(time_ms=t, car="88") for t in (1000, 10_000, 19_000, 19_000, 28_000)]
    engine = run(settings, events)
    assert engine.passing_status(6) is PassingStatus.DOUBLE_READ
    assert engine.finish_ms == 28_000
    assert engine.standing("88").laps == 3
    assert engine.standing("88").best_lap_ms == 9000


def _board(engine: TimingEngine) -> tuple:
    """What the board says of the finish: each row, each passing's status, the finish, FINISHED."""
    statuses = {pid: engine.passing_status(pid) for pid in engine.passings}
    return engine.standings(), statuses, engine.finish_ms, engine.over, engine.all_in


def test_a_green_after_the_distance_finish_reopens_the_race_until_a_checkered() -> None:
    """The hand-timed race: the leader completed the laps (the board's checkered), every car
    took the flag (FINISHED), then F5: the race goes on, each crossing a lap, until a checkered
    thrown finishes it again. Incremental, from scratch and replayed alike at each step."""
    settings = dataclasses.replace(QUARTER_MILE_RACE, race_laps=2)
    events: list = [*field(["31", "8"]), GREEN]
    for lap in range(3):  # the start crossing, lap 1, lap 2 (the distance: the finish)
        events += [
            Passing(time_ms=1000 + lap * 14_000, car="31"),
            Passing(time_ms=1500 + lap * 14_000, car="8"),
        ]
    steps = {"finished": len(events)}
    events.append(FlagChanged(time_ms=30_000, flag=Flag.GREEN))  # race control: it goes on
    steps["reopened"] = len(events)
    events += [Passing(time_ms=43_000, car="31"), Passing(time_ms=43_500, car="8")]
    steps["lap 3"] = len(events)
    events += [FlagChanged(time_ms=50_000, flag=Flag.CHECKERED), Passing(time_ms=57_000, car="31")]
    steps["checkered, 31 in"] = len(events)
    events.append(Passing(time_ms=57_500, car="8"))
    steps["all in again"] = len(events)
    log = entries(events)
    engine = TimingEngine(settings)
    timeline = ReplayTimeline(settings, log)
    seen: dict[str, TimingEngine] = {}
    for at, entry in enumerate(log, 1):
        engine.apply([entry])
        assert _board(engine) == _board(TimingEngine.from_log(settings, log[:at]))
        assert _board(engine) == _board(timeline.engine_at(at))
        for name, count in steps.items():
            if count == at:
                seen[name] = engine.clone()

    finished = seen["finished"]
    assert (finished.finish_ms, finished.over, finished.all_in) == (29_000, True, True)
    assert [(s.laps, s.status) for s in finished.standings()] == [(2, "finished")] * 2
    reopened = seen["reopened"]
    assert (reopened.finish_ms, reopened.over, reopened.all_in) == (None, False, False)
    assert [(s.laps, s.status) for s in reopened.standings()] == [(2, "running")] * 2
    assert not any(s.checkered or s.result_final for s in reopened.standings())
    lap_3 = seen["lap 3"]
    assert [s.laps for s in lap_3.standings()] == [3, 3]
    typed = (steps["lap 3"] - 1, steps["lap 3"])  # the crossings after the green: laps
    assert [lap_3.passing_status(pid) for pid in typed] == [PassingStatus.LAP] * 2
    assert PassingStatus.AFTER_FINISH not in {lap_3.passing_status(p) for p in lap_3.passings}
    checkered = seen["checkered, 31 in"]
    assert (checkered.finish_ms, checkered.over, checkered.all_in) == (50_000, True, False)
    assert [(s.key, s.laps, s.status) for s in checkered.standings()] == [
        ("31", 4, "finished"),
        ("8", 3, "running"),  # still out: it takes the flag at its next crossing
    ]
    assert engine.all_in and [s.laps for s in engine.standings()] == [4, 4]


@pytest.mark.parametrize(("green_ms", "stands"), [(29_000, True), (29_001, False)])
def test_a_green_at_the_distance_finish_itself_does_not_take_it_back(
    green_ms: int, stands: bool
) -> None:
    """A flag thrown at the finish's very moment was thrown before it (the board shows the
    checkered then); a millisecond after, the green takes the finish back."""
    settings = dataclasses.replace(QUARTER_MILE_RACE, race_laps=2)
    events: list = [*field(["31"]), GREEN]
    events += [Passing(time_ms=t, car="31") for t in (1000, 15_000, 29_000)]
    events.append(FlagChanged(time_ms=green_ms, flag=Flag.GREEN))
    engine = run(settings, events)
    assert engine.finish_ms == (29_000 if stands else None)
    assert _board(engine) == _board(TimingEngine.from_log(settings, entries(events)))


def test_a_green_after_the_finish_of_a_race_to_time_reopens_it() -> None:
    """Run to time: the finish is the leader's first completion after the time; a green after
    it reopens the race, and no later completion finishes it by the time again."""
    settings = dataclasses.replace(QUARTER_MILE_RACE, race_laps=None, race_duration_ms=20_000)
    events: list = [*field(["31"]), GREEN]
    events += [Passing(time_ms=t, car="31") for t in (1000, 15_000, 29_000)]
    assert run(settings, events).finish_ms == 29_000
    events += [FlagChanged(time_ms=30_000, flag=Flag.GREEN), Passing(time_ms=43_000, car="31")]
    engine = run(settings, events)
    assert engine.finish_ms is None and not engine.over
    assert (engine.standing("31").laps, engine.standing("31").status) == (3, "running")
    assert _board(engine) == _board(TimingEngine.from_log(settings, entries(events)))
