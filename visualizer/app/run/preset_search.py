"""Show me…: before an α is offered, its run is run (core.analysis.presets), on a Worker, once per data and settings.

The search runs the current data with the current settings from the start, for the window's budget (fewer
iterations where that would take more than a few seconds, and the notice says how many). Its answer is kept
until the data or a setting other than α or the speed changes.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QObject, Signal

from visualizer.app.run.worker import Worker
from visualizer.core.analysis.presets import (
    BISECTIONS,
    PresetSearch,
    find_presets,
    grid,
    search_iterations,
    work_per_iteration,
)
from visualizer.model.run_setup import new_run
from visualizer.model.settings import RunSettings


def search_key(settings: RunSettings) -> RunSettings:
    """The settings a search depends on: all but α, the speed and the surface's slice."""
    return replace(settings, alpha=RunSettings.alpha, speed=None, slice=RunSettings.slice)


class PresetSearcher(QObject):
    """``choose(name)``: the preset's α and sentence through ``found``, after a search if none is kept."""

    found = Signal(str, object)  # (label, Preset)
    searching = Signal(str)  # what is being run, for the notice

    def __init__(self, state, parent=None):
        super().__init__(parent)
        self.state = state
        self.result: PresetSearch | None = None
        self._key = None
        self._job: Worker | None = None
        self._wanted: str | None = None
        state.events.data.connect(self.forget)

    def forget(self, *_) -> None:
        self.result = self._key = None

    @property
    def busy(self) -> bool:
        return self._job is not None and self._job.isRunning()

    def choose(self, name: str) -> None:
        self._wanted = name
        key = (search_key(self.state.settings), self.state.data)
        if self.result is not None and self._key == key:
            self.found.emit(name, self.result.presets[name])
            return
        if self.busy:
            return  # the search under way answers the latest wish
        train, test, settings = self.state.data.train, self.state.data.test, self.state.settings
        probe = new_run(train, test, settings, edge=False)
        iterations = search_iterations(settings.budget, len(grid()) + BISECTIONS, work_per_iteration(probe))
        plain = settings.loss == "cross-entropy" and probe.optimizer.is_plain(probe.m)
        self.searching.emit(f"Running {len(grid())} to {len(grid()) + BISECTIONS} learning rates on this data, "
                            f"{iterations} iterations each from the start, to find one that is {name}…")

        def make(alpha):
            return new_run(train, test, settings, alpha=alpha, share_with=probe, edge=False)

        job = self._job = Worker(lambda cancelled, _p: find_presets(make, iterations, cancelled, plain), self)
        job.failed.connect(lambda message: self.searching.emit(f"The search for α stopped: {message}"))
        job.finished.connect(lambda: self._done(job, key))
        job.start()

    def _done(self, job: Worker, key) -> None:
        if job is not self._job:
            return
        self._job = None
        job.deleteLater()
        if job.result is None:
            return
        self.result, self._key = job.result, key
        if self._wanted is not None:
            self.choose(self._wanted)  # settings changed meanwhile: searched again for them

    def stop(self) -> None:
        if self._job is not None:
            self._job.stop()
            self._job = None
