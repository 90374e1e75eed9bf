"""The window reads the session shown and its producer through protocols (qt/session_source)."""

from __future__ import annotations

from timingboard.app.session_title import STOPPED
from timingboard.feeds.live_follow import FollowedRecorder
from timingboard.qt.demo_runner import DemoRunner
from timingboard.qt.mqtt_follow import MqttFollowClient
from timingboard.qt.p3_client import P3Client
from timingboard.qt.replay_driver import ReplayDriver
from timingboard.qt.rmonitor_client import RMonitorClient
from timingboard.qt.session_source import ProducerKind
from timingboard.store.recorder import SessionRecorder
from timingboard.store.replay_source import ReplaySource

PRODUCERS = (DemoRunner, RMonitorClient, P3Client, MqttFollowClient, ReplayDriver)
SOURCES = (SessionRecorder, ReplaySource, FollowedRecorder)


def test_every_producer_says_what_it_is_and_whether_its_session_is_shown():
    kinds = [producer.producer_kind for producer in PRODUCERS]
    assert sorted(kinds) == sorted(ProducerKind)  # one class of each kind, none left out
    for producer in PRODUCERS:
        assert isinstance(producer.__dict__.get("session_shown"), property), producer


def test_only_a_replay_source_is_replayed():
    """(mypy checks every source against the protocol where the controller loads it.)"""
    assert [source.replayed for source in SOURCES] == [False, True, False]


def test_a_stopped_decoder_is_not_announced_the_others_are():
    assert set(STOPPED) == set(ProducerKind) - {ProducerKind.DECODER}


def test_only_a_feed_refuses_hand_timing_each_producer_says_so_itself():
    """One protocol (SessionProducer) says who may refuse what the operator types; no class
    is asked for by name."""
    for producer in PRODUCERS:
        assert "hand_timing_refusal" in producer.__dict__, producer
    returns = {p: p.hand_timing_refusal.__annotations__["return"] for p in PRODUCERS}
    assert [p for p, r in returns.items() if r != "None"] == [RMonitorClient]


def test_only_a_recorder_checks_its_log_after_it_is_shown():
    for source in (ReplaySource, FollowedRecorder):
        assert source.checking is False and source.check_finished is True
        assert source.settle(None) is False  # type: ignore[arg-type]
    assert isinstance(SessionRecorder.__dict__["checking"], property)


def test_no_outer_module_asks_which_class_the_session_source_is():
    """The window asks the session shown what it needs (does it write a file? is its log being
    checked? its path?) through the SessionSource protocol, not ``isinstance`` or ``getattr``
    on the class that holds it."""
    import ast
    from pathlib import Path

    package = Path(__file__).resolve().parents[1] / "timingboard"
    names = {source.__name__ for source in SOURCES} | {"TimesTheSession"}
    found = []
    for folder in ("app", "qt", "widgets"):
        for path in sorted((package / folder).glob("*.py")):
            for node in ast.walk(ast.parse(path.read_text())):
                if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                    continue
                if node.func.id == "isinstance" and any(
                    isinstance(n, ast.Name) and n.id in names for n in ast.walk(node.args[1])
                ):
                    found.append(f"{folder}/{path.name}:{node.lineno}")
                if node.func.id == "getattr" and "recorder" in ast.unparse(node.args[0]):
                    found.append(f"{folder}/{path.name}:{node.lineno}: getattr")
    assert found == []


def test_the_title_names_a_capture_replayed_by_its_file_and_session(make_controller, tmp_path):
    from race_scripts import QUARTER_MILE_RACE

    from timingboard.app.session_title import window_title

    controller = make_controller(QUARTER_MILE_RACE)
    assert window_title(controller).startswith(f"{QUARTER_MILE_RACE.name} — session.tbs — ")
    assert controller.recorder.name == "session.tbs"
    stream = tmp_path / "heat.rm"
    stream.write_bytes(b'$B,7,"Heat 1"\n$J,"31","00:00:00.000","00:00:05.000"\n')
    controller.load(ReplaySource.open(stream))
    assert window_title(controller).startswith("heat.rm: Heat 1 — REPLAY")
