"""How fast a run is played, as Train plays it and as Replay plays it again, without Qt.

A pace maps the seconds since playing began to the iteration to show by then. At a number of
iterations per second it is a straight line. The watchable pace (the default) plays a stretch in
about ``WATCH_SECONDS``, with time spent evenly along log(1 + iteration), as on a log-scaled
iteration axis (the animation export spaces log frames the same way): the first iterations, where J
changes most, come slowly, the later ones fast. 2000 iterations from 0: the first at 0.9 s, 10 at
3.2 s, 100 at 6.1 s, 1000 at 9.1 s.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

#: The speed setting's word for the watchable pace.
WATCHABLE = "watchable"
#: The watchable pace plays the stretch asked for (one press of Train, a replay) in this many seconds.
WATCH_SECONDS = 10.0
#: Train with "until J stops falling" has no end known in advance: it is paced as this many iterations,
#: then goes on at the pace reached at their end.
OPEN_STRETCH = 2000
#: The Speed control's choices, in order (the first is the default), with their labels.
SPEEDS = ((f"Watchable (≈{WATCH_SECONDS:g} s)", WATCHABLE), ("As fast as possible", None), ("1000 / s", 1000.0),
          ("100 / s", 100.0), ("10 / s", 10.0), ("Slow motion: 1 / s", 1.0))
#: A replay's choices: every speed with a duration (as fast as possible would show only the end).
REPLAY_SPEEDS = tuple((label, speed) for label, speed in SPEEDS if speed is not None)
#: While it waits for the next iteration due, a paced player looks at its clock this often.
LOOK_S = 0.02
_EXACT = 1e-9  # the iteration due at time_of(i) is i, not i - 1 by a rounding


def speed_label(speed: float | str | None) -> str:
    """The words the Controls show for a speed: a choice's label, or the number."""
    label = next((label for label, value in SPEEDS if value == speed), None)
    return label or f"{speed:g} iterations/s"


@dataclass(frozen=True)
class Pace:
    """Iterations ``start`` to ``end`` played at ``speed`` (iterations per second, WATCHABLE, or None: at once).
    ``open_ended``: the run may go past ``end`` (Train until J stops falling), at the pace it had there."""

    start: int
    end: int
    speed: float | str | None
    open_ended: bool = False
    seconds: float = WATCH_SECONDS

    @property
    def _logs(self) -> tuple[float, float]:
        return math.log1p(self.start), math.log1p(self.end)

    @property
    def duration(self) -> float:
        """Seconds from ``start`` to ``end``."""
        return self.time_of(self.end)

    @property
    def _final_rate(self) -> float:
        """Iterations per second at ``end``: the watchable pace's slope there."""
        lo, hi = self._logs
        return (self.end + 1) * (hi - lo) / self.seconds

    def iteration_at(self, t: float) -> int:
        """The iteration to have reached ``t`` seconds after playing began: never back, never past ``end``
        (unless open-ended)."""
        t = max(0.0, t)
        if self.end <= self.start or self.speed is None:
            return self.end
        if self.speed == WATCHABLE:
            if t >= self.seconds:
                past = self._final_rate * (t - self.seconds) if self.open_ended else 0.0
                return self.end + math.floor(past + _EXACT)
            lo, hi = self._logs
            reached = math.floor(math.expm1(lo + t / self.seconds * (hi - lo)) + _EXACT)
        else:
            reached = self.start + math.floor(t * self.speed + _EXACT)
        return max(self.start, reached if self.open_ended else min(reached, self.end))

    def time_of(self, iteration: int) -> float:
        """Seconds after playing began when ``iteration`` is reached (the inverse of ``iteration_at``)."""
        if iteration <= self.start or self.speed is None or self.end <= self.start:
            return 0.0
        if self.speed != WATCHABLE:
            return (iteration - self.start) / self.speed
        if iteration > self.end:
            return self.seconds + (iteration - self.end) / self._final_rate
        lo, hi = self._logs
        return self.seconds * (math.log1p(iteration) - lo) / (hi - lo)


class Pacer:
    """One press of Train at the watchable pace: the iteration due by ``now``, over the stretch from where it
    began (at the first look) to its end; a new end (a new budget) paces the rest anew."""

    def __init__(self):
        self.pace: Pace | None = None
        self.began = 0.0

    def due(self, iteration: int, target: int, budget: int, now: float) -> int:
        """Budget 0 (until J stops falling) is paced as OPEN_STRETCH iterations, then on at that pace."""
        open_ended = budget <= 0
        end = iteration + OPEN_STRETCH if open_ended else target
        if self.pace is None or (not open_ended and self.pace.end != end):
            self.pace, self.began = Pace(iteration, end, WATCHABLE, open_ended), now
        return min(target, self.pace.iteration_at(now - self.began))
