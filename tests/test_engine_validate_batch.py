"""A batch is checked as its events are one by one: the same first refusal, the same message."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from timingboard.engine import TimingEngine
from timingboard.engine.events import CompetitorSet, LapsReported, Passing, Source
from timingboard.engine.settings import SessionSettings
from timingboard.engine.validation import MAX_TIME_MS, InvalidEvent, validate_event

TIMES = st.one_of(
    st.integers(-5, 5),
    st.integers(MAX_TIME_MS - 2, MAX_TIME_MS + 2),
    st.integers(0, MAX_TIME_MS),
    st.sampled_from([True, False, 1.0, 2.5, "7", None]),
)
NAMES = st.sampled_from(["", "7", "12"])
EVENTS = st.one_of(
    st.builds(
        lambda t, k, c, x: Passing(time_ms=t, key=k, car=c, transponder=x, source=Source.FEED),
        TIMES,
        NAMES,
        NAMES,
        NAMES,
    ),
    st.builds(lambda k: CompetitorSet(key=k, car=k or " "), NAMES),
    st.builds(lambda k, t: LapsReported(key=k, time_ms=t, laps=2), NAMES, TIMES),
)


def _one_by_one(engine: TimingEngine, events: list[object]) -> str | None:
    entered: set[str] = set()
    for event in events:
        try:
            validate_event(engine, event, entered)
        except InvalidEvent as exc:
            return str(exc)
        if isinstance(event, CompetitorSet):
            entered.add(event.key)
    return None


@settings(max_examples=400, deadline=None)
@given(st.lists(EVENTS, max_size=8))
def test_a_batch_is_refused_as_its_first_bad_event_is(events: list[object]) -> None:
    engine = TimingEngine(SessionSettings(name="Race"))
    try:
        engine.validate_all(events)
        refused = None
    except InvalidEvent as exc:
        refused = str(exc)
    assert refused == _one_by_one(engine, events)


def test_a_passing_at_a_time_that_is_not_whole_is_refused_in_a_batch() -> None:
    engine = TimingEngine(SessionSettings(name="Race"))
    good = Passing(time_ms=1000, key="7")
    for bad in (1000.0, -1, MAX_TIME_MS + 1):
        try:
            engine.validate_all([good, Passing(time_ms=bad, key="7")])  # type: ignore[arg-type]
        except InvalidEvent:
            continue
        raise AssertionError(f"a passing at {bad!r} was taken")
