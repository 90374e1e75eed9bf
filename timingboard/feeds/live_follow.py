"""Following another board through an MQTT broker: the address, the topics, the sequence (pure).

``timingboard follow mqtt://HOST:PORT/TOPIC``. TOPIC is what the publishing board names
(``--mqtt-event``): an *event* topic ``timingboard/EVENT`` follows whichever session that board
has on it (its retained ``…/current``) and moves on with it to the next session; a *session*
topic ``timingboard/EVENT/SESSION`` follows that one session only. Which of the two a topic is
shows from what the broker holds under it, so any publisher's base works. A wildcard is
refused: one board shows one session.

:class:`FollowStream` takes the broker's messages in the order they come and keeps a
:class:`~timingboard.feeds.live_json.Follower` true to the publisher: the retained snapshot
first, then each delta in sequence. A delta that does not follow on from what is held (a
message lost while the link was down) makes it ask for a fresh snapshot
(:attr:`Step.ask`) and keep the deltas that come meanwhile, to apply after it.

:class:`PublishedEngine` is a :class:`TimingEngine` whose board (rows, order, flag, clock,
session best) is what was published: the window's views read it as they read any engine.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, urlsplit

from timingboard.engine.car import Lap
from timingboard.engine.engine import TimingEngine
from timingboard.engine.events import Event, Flag
from timingboard.engine.settings import SessionKind, SessionSettings
from timingboard.engine.standings import BoardChange, Standing, order_ops
from timingboard.engine.validation import InvalidEvent
from timingboard.feeds.live_json import Follower, Message, settings_from_json, standing_from_json

DEFAULT_PORT = 1883
BUFFER_LIMIT = 5000  # deltas kept while a fresh snapshot is awaited
ENDINGS = ("snapshot", "delta", "current", "request")


@dataclass(frozen=True, slots=True)
class FollowTarget:
    """Where to follow from: the broker and the topic, as ``mqtt://HOST:PORT/TOPIC`` gave it."""

    host: str
    port: int
    topic: str

    @property
    def url(self) -> str:
        return f"mqtt://{self.host}:{self.port}/{self.topic}"


def parse_follow_url(text: str) -> FollowTarget:
    """``mqtt://HOST[:PORT]/TOPIC`` (port 1883 if left out); ``ValueError`` says what is wrong."""
    usage = "give it as mqtt://HOST:PORT/TOPIC, e.g. mqtt://127.0.0.1:1883/timingboard/event"
    text = text.strip()
    if "#" in text or "?" in text:
        raise ValueError(
            f"{text!r}: a board follows one session, so name the event (timingboard/EVENT) or "
            "one session (timingboard/EVENT/SESSION), without wildcards"
        )
    if "://" not in text:
        raise ValueError(f"{text!r} names no broker: {usage}")
    parts = urlsplit(text)
    if parts.scheme.lower() != "mqtt":
        raise ValueError(f"{parts.scheme}:// is not followed (only mqtt://): {usage}")
    try:
        port = parts.port
    except ValueError:
        raise ValueError(f"{text!r} has a bad port: ports go from 1 to 65535") from None
    if port == 0:
        raise ValueError(f"{text!r} has a bad port: ports go from 1 to 65535")
    host = parts.hostname or ""
    if not host:
        raise ValueError(f"{text!r} names no broker host: {usage}")
    topic = unquote(parts.path).strip("/")
    levels = topic.split("/")
    while len(levels) > 1 and levels[-1] in ENDINGS:
        levels.pop()  # a topic copied from mosquitto_sub: its event or session is meant
    topic = "/".join(levels)
    if not topic:
        raise ValueError(f"{text!r} names no topic: {usage}")
    if "+" in topic or "#" in topic or any(not level for level in levels):
        raise ValueError(
            f"{topic!r}: a board follows one session, so name the event (timingboard/EVENT) or "
            "one session (timingboard/EVENT/SESSION), without wildcards or empty levels"
        )
    return FollowTarget(host, DEFAULT_PORT if port is None else port, topic)


@dataclass
class Step:
    """What one message did, and what the follower must do next."""

    updated: bool = False  # the board held changed
    switched: str | None = None  # a new session is followed (its id): start the board again
    subscribe: list[str] = field(default_factory=list)
    unsubscribe: list[str] = field(default_factory=list)
    ask: str | None = None  # a gap: publish a request here (and read the retained snapshot again)
    bad: str = ""  # the message could not be read: why


class FollowStream:
    """The follower's side of the broker protocol, one message at a time (see the module)."""

    def __init__(self, topic: str) -> None:
        self.topic = topic
        self.session: str | None = None  # the session followed, once known
        self.event_topic: bool | None = None  # None until the broker's messages tell
        self.follower = Follower()
        self.waiting = False  # a gap: deltas are kept until a fresh snapshot comes
        self.gaps = 0
        self.bad = 0
        self._kept: list[Message] = []
        self._older: Message | None = None  # a snapshot before what is held (a restarted board)

    def topics(self) -> list[str]:
        """What to subscribe to now (again after every reconnect)."""
        base = [f"{self.topic}/current", f"{self.topic}/snapshot", f"{self.topic}/delta"]
        if self.event_topic and self.session is not None:
            return [*base[:1], *self._session_topics(self.session)]
        return base

    @property
    def session_topic(self) -> str:
        if self.event_topic and self.session is not None:
            return f"{self.topic}/{self.session}"
        return self.topic

    def _session_topics(self, session: str) -> list[str]:
        return [f"{self.topic}/{session}/snapshot", f"{self.topic}/{session}/delta"]

    def take(self, topic: str, payload: bytes) -> Step:
        """One message from the broker."""
        try:
            message = json.loads(payload)
            if not isinstance(message, dict):
                raise ValueError("not a JSON object")
            return self._take(topic, message)
        except (ValueError, KeyError, TypeError, AttributeError, IndexError) as exc:
            self.bad += 1
            step = Step(bad=f"skipped a message on {topic} that is not a board ({exc})")
            if topic.endswith(("/snapshot", "/delta")) and self.follower.seq is not None:
                step.ask = self._ask()  # what it said is missing now: start again from a snapshot
            return step

    def _take(self, topic: str, message: dict[str, Any]) -> Step:
        if topic == f"{self.topic}/current":
            return self._take_current(str(message["session"]))
        if topic in (f"{self.topic}/snapshot", f"{self.topic}/delta"):
            if self.event_topic:
                return Step()
            self.event_topic = False
            return self._take_board(message, str(message.get("session", {}).get("id", "")))
        if self.event_topic and self.session and topic in self._session_topics(self.session):
            return self._take_board(message, self.session)
        return Step()  # an old session's message still in flight

    def _take_current(self, session: str) -> Step:
        if self.event_topic is False:
            return Step()  # a session topic holds no sessions of its own
        step = Step()
        self.event_topic = True
        if session == self.session:
            return step
        if self.session is not None:
            step.unsubscribe = self._session_topics(self.session)
        else:
            step.unsubscribe = [f"{self.topic}/snapshot", f"{self.topic}/delta"]
        self.session = session
        self._restart()
        step.switched = session
        step.subscribe = self._session_topics(session)
        return step

    def _restart(self) -> None:
        self.follower = Follower()
        self.waiting = False
        self._kept.clear()
        self._older = None

    def _take_board(self, message: dict[str, Any], session: str) -> Step:
        step = Step()
        if self.event_topic is False and self.session is None:
            self.session = session or self.topic.rsplit("/", 1)[-1]
            step.switched = self.session
        kind = message.get("type")
        if kind == "snapshot":
            step.updated = self._take_snapshot(message)
        elif kind == "delta":
            step.updated, asked = self._take_delta(message)
            step.ask = self._ask() if asked else None
        else:
            raise ValueError(f"a message of type {kind!r}")
        return step

    def _take_snapshot(self, message: Message) -> bool:
        _check_snapshot(message)
        seq, held = int(message["seq"]), self.follower.seq
        if held is not None and seq <= held:
            if seq < held:
                self._older = message  # an old retained one, or the board started again
            if seq < held or not self.waiting:
                return False
        self._use_snapshot(message)
        return True

    def _use_snapshot(self, message: Message) -> None:
        self.follower.apply(message)
        self.waiting = False
        self._older = None
        kept, self._kept = sorted(self._kept, key=lambda m: int(m["seq"])), []
        for at, delta in enumerate(kept):
            if int(delta["seq"]) <= int(message["seq"]):
                continue
            if not self.follower.apply(delta):
                self.waiting = True  # the snapshot was older than the gap: wait for the next
                self._kept = kept[at:]
                return

    def _take_delta(self, message: Message) -> tuple[bool, bool]:
        """(the board changed, a snapshot must be asked for)."""
        _check_delta(message)
        if self._older is not None and message.get("base") == self._older["seq"]:
            self._use_snapshot(self._older)  # the publisher started again: follow it from there
        if self.follower.seq is None or self.waiting:
            self._keep(message)
            return False, False
        before = self.follower.seq
        if self.follower.apply(message):
            if self.follower.seq != before:
                self._older = None
            return self.follower.seq != before, False
        self.gaps += 1
        self.waiting = True
        self._keep(message)
        return False, True

    def _keep(self, message: Message) -> None:
        self._kept.append(message)
        del self._kept[:-BUFFER_LIMIT]

    def _ask(self) -> str:
        self.waiting = True
        return self.request_topic

    @property
    def request_topic(self) -> str:
        """Where a follower asks the publisher for a fresh snapshot."""
        return f"{self.session_topic}/request"


def _check_snapshot(message: Mapping[str, Any]) -> None:
    """Raise before anything is taken from a snapshot that is not whole."""
    int(message["seq"])
    for part in ("session", "status"):
        if not isinstance(message[part], dict):
            raise TypeError(f"its {part} is not an object")
    for row in message["rows"]:
        str(row["key"])


def _check_delta(message: Mapping[str, Any]) -> None:
    int(message["seq"])
    if not isinstance(message["status"], dict) or not isinstance(message["rows"], dict):
        raise TypeError("its status or rows are not objects")
    for key in message.get("order", ()):
        str(key)


# --- the board as published, as an engine ------------------------------------------------------


def _standing(row: Mapping[str, Any], position: int) -> Standing:
    """The publisher's row, whole when it sent it so; else what the page's fields give."""
    whole = row.get("standing")
    if isinstance(whole, Mapping):
        return standing_from_json(whole)
    return Standing(
        key=str(row["key"]),
        position=int(row.get("pos") or position),
        car=str(row.get("car", row["key"])),
        driver=str(row.get("driver", "")),
        team=str(row.get("team", "")),
        car_class=str(row.get("class", "")),
        laps=int(row.get("laps", 0)),
        last_lap_ms=row.get("last_ms"),
        best_lap_ms=row.get("best_ms"),
        holds_session_best=bool(row.get("session_best")),
        pit_stops=int(row.get("pits", 0)),
        in_pit=bool(row.get("in_pit")),
    )


def _settings(session: Mapping[str, Any], before: SessionSettings) -> SessionSettings:
    whole = session.get("settings")
    if isinstance(whole, Mapping):
        return settings_from_json(whole)
    name = str(session.get("name") or before.name)
    kind = str(session.get("kind") or before.kind)
    known = {str(k) for k in SessionKind}
    return SessionSettings(name=name, kind=SessionKind(kind) if kind in known else before.kind)


def _flag(status: Mapping[str, Any]) -> Flag | None:
    value = status.get("flag")
    return Flag(value) if value else None


def _time(status: Mapping[str, Any], name: str) -> int | None:
    value = status.get(name)
    if value is None or isinstance(value, bool):
        return None
    number = float(value)
    return int(number) if math.isfinite(number) else None


class PublishedEngine(TimingEngine):
    """A session as another board published it (see the module).

    It has the rows, order, flag, clock and session best, and a competitor for each car; it
    has no passings or laps of its own: the lap charts, the passings log and the results sheet
    have nothing to work from, and it takes no events (:class:`FollowedRecorder` refuses them).
    """

    published_passings: int | None = None  # the publisher's count (None: it sent none)

    def show(self, follower: Follower) -> BoardChange:
        """Take what the follower holds now; what changed, as a batch of events would say it."""
        status = follower.status
        self.published_passings = _time(status, "passings")
        settings = _settings(follower.session, self.settings)
        rows = {
            key: _standing(follower.rows[key], at + 1)
            for at, key in enumerate(follower.order)
            if key in follower.rows
        }
        order = list(rows)
        change = BoardChange(ops=order_ops(self.order(), order))
        for key, row in rows.items():
            old = self.standing(key) if self.has_car(key) else None
            if old != row:
                change.changed.add(key)
            if old is not None and old.laps != row.laps:
                change.laps_changed.add(key)
            if old is not None and old.last_crossing_ms != row.last_crossing_ms:
                change.crossed.append(key)
        competitors = dict(self.entry_list())
        now = _time(status, "now_ms")
        clock_ms = now if now is not None else self.clock_ms
        flag, best = _flag(status), self._best(status.get("best"), rows)
        change.flag_changed = flag != self.flag
        change.session_best_changed = best != self.session_best_lap()
        start, finish = _time(status, "start_ms"), _time(status, "finish_ms")
        self.show_published(settings, rows, clock_ms, start, finish, flag=flag, best=best)
        self.end_as_published(_time(status, "ended_ms"))
        change.competitors_changed = competitors != self.entry_list()
        return change

    def _best(self, best: Any, rows: Mapping[str, Standing]) -> tuple[str, Lap] | None:
        if not isinstance(best, Mapping) or str(best.get("key")) not in rows:
            return None
        lap_ms = int(best["lap_ms"])
        number = int(best.get("lap_number") or 0)
        return str(best["key"]), Lap(number, int(best.get("at_ms") or 0), lap_ms, 0)


def passings_count(engine: TimingEngine) -> int | None:
    """The passings a board counts (not those a correction deleted): its own, or a followed
    board's as its publisher counts them (None: not said)."""
    if isinstance(engine, PublishedEngine):
        return engine.published_passings
    return engine.passing_count() - engine.deleted_passing_count()


class FollowedRecorder:
    """Stands where a recorder stands for a followed board: nothing is written, nothing taken."""

    path = None
    read_from = None
    file = None
    replayed = False
    checking = False  # nothing is checked later (see qt.session_source.SessionSource)
    check_finished = True

    def __init__(self, engine: PublishedEngine, where: str) -> None:
        self.engine: TimingEngine = engine
        self.name = where
        # short: read whole in the status bar, beside the link line that names the broker
        self.read_only_reason = "following the publishing board (changes are made there)"
        self._refusal = self.read_only_reason  # said in the status bar, beside the link line

    @property
    def settings(self) -> SessionSettings:
        return self.engine.settings

    def submit(self, events: Sequence[Event]) -> BoardChange:
        raise InvalidEvent(self._refusal)

    def submit_valid(self, events: Sequence[Event]) -> tuple[BoardChange, list[Any]]:
        raise InvalidEvent(self._refusal)

    def abandon(self) -> None:
        """Nothing to close: the followed board keeps no file."""

    def close(self, in_background: bool = False) -> None:
        """Nothing to close: the followed board keeps no file."""

    def when_checked(self, done: Callable[[], None]) -> None:
        """No check runs: ``done`` is never called."""

    def settle(self) -> bool:
        return False

    def take_appended(self, limit: int) -> tuple[BoardChange, int, str | None]:
        """No file to follow: the followed board's messages come in through its follower."""
        return BoardChange(), 0, None
