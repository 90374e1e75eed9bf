"""A deliberately plain reference scorer, written from the rules the README states.

It shares no code with ``timingboard.engine`` beyond the event records themselves: it recomputes
everything from the whole log in the most direct way (no incremental state, no caches, no finish
fixed point), so a bug in the engine's ranking, gaps, double-read filter or correction folding
shows up as a difference between the two. It covers the rules of passings, flags, corrections,
competitors and the best lap the timing system reports (``BestReported``); the laps it reports
(``LapsReported``) and pit-lane data are left out.

The rules, as the engine documents them:

- The race starts at the earliest green. A passing before it counts for nothing ("before
  green"). With ``first_crossing_completes_lap`` a car's first crossing completes lap 1, timed
  from the green; otherwise it starts the car's clock ("start").
- A passing less than the minimum lap after the car's last counted crossing is a double read,
  and so is one at the very same millisecond when there is no minimum (a lap takes time).
- The finish is the earliest of: a checkered flag (not one a later green took back); in a race
  to N laps, the first completion of lap N by anyone; in a race to a time, the first lap led to
  completion at or after green + time. A green thrown later than a finish by the distance takes
  it back too (the race goes on; one thrown at its very moment does not).
  A car is finished by its first counted crossing at or after the finish; what follows is
  "after finish".
- Corrections stand unless taken back by a revert that stands itself. Time and lap penalties
  add up; a deleted passing belongs to no one; an inserted one to its car while it stands; a
  reassigned one to the last car it was reassigned to.
- Races rank by laps (less lap penalties), then by who completed that lap first (time penalties
  added); practice and qualifying by best valid lap, a tie going to who set it first. In a
  race, a car at 0 laps that crossed the line (its "start" crossing: lap 0 completed) ranks by
  when it crossed (time penalties added; a car whose laps a penalty took off, by its last
  lap), above the cars never seen. Cars without a lap (or never seen) keep grid order (then
  registration order; unknown cars by first passing), and disqualified cars go to the bottom.
  Once the session is over (finished or ended) a race's car that took the start and has no lap
  (after lap penalties) nor took the flag is DNF (it started); one never seen is DNS.
- In a race, a gap is taken at the car's own last crossing: whole laps down when the other car
  had completed that many more laps by then, else the time between them at the line on this
  car's latest lap. When the other car has as many laps now, the time between their last
  crossings; when it had fewer laps then but has more now (this car stopped), or this car
  retired or finished, or the session was ended (its laps are final), or a lap penalty cut
  either car's laps (no crossing was made at the laps scored now), the difference in laps
  now. Never negative (none then). A car that a car ranked ahead of it (with more laps now)
  had not yet reached at its last crossing (fewer laps then: it passed this car since) is as
  far behind the leader as the difference in laps now. In practice and qualifying, the
  difference of best laps.
- The session is ended by its first ``SessionEnded`` (the timing system's end of session), or
  by an operator's ``EndSession`` that stands (the earliest of those). It changes no lap run
  by then; from it every car's laps are final, as on the results sheet: a crossing after it
  (one at its very moment counts) is "after the end", counted for nothing.
- Status: disqualified (DSQ), retired (DNF), finished (took the flag: a crossing at or after the
  finish); else DNS when the session is finished or ended and the car never started (no lap in
  a race, no time otherwise); else, in practice or qualifying, finished when the session was
  ended (or it is a record of an earlier day, ``record``, with its finish come) and the car went
  out; else running. A car still on its lap at the checkered is running until it crosses.
- A car's total is the time of its last crossing since the green flag (without one, since the
  first crossing of any car), time penalties added.
- A car's best lap (personal best, session best) is its fastest valid lap timed here, never one
  the timing system reports. The timing system's last reported best of a car is shown apart
  when it is strictly faster than any lap timed here; practice and qualifying rank by it then
  (and take gaps from it), as set before any lap timed here; and the car's last lap is then not
  a personal best (its best was not seen here). Else the last lap is a personal best when it
  is valid and as fast as the car's best: a lap equal to the best is one too (green), the best
  lap staying the first to set it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from timingboard.engine import (
    BestReported,
    CompetitorSet,
    DeletePassing,
    Disqualify,
    EndSession,
    Flag,
    FlagChanged,
    InsertPassing,
    InvalidateLap,
    LapPenalty,
    LogEntry,
    Passing,
    ReassignPassing,
    Retire,
    Revert,
    SessionEnded,
    SessionKind,
    SessionSettings,
    SettingsChanged,
    TimePenalty,
)

NO_GRID = 10**9


@dataclass
class RefLap:
    number: int
    time_ms: int  # when it was completed
    duration_ms: int
    passing_id: int
    valid: bool
    personal_best: bool


@dataclass
class RefCar:
    key: str
    known: bool
    grid: tuple[int, int]
    passings: list[tuple[int, int]] = field(default_factory=list)  # (time, id), in time order
    status: dict[int, str] = field(default_factory=dict)
    laps: list[RefLap] = field(default_factory=list)
    origin_ms: int | None = None
    finished: bool = False

    @property
    def best(self) -> RefLap | None:
        valid = [lap for lap in self.laps if lap.valid]
        # the first lap that was strictly fastest: a later equal lap does not take it
        return min(valid, key=lambda lap: (lap.duration_ms, lap.number), default=None)

    def completed_by(self, time_ms: int) -> int:
        return sum(1 for lap in self.laps if lap.time_ms <= time_ms)


@dataclass
class RefRow:
    key: str
    position: int
    laps: int
    last_lap_ms: int | None
    last_lap_personal_best: bool
    best_lap_ms: int | None
    best_lap_number: int | None
    holds_session_best: bool
    reported_best_ms: int | None
    reported_best_number: int | None
    gap: tuple[int, int] | None  # (laps, ms)
    interval: tuple[int, int] | None
    total_ms: int | None
    laps_led: int
    status: str
    time_penalty_ms: int
    lap_penalty: int
    last_speed: float | None
    best_speed: float | None


@dataclass
class RefBoard:
    rows: list[RefRow]
    statuses: dict[int, str]  # passing id -> "lap", "start", "double read", ... or "deleted"
    finish_ms: int | None
    session_best: tuple[str, int] | None  # holder, lap time


def score(initial: SessionSettings, log: list[LogEntry], record: bool = False) -> RefBoard:
    """The board a session's log gives, worked out from scratch by the plain rules above.
    ``record``: the session is a record of an earlier day (engine.long_past)."""
    settings = initial
    competitors: dict[str, CompetitorSet] = {}
    arrival: dict[str, int] = {}
    passings: dict[int, tuple[int, str, str, str]] = {}  # id -> time, key, car, transponder
    corrections: dict[int, object] = {}
    flags: list[tuple[int, Flag]] = []
    reported: dict[str, tuple[int, int | None]] = {}  # key -> the last best the system gave
    ended: int | None = None  # the first end of the session
    for seq, event in log:
        if isinstance(event, SettingsChanged):
            settings = event.settings
        elif isinstance(event, CompetitorSet):
            competitors[event.key] = event
            arrival.setdefault(event.key, seq)
        elif isinstance(event, Passing):
            passings[seq] = (event.time_ms, event.key, event.car, event.transponder)
        elif isinstance(event, FlagChanged):
            flags.append((event.time_ms, event.flag))
        elif isinstance(event, BestReported):
            reported[event.key] = (event.lap_ms, event.lap)
        elif isinstance(event, SessionEnded) and ended is None:
            ended = event.time_ms
        elif isinstance(
            event,
            DeletePassing
            | InsertPassing
            | ReassignPassing
            | InvalidateLap
            | TimePenalty
            | LapPenalty
            | Disqualify
            | Retire
            | EndSession
            | Revert,
        ):
            corrections[seq] = event
    standing = _standing_corrections(corrections)
    deleted: set[int] = set()
    reassigned: dict[int, str] = {}
    invalid: set[int] = set()
    time_penalty: dict[str, int] = {}
    lap_penalty: dict[str, int] = {}
    disqualified: set[str] = set()
    retired: set[str] = set()
    for seq in sorted(standing):
        c = corrections[seq]
        if isinstance(c, DeletePassing):
            deleted.add(c.passing_id)
        elif isinstance(c, InsertPassing):
            passings[seq] = (c.time_ms, c.key, "", "")
        elif isinstance(c, ReassignPassing):
            reassigned[c.passing_id] = c.key
        elif isinstance(c, InvalidateLap):
            invalid.add(c.passing_id)
        elif isinstance(c, TimePenalty):
            time_penalty[c.key] = time_penalty.get(c.key, 0) + c.ms
        elif isinstance(c, LapPenalty):
            lap_penalty[c.key] = lap_penalty.get(c.key, 0) + c.laps
        elif isinstance(c, Disqualify):
            disqualified.add(c.key)
        elif isinstance(c, Retire):
            retired.add(c.key)
        elif isinstance(c, EndSession):
            ended = c.time_ms if ended is None else min(ended, c.time_ms)

    # Who each passing belongs to, by the competitors as they stand at the end.
    by_car: dict[str, str] = {}
    by_transponder: dict[str, str] = {}
    for key, c in competitors.items():
        by_car[c.car] = key
        for t in c.transponders:
            by_transponder[t] = key
    cars: dict[str, RefCar] = {
        key: RefCar(key, True, (c.grid if c.grid is not None else NO_GRID, arrival[key]))
        for key, c in competitors.items()
    }
    owner: dict[int, str] = {}
    for pid, (time_ms, key, car, transponder) in sorted(passings.items()):
        if pid in deleted:
            continue
        inserted = isinstance(corrections.get(pid), InsertPassing)
        if pid in reassigned:
            who = reassigned[pid]
        elif key and (key in competitors or inserted):
            who = key
        elif car and car in by_car:
            who = by_car[car]
        elif transponder and transponder in by_transponder:
            who = by_transponder[transponder]
        else:
            who = "?" + (car or key or "T" + transponder)
        if who not in cars:
            cars[who] = RefCar(who, False, (NO_GRID, pid))
        owner[pid] = who
        cars[who].passings.append((time_ms, pid))
    for car in cars.values():
        car.passings.sort()

    greens = [t for t, flag in flags if flag is Flag.GREEN]
    start = min(greens) if greens else None
    completes = settings.first_crossing_completes_lap and start is not None
    # Laps with no finish first; the finish comes only from crossings before it, so the laps
    # before the finish are the same either way.
    for car in cars.values():
        _time_car(car, start, None, settings.min_lap_ms, completes, invalid, ended)
    finish = _finish(settings, flags, start, cars)
    for car in cars.values():
        _time_car(car, start, finish, settings.min_lap_ms, completes, invalid, ended)

    is_race = settings.kind is SessionKind.RACE
    counted = {key: max(0, len(car.laps) - lap_penalty.get(key, 0)) for key, car in cars.items()}

    def rank(key: str) -> tuple:
        car = cars[key]
        dsq = int(key in disqualified)
        if is_race:
            if counted[key] == 0:
                started = [t for t, pid in car.passings if car.status.get(pid) == "start"]
                if car.laps:  # laps taken off by a penalty: its last crossing
                    crossed: int | None = car.laps[-1].time_ms
                else:
                    crossed = started[0] if started else None
                if crossed is None:
                    return (dsq, 1, 0, 0, car.grid)  # never seen: its grid slot
                return (dsq, 0, crossed + time_penalty.get(key, 0), 0, car.grid)
            return (
                dsq,
                -counted[key],
                car.laps[-1].time_ms + time_penalty.get(key, 0),
                0,
                car.grid,
            )
        ranked = ranked_best(key)
        if ranked is None:
            return (dsq, 1, 0, 0, car.grid)
        return (dsq, 0, ranked[0], ranked[1], car.grid)

    def reported_better(key: str) -> tuple[int, int | None] | None:
        """The timing system's best of a car, when strictly faster than every lap timed here."""
        best = cars[key].best
        given = reported.get(key) if cars[key].known else None
        if given is None or (best is not None and best.duration_ms <= given[0]):
            return None
        return given

    def ranked_best(key: str) -> tuple[int, int] | None:
        """(duration, when set) of the lap practice and qualifying rank a car by."""
        given = reported_better(key)
        if given is not None:
            return given[0], 0  # set before any lap seen here
        best = cars[key].best
        return (best.duration_ms, best.time_ms) if best else None

    order = sorted(cars, key=rank)
    bests = [(c.best.duration_ms, c.best.time_ms, k) for k, c in cars.items() if c.best]
    session_best = min(bests, default=None)

    led: dict[str, int] = {}
    lap_number = 1
    while True:
        done = [
            (c.laps[lap_number - 1].time_ms, k)
            for k, c in cars.items()
            if len(c.laps) >= lap_number
        ]
        if not done:
            break
        first = min(done)[1]
        led[first] = led.get(first, 0) + 1
        lap_number += 1

    def gap(key: str, ref: str) -> tuple[int, int] | None:
        if key == ref or key in disqualified:
            return None
        mine, theirs = cars[key], cars[ref]
        if not is_race:
            my_best, their_best = ranked_best(key), ranked_best(ref)
            if my_best is None or their_best is None:
                return None
            ms = my_best[0] - their_best[0]
            return (0, ms) if ms >= 0 else None
        laps, ref_laps = counted[key], counted[ref]
        if laps <= 0 or not theirs.laps or ref_laps < laps:
            return None
        at = mine.laps[-1].time_ms + time_penalty.get(key, 0)
        ref_lp, ref_tp = lap_penalty.get(ref, 0), time_penalty.get(ref, 0)
        if ref_laps == laps:
            ms = at - (theirs.laps[-1].time_ms + ref_tp)
            return (0, ms) if ms >= 0 else None
        if key in retired or mine.finished or ended is not None:
            return (ref_laps - laps, 0)
        if lap_penalty.get(key) or ref_lp:  # no crossing made at the laps scored now
            return (ref_laps - laps, 0)
        down = theirs.completed_by(at - ref_tp) - ref_lp - laps
        if down >= 1:
            return (down, 0)
        if down == 0:
            return (0, at - (theirs.laps[laps + ref_lp - 1].time_ms + ref_tp))
        return (ref_laps - laps, 0)

    def passed(key: str, position: int) -> bool:
        """A car ranked ahead with more laps now had fewer laps than this car at its last
        crossing (it passed this car since)."""
        if not is_race or counted[key] <= 0 or not cars[key].laps:
            return False
        at = cars[key].laps[-1].time_ms + time_penalty.get(key, 0)
        for other in order[:position]:
            then = cars[other].completed_by(at - time_penalty.get(other, 0))
            if counted[other] > counted[key] and then - lap_penalty.get(other, 0) < counted[key]:
                return True
        return False

    def leader_gap(key: str, position: int) -> tuple[int, int] | None:
        found = gap(key, order[0])
        if found is not None and passed(key, position):
            return (counted[order[0]] - counted[key], 0)
        return found

    origins = [c.origin_ms for c in cars.values() if c.origin_ms is not None]
    zero = start if start is not None else min(origins, default=None)
    rows = []
    for position, key in enumerate(order):
        car = cars[key]
        last, best = (car.laps[-1] if car.laps else None), car.best
        if key in disqualified:
            status = "DSQ"
        elif key in retired:
            status = "DNF"
        elif car.finished:
            status = "finished"
        elif (
            is_race
            and (finish is not None or ended is not None)
            and counted[key] == 0
            and (car.laps or any(s == "start" for s in car.status.values()))
        ):
            status = "DNF"  # took the start (seen crossing), no lap completed: out
        elif (finish is not None or ended is not None) and not (
            counted[key] > 0 if is_race else car.best is not None
        ):
            status = "DNS"  # never started, and the session is over
        elif (
            not is_race and car.passings and (ended is not None or (record and finish is not None))
        ):
            status = "finished"  # an ended practice or qualifying: every car that went out
        else:
            status = "running"
        total = None
        if last is not None and zero is not None:
            total = last.time_ms - zero + time_penalty.get(key, 0)
        rows.append(
            RefRow(
                key=key,
                position=position + 1,
                laps=counted[key],
                last_lap_ms=last.duration_ms if last else None,
                last_lap_personal_best=bool(  # as fast as its best (a tie is one too)
                    last
                    and last.valid
                    and best
                    and last.duration_ms == best.duration_ms
                    and reported_better(key) is None
                ),
                best_lap_ms=best.duration_ms if best else None,
                best_lap_number=best.number if best else None,
                holds_session_best=bool(session_best and session_best[2] == key),
                reported_best_ms=given[0] if (given := reported_better(key)) else None,
                reported_best_number=(given[1] or None) if given else None,
                gap=leader_gap(key, position),
                interval=gap(key, order[position - 1]) if position else None,
                total_ms=total,
                laps_led=led.get(key, 0) if is_race else 0,
                status=status,
                time_penalty_ms=time_penalty.get(key, 0),
                lap_penalty=lap_penalty.get(key, 0),
                last_speed=_speed(settings, last.duration_ms if last else None),
                best_speed=_speed(settings, best.duration_ms if best else None),
            )
        )
    statuses = {pid: "deleted" for pid in passings}  # ...unless a car's timing says otherwise
    statuses.update(
        {seq: "deleted" for seq, c in corrections.items() if isinstance(c, InsertPassing)}
    )
    for car in cars.values():
        statuses.update(car.status)
    holder = (session_best[2], session_best[0]) if session_best else None
    return RefBoard(rows, statuses, finish, holder)


def _speed(settings: SessionSettings, lap_ms: int | None) -> float | None:
    """Miles (or km) an hour over the lap; none when the track has no length or the lap no time."""
    if lap_ms is None or lap_ms <= 0 or settings.track_length <= 0:
        return None
    return settings.track_length / (lap_ms / 3_600_000)


def _standing_corrections(corrections: dict[int, object]) -> set[int]:
    """A correction stands unless a revert that stands takes it back (reverts can be reverted)."""

    def stands(seq: int) -> bool:
        return not any(
            isinstance(c, Revert) and c.correction_id == seq and stands(other)
            for other, c in corrections.items()
        )

    return {seq for seq in corrections if stands(seq)}


def _time_car(
    car: RefCar,
    start: int | None,
    finish: int | None,
    min_lap_ms: int,
    completes: bool,
    invalid: set[int],
    ended: int | None = None,
) -> None:
    car.status, car.laps, car.finished = {}, [], False
    clock = start if completes else None
    car.origin_ms = clock
    last_counted: int | None = None
    best_so_far: int | None = None
    for time_ms, pid in car.passings:
        if start is not None and time_ms < start:
            car.status[pid] = "before green"
        elif car.finished:
            car.status[pid] = "after finish"
        elif ended is not None and time_ms > ended:
            car.status[pid] = "after the end"
        elif last_counted is not None and time_ms - last_counted < max(1, min_lap_ms):
            car.status[pid] = "double read"
        elif clock is None:
            last_counted = clock = car.origin_ms = time_ms
            car.status[pid] = "start"
        else:
            last_counted = time_ms
            duration = time_ms - clock
            clock = time_ms
            valid = pid not in invalid
            improved = valid and (best_so_far is None or duration < best_so_far)
            if improved:
                best_so_far = duration
            car.laps.append(RefLap(len(car.laps) + 1, time_ms, duration, pid, valid, improved))
            car.status[pid] = "lap"
            if finish is not None and time_ms >= finish:
                car.finished = True


def _finish(
    settings: SessionSettings,
    flags: list[tuple[int, Flag]],
    start: int | None,
    cars: dict[str, RefCar],
) -> int | None:
    in_time = sorted(flags, key=lambda thrown: thrown[0])  # stable: logged order at one time
    candidates = [
        t
        for i, (t, flag) in enumerate(in_time)
        if flag is Flag.CHECKERED and all(f is not Flag.GREEN for _, f in in_time[i + 1 :])
    ]  # a green thrown after a checkered takes it back
    if settings.kind is SessionKind.RACE:
        first_of_lap: list[int] = []  # first completion of lap 1, 2, ...
        number = 1
        while True:
            times = [c.laps[number - 1].time_ms for c in cars.values() if len(c.laps) >= number]
            if not times:
                break
            first_of_lap.append(min(times))
            number += 1
        distance: list[int] = []  # the finishes by the race's laps and by its time
        if settings.race_laps and len(first_of_lap) >= settings.race_laps:
            distance.append(first_of_lap[settings.race_laps - 1])
        if settings.race_duration_ms and start is not None:
            target = start + settings.race_duration_ms
            later = [t for t in first_of_lap if t >= target]
            if later:
                distance.append(later[0])
        last_green = max((t for t, f in flags if f is Flag.GREEN), default=None)
        candidates += [t for t in distance if last_green is None or last_green <= t]
    return min(candidates, default=None)
