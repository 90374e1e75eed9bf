"""How much of the lap-time axis to show: every lap of the cars picked, bar the outliers.

Race control picks cars to compare their laps, so each picked car's laps must be in view, the
slow ones too (a car 15 % off the pace, a lap lost in traffic). A pit lap or a lap behind the
pace car is far slower than a racing lap and would squash the rest into a line, so a lap more
than ``OUTLIER_RATIO`` times the car's own median lap is an outlier: it is left above the
frame, and the chart marks it at the top edge instead (its time in the hover). It is not a
point of the car's line: the line breaks there (:func:`on_scale`), as it does across laps not
seen, rather than run off the top towards it or join its neighbours across laps that were not
run at that pace.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

OUTLIER_RATIO = 1.25  # a pit stop or a caution makes a lap 1.3-1.7 times as long
MIN_PADDING_S = 0.05
PADDING_SHARE = 0.08  # of the span shown, above and below


@dataclass(frozen=True, slots=True)
class LapRange:
    """The times to show (``low``..``high`` s), and per car which laps are outliers."""

    low: float
    high: float
    outliers: tuple[np.ndarray, ...]  # a boolean mask per car, as the cars were given

    @property
    def marker_y(self) -> float:
        """Where an outlier's marker sits: inside the top edge, above every lap shown."""
        return self.high - (self.high - self.low) * PADDING_SHARE / 3


def outliers_of(times: np.ndarray) -> np.ndarray:
    """Laps slower than ``OUTLIER_RATIO`` times the car's median lap (NaN: no lap, never)."""
    finite = np.isfinite(times)
    if not finite.any():
        return np.zeros(times.shape, dtype=bool)
    median = _median(times[finite])
    with np.errstate(invalid="ignore"):
        return finite & (times > median * OUTLIER_RATIO)


def _median(values: np.ndarray) -> float:
    """The median of finite values, by partition: ``np.median`` checks for NaN through
    ``numpy.ma``, imported on its first call (~40 ms of the window's thread at the first
    chart drawn, in a session's first paint)."""
    middle = len(values) // 2
    if len(values) % 2:
        return float(np.partition(values, middle)[middle])
    low, high = np.partition(values, (middle - 1, middle))[middle - 1 : middle + 1]
    return (float(low) + float(high)) / 2


def on_scale(times: np.ndarray) -> np.ndarray:
    """A car's lap times as its line draws them: NaN at its outliers (no line to them)."""
    return np.where(outliers_of(times), np.nan, times)


def lap_range(cars: Sequence[np.ndarray], best_s: float | None = None) -> LapRange | None:
    """The range for the lap times of ``cars`` (seconds, NaN where no lap); the session best
    stays in view as the line to compare against. None when there is no lap at all."""
    masks = tuple(outliers_of(times) for times in cars)
    kept = [times[np.isfinite(times) & ~mask] for times, mask in zip(cars, masks, strict=True)]
    shown = np.concatenate(kept) if kept else np.array([])
    if shown.size == 0:
        return None
    low, high = float(shown.min()), float(shown.max())
    if best_s is not None:
        low = min(low, best_s)
    pad = max(MIN_PADDING_S, (high - low) * PADDING_SHARE)
    return LapRange(low - pad, high + pad, masks)
