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
