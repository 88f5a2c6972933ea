"""Runs gradient descent off the GUI thread and hands the GUI the latest state.

The worker checks for cancel, pause and a new alpha before every iteration (through
``GradientDescent.step``'s ``cancelled`` hook), publishes an immutable ``Snapshot``
after each short batch, and reports errors as a signal. The GUI never waits for it:
it reads ``latest`` on its own timer, at most 60 times a second.
"""

from __future__ import annotations

import sys
import threading
import time
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QObject, Signal

from visualizer.app.run.worker import Worker
from visualizer.core import GradientDescent
from visualizer.core.analysis.verdicts import run_verdict
from visualizer.core.optim.optimizers import Optimizer
from visualizer.data import Dataset
from visualizer.model.run_setup import metric_stride, new_run, optimizer_for
from visualizer.model.settings import RunSettings
from visualizer.model.state import WindowState

#: A batch between two snapshots lasts about this long at full speed.
BATCH_SECONDS = 0.004
#: Budget 0 trains until J has not gone PLATEAU (relative, above 1) below its lowest in PLATEAU_ITERATIONS.
PLATEAU, PLATEAU_ITERATIONS = 1e-7, 200
#: A snapshot cheaper than this is taken after every batch.
SNAPSHOT_FREE_S = 0.002
#: How long a thread may hold the GIL while another waits (Python's default is 5 ms).
GIL_SWITCH_S = 0.001


@dataclass(frozen=True)
class Snapshot:
    """The state at one iteration, safe to read from any thread."""

    iteration: int
    theta: np.ndarray
    z: np.ndarray
    alpha: float
    cost: float  # J at this iteration
    path_iterations: tuple[int, ...]
    path: tuple[np.ndarray, ...]  # theta along the way, at the trajectory's stride
    batch: np.ndarray | None = None  # the examples the next step uses; None: all m


@dataclass(frozen=True)
class Ghost:
    """The path the previous alpha would have taken from ``start``: costs, and thetas every 10 iterations.

    Its thetas are coordinates of one parametrization; a data edit makes a new one, so the
    ghost goes with the run it was drawn for (``belongs_to``) and is dropped on any change.
    """

    start: int
    alpha: float
    costs: np.ndarray
    thetas: np.ndarray
    param: object

    def belongs_to(self, gd: GradientDescent) -> bool:
        return self.param is gd.param and self.thetas.shape[1:] == gd.theta.shape


class TrainingController(QObject):
    """Owns the run on the data and settings of a ``WindowState``.

    It follows the state (a new alpha takes effect at the next iteration, a new loss, init or
    seed starts a new run, edited data is trained on from the same (w, b)); panels read
    ``latest`` and ``gd.history``. The worker reads the settings object, which is immutable.
    """

    runningChanged = Signal(bool)
    stopped = Signal(str, str)  # (reason, message): budget, converged, overflow (J is not finite), paused
    failed = Signal(str)
    reset_done = Signal()

    def __init__(self, state: WindowState):
        super().__init__()
        self.state = state
        self._lock = threading.Lock()
        self._cancel = False
        self._pending_alpha: float | None = None
        self._quiet = False  # while restore() sets the state itself
        self._target = 0
        self._next_snapshot = 0.0  # perf_counter time before which the worker publishes no snapshot
        self._worker: Worker | None = None
        self.ghost: Ghost | None = None
        #: (old alpha, iteration, theta) where the current burst of alpha changes took effect.
        self._ghost_origin: tuple[float, int, np.ndarray] | None = None
        self.gd = self._new_run()
        self.latest = self._snapshot()
        state.events.settings.connect(self._settings_changed)
        state.events.data.connect(self._data_changed)
        state.view_bounds = lambda: (self.gd.replay_from, self.gd.iteration)

    @property
    def train(self) -> Dataset:
        return self.state.data.train

    @property
    def test(self) -> Dataset | None:
        return self.state.data.test

    @property
    def settings(self) -> RunSettings:
        return self.state.settings

    # ---------------------------------------------------------------- intents
    @property
    def running(self) -> bool:
        return self._worker is not None and self._worker.isRunning()

    def start(self) -> None:
        """Train for the budget (or until the cost stops falling) from where we are."""
        budget = self.settings.budget
        self._run_to(self.gd.iteration + (budget if budget > 0 else 10**9))

    def step(self, n: int = 1) -> None:
        if not self.running:
            self._run_to(self.gd.iteration + n)

    def pause(self) -> None:
        self._stop_worker()

    def toggle(self) -> None:
        self.pause() if self.running else self.start()

    def reset(self) -> None:
        """A fresh run from the start with the current settings."""
        self._stop_worker()
        self.ghost = self._ghost_origin = None
        self.gd = self._new_run()
        self.latest = self._snapshot()
        self.reset_done.emit()

    def branch_from(self, iteration: int) -> None:
        """Forget everything after ``iteration``; training on from there is a new branch."""
        self._stop_worker()
        if iteration < self.gd.iteration:
            if self.ghost is not None and self.ghost.start > iteration:
                self.ghost = self._ghost_origin = None
            self.gd.rewind(iteration)
            self.latest = self._snapshot()
            self.reset_done.emit()

    def restore(self, session) -> None:
        """Reopen a saved session (storage.Session): its data, settings and history, going on where it stopped.

        The new run is built first: if that fails, the current one and the state are left exactly as they were.
        """
        gd = self._new_run(session.train, session.test, session.settings)
        gd.restore(session.w, session.b, session.iteration, session.history, session.exact)
        self._stop_worker()
        self.gd = gd
        self.ghost = self._ghost_origin = None
        self.latest = self._snapshot()
        self._quiet = True
        try:
            self.state.replace_settings(session.settings)
            self.state.set_data(session.train, session.test, fresh=True)
        finally:
            self._quiet = False

    # ------------------------------------------------------------ following the state
    def _settings_changed(self, new: RunSettings, old: RunSettings) -> None:
        if self._quiet:
            return
        if (new.loss, new.init, new.seed) != (old.loss, old.init, old.seed):
            self.reset()
            return
        if new.alpha != self.gd.alpha or new.alpha != old.alpha:
            self._apply_alpha(new.alpha)
        optimizer = self._optimizer(new, self.gd.m)
        if optimizer != self.gd.optimizer:
            self._apply_optimizer(optimizer)

    def _apply_alpha(self, alpha: float) -> None:
        """Takes effect on the next iteration, also while training."""
        with self._lock:
            if self.running:
                self._pending_alpha = alpha
                return
            self._note_ghost_origin(alpha)
        self.gd.alpha = alpha
        self.latest = self._snapshot()

    @staticmethod
    def _optimizer(settings: RunSettings, m: int) -> Optimizer:
        return optimizer_for(settings, m)

    def _apply_optimizer(self, optimizer: Optimizer) -> None:
        """Takes effect on the next iteration and is recorded in the history, as a new alpha is."""
        def change():
            self.gd.optimizer = optimizer
            self.gd.metric_stride = metric_stride(self.gd, optimizer)
        self._stop_worker_for(change)

    def _stop_worker_for(self, change) -> None:
        """Pause the worker (if any) around ``change``, then carry on training towards the same target."""
        was_running = self.running
        self._stop_worker()
        change()
        self.ghost = self._ghost_origin = None  # the ghost followed the old optimizer
        self.latest = self._snapshot()
        if was_running:
            self._run_to(self._target)

    def _data_changed(self, data, old) -> None:
        """A new data set starts a new run; an edit trains on from the same (w, b)."""
        if self._quiet:
            return
        self._stop_worker()
        self.ghost = self._ghost_origin = None  # drawn in the old data's coordinates, for the old data
        if data.fresh:
            self.gd = self._new_run()
        elif data.appended and data.test is old.test:
            self.gd.add_examples(data.train.X[:, -data.appended:], data.train.Y[:, -data.appended:])
        else:
            test = data.test
            self.gd.replace_data(data.train.X, data.train.Y, None if test is None else test.X,
                                 None if test is None else test.Y, keep_test=False)
        if not data.fresh and (optimizer := self._optimizer(self.settings, self.gd.m)) != self.gd.optimizer:
            self.gd.optimizer = optimizer  # a batch that was all m may be a mini-batch of the grown set
        self.gd.metric_stride = metric_stride(self.gd, self.gd.optimizer)
        self.latest = self._snapshot()  # the window redraws on the same event, after it has shown the data

    def draw_ghost(self, n: int = 300) -> Ghost | None:
        """The path the alpha before the last burst of changes would have taken from where that burst began."""
        with self._lock:
            origin, self._ghost_origin = self._ghost_origin, None
        gd = self.gd
        if origin is None or origin[1] == 0 or origin[2].shape != gd.theta.shape or origin[0] == self.settings.alpha:
            return self.ghost
        old_alpha, iteration, theta = origin
        costs, thetas = gd.simulate(theta, old_alpha, n)
        self.ghost = Ghost(iteration, old_alpha, costs, thetas, gd.param)
        return self.ghost

    def shutdown(self) -> None:
        self._stop_worker()

    # ---------------------------------------------------------------- worker
    def _new_run(self, train: Dataset | None = None, test: Dataset | None = None,
                 settings: RunSettings | None = None) -> GradientDescent:
        """A fresh run on the given data and settings (by default the current ones)."""
        if train is None:
            train, test = self.train, self.test
        return new_run(train, test, settings or self.settings)  # 2/λmax recorded with the metrics, iteration 0 too

    def _run_to(self, target: int) -> None:
        if self.running:
            return
        # The worker's small numpy calls keep the GIL; hand it over often so the GUI stays responsive.
        sys.setswitchinterval(GIL_SWITCH_S)
        self._cancel = False
        self._target = target
        worker = self._worker = Worker(lambda _cancelled, _progress: self._loop(), self)
        worker.failed.connect(self.failed)
        worker.finished.connect(lambda: self._on_finished(worker))
        worker.start()
        self.runningChanged.emit(True)

    def _stop_worker(self) -> None:
        if self._worker is None:
            return
        with self._lock:
            self._cancel = True
        self._worker.wait()
        self._on_finished(self._worker)

    def _on_finished(self, worker: Worker) -> None:
        if worker is not self._worker:  # a late signal from a worker already cleaned up
            return
        self._worker = None
        worker.wait()
        worker.deleteLater()
        self.latest = self._snapshot()
        self.runningChanged.emit(False)

    def _note_ghost_origin(self, new_alpha: float) -> None:
        """Called under the lock, just before ``new_alpha`` takes effect."""
        gd = self.gd
        if self._ghost_origin is None and new_alpha != gd.alpha:
            self._ghost_origin = (gd.alpha, gd.iteration, gd.theta.copy())

    def _interrupted(self) -> bool:
        return self._cancel or self._pending_alpha is not None

    def _loop(self) -> None:
        gd = self.gd
        per_iteration = 1e-5
        plateau_since, best = gd.iteration, gd.cost  # inf - 1e-7 * inf is NaN: no J was ever "below" it
        while True:
            with self._lock:
                if self._cancel:
                    return
                if self._pending_alpha is not None:
                    self._note_ghost_origin(self._pending_alpha)
                    gd.alpha, self._pending_alpha = self._pending_alpha, None
                speed = self.settings.speed
                until_flat = self.settings.budget <= 0
            remaining = self._target - gd.iteration
            if remaining <= 0:
                self.stopped.emit("budget", f"Done: {gd.iteration} iterations.")
                return
            batch = 1 if speed else max(1, min(remaining, int(BATCH_SECONDS / per_iteration)))
            started = time.perf_counter()
            ran = gd.step(batch, cancelled=self._interrupted)
            elapsed = time.perf_counter() - started
            if ran:
                per_iteration = 0.7 * per_iteration + 0.3 * elapsed / ran
            if time.perf_counter() >= self._next_snapshot or gd.halted:
                self._publish()
            if ran == 0 and gd.halted:
                self.stopped.emit("overflow", f"α = {gd.alpha:g}: {run_verdict(gd).sentence()} Lower α to go on.")
                return
            if until_flat:
                cost = gd.cost
                if cost < best - PLATEAU * max(1.0, abs(best)):
                    best, plateau_since = cost, gd.iteration
                elif gd.iteration - plateau_since >= PLATEAU_ITERATIONS:
                    self.stopped.emit("converged", f"J has not gone {PLATEAU:g} below its lowest, {best:.6g} at "
                                                   f"iteration {plateau_since}, in {gd.iteration - plateau_since} "
                                                   f"iterations: stopped at iteration {gd.iteration}.")
                    return
            if speed:
                self._sleep(max(0.0, 1.0 / speed - elapsed))

    def _publish(self) -> None:
        """A new snapshot for the GUI. With mini-batches on a large set the full z is a pass over X, which
        the steps do not need: taken at most so often that it costs a tenth of the worker's time."""
        started = time.perf_counter()
        self.latest = self._snapshot()
        cost = time.perf_counter() - started
        self._next_snapshot = started + (10 * cost if cost > SNAPSHOT_FREE_S else 0.0)

    def _sleep(self, seconds: float) -> None:
        end = time.monotonic() + seconds
        while not self._interrupted() and (left := end - time.monotonic()) > 0:
            time.sleep(min(left, 0.02))

    def _snapshot(self) -> Snapshot:
        gd, traj = self.gd, self.gd.trajectory
        return Snapshot(gd.iteration, gd.theta.copy(), gd.z, gd.alpha, gd.cost, tuple(traj.iterations),
                        tuple(traj.thetas), gd.batch_rows())

    def trajectory_until(self, iteration: int) -> np.ndarray:
        """The stored path up to ``iteration``, as rows of theta."""
        snap = self.latest
        rows = [t for it, t in zip(snap.path_iterations, snap.path, strict=True) if it <= iteration]
        return np.array(rows) if rows else np.zeros((0, len(snap.theta)))
