"""The live page on a phone: a 20-car feature at 400 px fits without sideways scroll (the walk's
yellow-flag feature lost its Status column off the right edge, "St" showing, the page scrolling
sideways; the 9-car heat fitted). Served by the board, read in headless Chromium at a phone's
width."""

from __future__ import annotations

import os
from dataclasses import replace
from typing import Any

import pytest
from live_helpers import chromium_at
from race_scripts import QUARTER_MILE_RACE

from timingboard.app.live_timing import LiveOptions, LiveTiming
from timingboard.demo.clash import FIELD, competitors
from timingboard.engine.events import (
    Event,
    Flag,
    FlagChanged,
    LapPenalty,
    Passing,
    PitLane,
    Retire,
    TimePenalty,
)
from timingboard.qt.session_controller import SessionController
from timingboard.store import SessionRecorder

FEATURE = replace(QUARTER_MILE_RACE, name="Busch Light Clash - Feature", race_laps=150)
CARS = 20


def feature() -> tuple[list[Event], list[Event]]:
    """The Clash's first 20 under yellow after 64 laps: the longest names, lapped cars, one in
    the pits, one out, penalties (the widest Status the board says)."""
    field = competitors([car for car, *_ in FIELD][:CARS])
    events: list[Event] = [*field, FlagChanged(time_ms=0, flag=Flag.GREEN)]
    for slot, entry in enumerate(field):
        laps = 64 - (slot >= 15) - (slot >= 18)  # the last five a lap or two down
        lap_ms = 13_500 + slot * 41
        start = 1000 + slot * 90
        events += [Passing(time_ms=start + i * lap_ms, car=entry.car) for i in range(laps + 1)]
    events.append(FlagChanged(time_ms=64 * 14_400, flag=Flag.YELLOW))
    cars = [entry.car for entry in field]
    return events, [
        PitLane(key=cars[6], time_ms=64 * 14_400 + 500, entered=True),
        Retire(key=cars[12], operator="Sam", reason="wrecked"),
        TimePenalty(key=cars[3], ms=5000, operator="Sam", reason="pit speeding"),
        LapPenalty(key=cars[9], laps=1, operator="Sam", reason="jumped the start"),
    ]


WIDTH = """
const page = document.scrollingElement;
const cells = c => [...document.querySelectorAll('#board ' + c)];
const fits = th => th.getBoundingClientRect().width > 0
  && th.getBoundingClientRect().right <= innerWidth;
const shown = c => cells('thead th.' + c).some(fits);
return {
  scroll: page.scrollWidth, client: page.clientWidth, rows: cells('tbody tr').length,
  shown: Object.fromEntries(
    ['pos', 'car', 'driver', 'laps', 'gap', 'status'].map(c => [c, shown(c)])),
  drivers: cells('tbody td.driver').map(td => td.innerText),
  status: cells('tbody td.status').map(td => td.textContent),
  cut: cells('tbody td').filter(td => td.scrollWidth > td.clientWidth + 1)
    .map(td => td.className + ':' + td.textContent),
};
"""


def shown_at(tmp_path, qtbot, width: int) -> dict[str, Any]:
    """What headless Chromium at ``width`` CSS px (a phone: its viewport meta applies) shows of
    the feature's live page, served by the board."""
    recorder = SessionRecorder.create(tmp_path / "feature.tbs", FEATURE)
    for batch in feature():
        recorder.submit(batch)
    controller = SessionController(recorder)
    controller.run_clock(64 * 14_400 + 2000)
    timing = LiveTiming(controller, LiveOptions(web_port=0))
    timing.start()
    try:
        with chromium_at(timing.web.address) as driver:
            driver.execute_cdp_cmd(
                "Emulation.setDeviceMetricsOverride",
                {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 640},
            )
            qtbot.waitUntil(lambda: driver.execute_script(WIDTH)["rows"] == CARS, timeout=10_000)
            seen: dict[str, Any] = driver.execute_script(WIDTH)
            if os.environ.get("TB_SHOT"):  # to look at: TB_SHOT=/tmp/phone pytest …
                driver.save_screenshot(os.environ["TB_SHOT"] + f"-{width}.png")
    finally:
        timing.close()
        controller.close()
    return seen


@pytest.mark.parametrize("width", [400, 360])
def test_a_20_car_feature_fits_a_phone_without_sideways_scroll(tmp_path, qtbot, width) -> None:
    seen = shown_at(tmp_path, qtbot, width)
    assert seen["scroll"] <= seen["client"], seen
    assert all(seen["shown"].values()), seen["shown"]
    assert {"PIT", "DNF", "+5.000 s", "-1 lap"} <= set(seen["status"]), seen["status"]
    assert seen["cut"] == [], seen["cut"]
    assert seen["drivers"][:3] == ["J. Haley", "K. Busch", "C. Bell"]  # short, and readable
    assert "R. Stenhouse Jr." in seen["drivers"]


def test_a_wide_screen_keeps_the_full_names_and_every_column(tmp_path, qtbot) -> None:
    seen = shown_at(tmp_path, qtbot, 1024)
    assert seen["drivers"][:2] == ["Justin Haley", "Kyle Busch"]
    assert seen["scroll"] <= seen["client"], seen
