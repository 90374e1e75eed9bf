"""Both feeds retry a dropped link by one rule (qt/link_retry.Backoff): fast at first, twice as
long each time up to the longest wait, fast again once the link came up."""

from __future__ import annotations

from PySide6.QtCore import QObject

from timingboard.qt import p3_client, rmonitor_client
from timingboard.qt.link_retry import Backoff, LinkState


def test_the_wait_doubles_up_to_the_longest_and_starts_fast_again(qapp) -> None:
    owner = QObject()
    tries: list[int] = []
    backoff = Backoff(lambda: tries.append(1), 250, 1000, owner)
    said = [backoff.schedule() for _ in range(4)]
    assert said == [f"next try in {s} s" for s in ("0.25", "0.5", "1", "1")]
    assert backoff.waiting
    backoff.stop()
    assert not backoff.waiting
    backoff.reset()
    assert backoff.schedule() == "next try in 0.25 s"
    backoff.soon()  # the shortest wait, and the next stays where it was
    assert backoff.schedule() == "next try in 0.5 s"
    backoff.stop()
    assert tries == []


def test_both_feeds_name_their_link_states_alike() -> None:
    assert rmonitor_client.LinkState is p3_client.LinkState is LinkState
    assert [str(s) for s in LinkState] == [
        "not connected",
        "connecting",
        "connected",
        "link lost, retrying",
        "not reached yet, retrying",  # never up since asked for: not "lost"
    ]
