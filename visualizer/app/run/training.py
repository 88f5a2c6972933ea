"""Runs gradient descent off the GUI thread and hands the GUI the latest state.

What the learner asks while it trains (α, the optimizer, pause, budget, speed) goes into one queue of intents
(``visualizer.app.run.intents``), drained between chunks (``gd.step`` asks before every iteration, so a chunk
ends as soon as something waits) or at once while no worker runs. The worker publishes an immutable
``Snapshot`` after each short batch; the GUI reads ``latest`` on its own timer and never waits for it.
"""

from __future__ import annotations

import queue
import sys
import time
from dataclasses import replace

from PySide6.QtCore import QObject, Signal

from visualizer.app.run.intents import Intent, Pause, SetAlpha, SetBudget, SetSpeed, SwitchOptimizer
from visualizer.app.run.past import DATA_CHANGED, PAST_SAVED, SESSION_SAVED, KeptRun, RunPast
from visualizer.app.run.plateau import Plateau
from visualizer.app.run.run_notices import overflow_message, stop_notice
from visualizer.app.run.snapshot import Ghost, GhostKeeper, Snapshot
from visualizer.app.run.worker import ReadWriteLock, Worker
from visualizer.core import GradientDescent
from visualizer.core.models.registry import model_of
from visualizer.core.optim.registry import SPECS
from visualizer.data import Dataset
from visualizer.model.notices import ABOUT_THE_RUN, Happening
from visualizer.model.pacing import LOOK_S, WATCHABLE, Pacer
from visualizer.model.run_setup import built_with, metric_stride, new_run
from visualizer.model.settings import RunSettings, run_optimizer
from visualizer.model.state import NEW_RUN, OPTIMIZER_FIELDS, WindowState

#: A batch between two snapshots lasts about this long at full speed.
BATCH_SECONDS = 0.004
#: A snapshot cheaper than this is taken after every batch.
SNAPSHOT_FREE_S = 0.002
#: How long a thread may hold the GIL while another waits (Python's default is 5 ms).
GIL_SWITCH_S = 0.001


class TrainingController(QObject):
    """Owns the run on a ``WindowState``'s data and settings, one setting at a time: α and the optimizer become
    intents, a new loss, init or seed a new run, edited data goes on from the same (w, b) (undone before any
    step, the run comes back whole). A reader of the run's coordinates with a theta of its own reads within
    ``coordinates.reading()`` (a switch may move them)."""

    runningChanged = Signal(bool)
    stopped = Signal(str, str)  # (reason, message): budget, converged, overflow (J is not finite)
    failed = Signal(str)
    reset_done = Signal()
    discarded = Signal(object)  # a KeptRun: the run of at least one step that a new run replaced

    def __init__(self, state: WindowState, parent: QObject | None = None):
        super().__init__(parent)
        self.state = state
        self.coordinates = ReadWriteLock()
        self._intents: queue.SimpleQueue[Intent] = queue.SimpleQueue()
        self._quiet = False  # while restore() sets the state itself
        #: This press of Train: the iteration it ends at, its budget, whether it has one, where it began; the speed.
        self._target, self._budget, self._budgeted, self._pressed_at, self._speed = 0, 0, False, 0, None
        self._next_snapshot = 0.0  # perf_counter time before which the worker publishes no snapshot
        self._pacer, self.clock = Pacer(), time.monotonic  # the watchable pace, timed by the clock
        self._worker: Worker | None = None
        self._stop_facts: tuple | None = None  # (gd, iteration, alpha, optimizer) when the worker stopped
        self._ghosts = GhostKeeper()
        self._adopt(self._new_run())
        events = state.setting_events
        events.alpha.connect(lambda alpha, _: self._send(SetAlpha(alpha)))
        events.budget.connect(lambda budget, _: self._send(SetBudget(budget)))
        events.speed.connect(lambda speed, _: self._send(SetSpeed(speed)))
        for name in NEW_RUN:
            events[name].connect(self._new_run_if_needed)
        for name in OPTIMIZER_FIELDS:
            events[name].connect(self._optimizer_changed)
        state.events.data.connect(self._data_changed)
        state.view_bounds = lambda: (self.gd.replay_from, self.gd.iteration)
        self.stopped.connect(self._tell_stop)  # queued: the worker emits it

    @property
    def ghost(self) -> Ghost | None:
        """The old alpha's path, drawn once the slider rests (``draw_ghost``)."""
        return self._ghosts.ghost

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
        if self.running:
            return
        self.state.happened(Happening.TRAIN)
        self._budget, self._budgeted, self._pressed_at = self.settings.budget, True, self.gd.iteration
        self._aim()
        self._run()

    def step(self, n: int = 1) -> None:
        if not self.running:
            self._budgeted, self._target = False, self.gd.iteration + n
            self._run()

    def pause(self) -> None:
        """Stop the worker once it has applied what was asked before; returns when it has stopped."""
        if (worker := self._worker) is None:
            return
        self._intents.put(Pause())
        worker.wait()
        self._on_finished(worker)

    def reset(self) -> None:
        """A fresh run from the start with the current settings; the run it replaces is ``discarded``."""
        self.pause()
        old = self._kept()
        self._ghosts.forget()
        self._adopt(self._new_run())
        self.state.happened(Happening.RESET)
        self.reset_done.emit()
        if old.gd.iteration > 0:
            self.discarded.emit(old)

    def swap_run(self, kept: KeptRun) -> KeptRun:
        """Bring back a run put aside, with its settings; the one it replaces is returned, kept as whole."""
        self.pause()
        current = self._kept()
        self._ghosts.forget()
        self._quiet = True
        try:
            self.state.look_at(None)
            self.state.replace_settings(kept.settings)
        finally:
            self._quiet = False
        self.gd, self.past, self._optimizer_asked = kept.gd, kept.past, kept.gd.optimizer
        self.latest = self._snapshot()
        self.state.happened(Happening.RESET)
        self.reset_done.emit()
        return current

    def _kept(self) -> KeptRun:
        """The run as it stands, with the settings it runs with (a new loss, init or seed is not yet its own)."""
        gd = self.gd
        return KeptRun(gd, self.past, replace(self.settings, alpha=gd.alpha, **built_with(gd)))

    def branch_from(self, iteration: int) -> None:
        """Forget everything after ``iteration``; training on from there is a new branch."""
        self.pause()
        if iteration < self.gd.iteration:
            if self.ghost is not None and self.ghost.start > iteration:
                self._ghosts.forget()
            self.gd.rewind(iteration)
            self.past.stepped()
            self.latest = self._snapshot()
            self.state.happened(Happening.BRANCH)
            self.reset_done.emit()

    def restore(self, session) -> None:
        """Reopen a saved session (storage.Session) where it stopped; the new run is built first, so a failure
        leaves the current one and the state exactly as they were."""
        gd = self._new_run(session.train, session.test, session.settings)
        gd.restore(session.w, session.b, session.iteration, session.history, session.exact)
        kept = session.exact is not None and session.exact.past is not None
        why = (session.past_why or PAST_SAVED) if kept else SESSION_SAVED
        self.start_on(session.train, session.test, session.settings, gd, [(gd.replay_from, why)] if gd.replay_from
                      else [])
        self.state.happened(Happening.SESSION)

    def start_on(self, train: Dataset, test: Dataset | None, settings: RunSettings,
                 gd: GradientDescent | None = None, restarts: list | None = None) -> None:
        """New data and settings at once (a session, a lesson, leaving it): the run (``gd``, or a new one) is built
        on both first (a lesson's 900 units for 2-D points were built on 12288 inputs), then the data goes in before
        the settings, so a redrawn panel draws the run on its own examples (a 6-example session: IndexError)."""
        gd = gd or self._new_run(train, test, settings)
        self.pause()
        self._ghosts.forget()
        self._adopt(gd, restarts)
        self._quiet = True
        try:
            self.state.set_data(train, test, fresh=True)
            self.state.restore_settings(settings)  # B fitted to the data in force, as ever
        finally:
            self._quiet = False

    def replay_note(self) -> str | None:
        """Why the iterations before the earliest that can be shown cannot be, from this run's restarts."""
        return self.past.note(self.gd.replay_from)

    def shutdown(self) -> None:
        self.pause()

    # ------------------------------------------------------------ following the state
    def _send(self, intent: Intent) -> None:
        if self._quiet:
            return
        self._intents.put(intent)
        if not self.running:  # else the worker takes it between two chunks, or _on_finished after its last
            self._drain()
            self.latest = self._snapshot()

    def _new_run_if_needed(self, *_) -> None:
        s = self.settings
        if not self._quiet and any(getattr(s, key) != value for key, value in built_with(self.gd).items()):
            self.reset()

    def _optimizer_changed(self, *_) -> None:
        """Built once per change of one of its fields (an alpha tick builds none)."""
        optimizer = run_optimizer(self.settings, self.gd.m)
        if optimizer != self._optimizer_asked:
            self._optimizer_asked = optimizer
            self._send(SwitchOptimizer(optimizer))

    def _data_changed(self, data, old) -> None:
        """New data: a new run; an edit: on from the same (w, b); an edit undone before any step: the run before it."""
        if self._quiet:
            return
        self.pause()
        self._ghosts.forget()  # drawn in the old data's coordinates, for the old data
        if data.fresh:
            self._adopt(self._new_run())
        else:
            with self.coordinates.writing():  # the run's coordinates change under a slice being computed
                if self.past.undo_edit(data, self.gd):
                    self._optimizer_asked = self.gd.optimizer
                else:
                    self.past.before_edit(old, self.gd)
                    self._edit(data, old)
        self.latest = self._snapshot()  # the window redraws on the same event, after it has shown the data

    def _edit(self, data, old) -> None:
        gd = self.gd
        if data.appended and data.test is old.test:
            gd.add_examples(data.train.X[:, -data.appended:], data.train.Y[:, -data.appended:])
        else:
            test = data.test
            gd.replace_data(data.train.X, data.train.Y, None if test is None else test.X,
                            None if test is None else test.Y, keep_test=False)
        self.past.restarted(gd.replay_from, DATA_CHANGED)
        if (optimizer := run_optimizer(self.settings, gd.m)) != gd.optimizer:
            gd.optimizer = optimizer  # a batch that was all m may be a mini-batch of the grown set
        self._optimizer_asked = gd.optimizer
        gd.metric_stride = metric_stride(gd, gd.optimizer)

    def draw_ghost(self, n: int = 300) -> Ghost | None:
        """The path the alpha before the last burst of changes would have taken from where that burst began."""
        with self.coordinates.reading():
            return self._ghosts.draw(self.gd, self.settings.alpha, n)

    def tell_overflow(self) -> None:
        """The run's notice when its next step overflows, e.g. after a lesson's first iterations ran ahead."""
        if self.gd.halted:
            self.state.tell(overflow_message(self.gd.overflow), "warning", owner="run", ends_on=ABOUT_THE_RUN)

    def _tell_stop(self, reason: str, message: str) -> None:
        """What J did, told as a notice of the run while it is still what the run shows (on the GUI thread)."""
        gd = self.gd
        if self._stop_facts == (gd, gd.iteration, gd.alpha, gd.optimizer) and (told := stop_notice(gd, reason,
                                                                                                  message)):
            self.state.tell(*told, owner="run", ends_on=ABOUT_THE_RUN)

    # ---------------------------------------------------------------- worker
    def _new_run(self, train: Dataset | None = None, test: Dataset | None = None,
                 settings: RunSettings | None = None) -> GradientDescent:
        """A fresh run on the given data and settings (by default the current ones)."""
        if train is None:
            train, test = self.train, self.test
        return new_run(train, test, settings or self.settings)  # 2/λmax recorded with the metrics, iteration 0 too

    def _adopt(self, gd: GradientDescent, restarts: list | None = None) -> None:
        """``gd`` is the run from now on: nothing of the previous one is kept."""
        self.gd = gd
        self._optimizer_asked = gd.optimizer
        self.past = RunPast(restarts)
        self.latest = self._snapshot()

    def _aim(self) -> None:
        """This press of Train ends at its budget's end, or (budget 0) once the cost stops falling."""
        self._target = self._pressed_at + (self._budget if self._budget > 0 else 10**12)

    def _run(self) -> None:
        # The worker's small numpy calls keep the GIL; hand it over often so the GUI stays responsive.
        sys.setswitchinterval(GIL_SWITCH_S)
        self.past.stepped()
        self._speed, self._pacer = self.settings.speed, Pacer()  # a new press of Train: a pace of its own
        worker = self._worker = Worker(lambda _cancelled, _progress: self._loop(), self)
        worker.failed.connect(self.failed)
        worker.finished.connect(lambda: self._on_finished(worker))
        worker.start()
        self.runningChanged.emit(True)

    def _on_finished(self, worker: Worker) -> None:
        if worker is not self._worker:  # a late signal from a worker already cleaned up
            return
        self._worker = None
        worker.wait()
        worker.deleteLater()
        self._drain()  # what was asked after the worker's last look
        self.latest = self._snapshot()
        self.runningChanged.emit(False)

    def _drain(self) -> bool:
        """Apply every intent waiting, in order, on the one thread running the run; True if one was Pause."""
        paused = False
        while True:
            try:
                intent = self._intents.get_nowait()
            except queue.Empty:
                return paused
            paused = self._apply(intent) or paused

    def _apply(self, intent: Intent) -> bool:
        gd = self.gd
        if isinstance(intent, SetAlpha):
            self._ghosts.alpha_changing(gd, intent.alpha)
            gd.alpha = intent.alpha
        elif isinstance(intent, SwitchOptimizer):
            with self.coordinates.writing():
                start = gd.replay_from
                gd.optimizer = intent.optimizer
                gd.metric_stride = metric_stride(gd, intent.optimizer)
                if gd.replay_from != start:
                    self.past.restarted(gd.replay_from, gd.restart_why if model_of(gd).has_hidden else
                                        f"{SPECS[intent.optimizer.kind].name} moved the run to other coordinates")
                self._ghosts.forget()  # the ghost followed the old optimizer
                self.latest = self._snapshot()
        elif isinstance(intent, SetBudget):
            self._budget = intent.budget
            if self._budgeted:
                self._aim()
        elif isinstance(intent, SetSpeed):
            self._speed, self._pacer = intent.speed, Pacer()  # a watchable pace chosen now begins now
        return isinstance(intent, Pause)

    def _loop(self) -> None:
        gd = self.gd
        per_iteration = 1e-5
        plateau = Plateau(gd.iteration, gd.cost)
        while True:
            if self._drain():
                return
            remaining = self._target - gd.iteration
            if remaining <= 0:
                self._stop("budget", f"Done: {gd.iteration} iterations.")
                return
            speed = self._speed if self._budgeted or self._speed != WATCHABLE else None  # Step ×100 is not paced
            batch = 1 if speed and speed != WATCHABLE else max(1, min(remaining, int(BATCH_SECONDS / per_iteration)))
            if speed == WATCHABLE and (batch := min(batch, self._pacer.due(gd.iteration, self._target, self._budget,
                                                                           self.clock()) - gd.iteration)) <= 0:
                self._sleep(LOOK_S)  # the next iteration is not due yet
                continue
            started = time.perf_counter()
            ran = gd.step(batch, cancelled=self._waiting)
            elapsed = time.perf_counter() - started
            if ran:
                per_iteration = 0.7 * per_iteration + 0.3 * elapsed / ran
            if time.perf_counter() >= self._next_snapshot or gd.halted:
                self._publish()
            if gd.halted:  # the engine's own sentence names the setting (α, λ, or ε with β₂): not always α
                self._stop("overflow", overflow_message(gd.overflow))
                return
            if self._budgeted and self._budget <= 0 and (flat := plateau.after(gd.iteration, gd.cost)):
                self._stop("converged", flat)
                return
            if speed and speed != WATCHABLE:
                self._sleep(max(0.0, 1.0 / speed - elapsed))

    def _waiting(self) -> bool:
        """Asked by ``gd.step`` before every iteration: something waits in the queue."""
        return not self._intents.empty()

    def _stop(self, reason: str, message: str) -> None:
        self._stop_facts = (self.gd, self.gd.iteration, self.gd.alpha, self.gd.optimizer)
        self.stopped.emit(reason, message)

    def _publish(self) -> None:
        """A new snapshot for the GUI. With mini-batches on a large set the full z is a pass over X, which
        the steps do not need: taken at most so often that it costs a tenth of the worker's time."""
        started = time.perf_counter()
        self.latest = self._snapshot()
        cost = time.perf_counter() - started
        self._next_snapshot = started + (10 * cost if cost > SNAPSHOT_FREE_S else 0.0)

    def _sleep(self, seconds: float) -> None:
        end = time.monotonic() + seconds
        while not self._waiting() and (left := end - time.monotonic()) > 0:
            time.sleep(min(left, 0.02))

    def _snapshot(self) -> Snapshot:
        return Snapshot.of(self.gd)
