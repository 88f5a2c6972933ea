"""Replay: a finished or paused run played again from its earliest iteration, every panel following.

The window already shows any earlier iteration from the history through the state's ``look_at``,
as the timeline and the animation export do; a replay moves that iteration along a ``Pace`` on a
timer. It is timed by the clock, not by the frames: a slow redraw skips iterations rather than
slowing the replay down. Any other look (the timeline dragged, a step back, Reset, new data) ends it.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QObject, QTimer, Signal

from visualizer.model.pacing import LOOK_S, WATCHABLE, Pace
from visualizer.model.state import WindowState


class Replayer(QObject):
    playingChanged = Signal(bool)

    def __init__(self, state: WindowState, parent: QObject | None = None):
        super().__init__(parent)
        self.state = state
        self.speed: float | str = WATCHABLE  # the pace a replay plays at, as the Controls' Replay menu chose
        self.clock = time.monotonic
        self.timer = QTimer(self)
        self.timer.setInterval(round(LOOK_S * 1000))
        self.timer.timeout.connect(self.tick)
        self._pace: Pace | None = None
        self._began = 0.0
        self._looking = False  # while the replay itself moves the iteration shown
        state.events.view_iteration.connect(self._looked)

    @property
    def playing(self) -> bool:
        return self._pace is not None

    def play(self) -> bool:
        """From the earliest iteration the run can show to its latest, at ``speed``; False when there is none."""
        earliest, latest = self.state.replayable()
        if latest <= earliest:
            return False
        self._pace, self._began = Pace(earliest, latest, self.speed), self.clock()
        self._show(earliest)
        self.timer.start()
        self.playingChanged.emit(True)
        return True

    def tick(self) -> None:
        """Show the iteration due by now; at the end the window follows the run again, as before the replay."""
        if self._pace is None:
            return
        iteration = self._pace.iteration_at(self.clock() - self._began)
        if iteration >= self._pace.end:
            self._show(None)
            self.stop()
        else:
            self._show(iteration)

    def stop(self) -> None:
        """The window stays at the iteration reached: the timeline can go on from there."""
        self.timer.stop()
        if self._pace is not None:
            self._pace = None
            self.playingChanged.emit(False)

    def _show(self, iteration: int | None) -> None:
        self._looking = True
        try:
            self.state.look_at(iteration)
        finally:
            self._looking = False

    def _looked(self, *_) -> None:
        if not self._looking:
            self.stop()
