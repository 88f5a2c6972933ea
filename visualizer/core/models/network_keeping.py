"""A network run's past replayed exactly, its data changing under it, a saved network taken up again, a rewind to
branch from, and the old α's ghost path. Mixed into NetworkRun."""

from __future__ import annotations

import numpy as np

from visualizer.core.engine.history import History
from visualizer.core.engine.trajectory import SAVED_PAST_BYTES, ExactState, SavedPast, Trajectory
from visualizer.core.models.network import Network
from visualizer.core.optim.optimizers import Optimizer, OptimizerState, transition

_NO_THETA = np.zeros(0)  # a checkpoint keeps the stepper's coordinates, not θ (network_run.py)


class NetworkKeeping:
    def full_state_at(self, iteration: int) -> tuple[np.ndarray, OptimizerState]:
        """(θ, the optimizer's state) at an earlier iteration: from the nearest checkpoint, the same stepper
        replayed with the recorded α's and optimizers, so θ is the one stepping reached, to the bit."""
        if not self.replay_from <= iteration <= self.iteration:
            raise ValueError(f"iteration {iteration} is outside {self.replay_from}..{self.iteration}")
        if iteration == self.iteration:
            return self.theta.copy(), self.opt_state.copy()
        with self._lock:  # the live stepper replays, and is given back as it was
            start, kept = self._nearest(iteration)
            now, optimizer = self._kept(), self._optimizer
            try:
                self._take_back(kept)
                self._replay(start, iteration)
                theta, state = self._stepper.theta, self._stepper.state.copy()
            finally:
                self._take_back(now)
                self._use(optimizer, self._alpha)
        return theta, state

    def state_at(self, iteration: int) -> np.ndarray:
        return self.full_state_at(iteration)[0]

    def _nearest(self, iteration: int) -> tuple[int, tuple]:
        path = self.trajectory
        k = max((i for i, it in enumerate(path.iterations) if it <= iteration), default=None)
        return self._origin if k is None or path.iterations[k] < self._origin[0] else (path.iterations[k],
                                                                                        path.states[k])

    def _use(self, optimizer: Optimizer, alpha: float) -> None:
        """The stepper set to step with ``optimizer`` at α (its state untouched)."""
        stepper = self._stepper
        if not stepper.plain and stepper.optimizer_now() != optimizer:
            stepper.set_optimizer(optimizer, Network(self.n_x, self.hidden, self.activation, self.loss.name,
                                                     optimizer.lam))
        stepper.set_alpha(alpha)

    def _replay(self, start: int, end: int) -> None:
        """The stepper's steps from ``start`` to ``end``, each stretch at the α and optimizer recorded for it."""
        history, it = self.history, start
        previous = history.optimizer_at(start if start == self.replay_from else start - 1)  # the checkpoint's
        while it < end:
            optimizer = history.optimizer_at(it)
            if optimizer != previous:
                transition(self._stepper.state, previous, optimizer, self.m)
                previous = optimizer
            self._use(optimizer, history.alpha_at(it))
            later = [s for s, _ in [*history.alpha_changes, *history.optimizer_changes] if it < s < end]
            stop = min(later, default=end)
            self._stepper.replay(stop - it)
            it = stop

    def _forget_after(self, iteration: int) -> None:
        """The costs, metrics and checkpoints of the iterations after ``iteration`` (its own cost too)."""
        history = self.history
        history.costs.truncate(iteration)
        keep = int(np.searchsorted(history.metrics["iteration"].values, iteration, side="right"))
        for column in history.metrics.values():
            column.truncate(keep)
        self.trajectory.truncate(iteration + 1)

    def add_examples(self, X_new: np.ndarray, Y_new: np.ndarray) -> None:
        """Train on from the same θ with more examples."""
        X_new = np.asarray(X_new)
        y_new = np.asarray(Y_new, dtype=float).reshape(-1)
        if X_new.shape != (self.n_x, y_new.size):
            raise ValueError(f"new examples must have shape ({self.n_x}, {y_new.size}), not {X_new.shape}")
        self.replace_data(np.hstack([self.param.X, X_new]), np.concatenate([self.y, y_new]))

    def replace_data(self, X: np.ndarray, Y: np.ndarray, X_test=None, Y_test=None, keep_test: bool = True) -> None:
        """Train on from the same θ with other examples: a new stepper (the moments start again from zero, the
        epoch too), where the replayable past restarts."""
        theta = self.theta.copy()
        self.y = np.asarray(Y, dtype=float).reshape(-1)
        self.m = self.y.size
        self._rebuild(np.asarray(X), theta, OptimizerState(epoch=self.opt_state.epoch))
        if not keep_test:
            self._set_test(X_test, Y_test)
        self._restart_path()
        self.start_cost = self._divergence_base = self.cost

    def before_edit(self) -> dict:
        """The run as it stands, for ``undo_edit``: an edit replaces the stepper, the path and the data."""
        saved = dict(vars(self))
        saved["_saved_coordinates"] = self._kept()
        return saved

    def undo_edit(self, saved: dict) -> bool:
        """Take back the run ``before_edit`` saved, when no step was taken since with the same optimizer."""
        if (saved["iteration"] != self.iteration or saved["history"] is not self.history
                or saved["_optimizer"] != self._optimizer):
            return False
        alpha = self._alpha
        coordinates = saved.pop("_saved_coordinates")
        for key in set(vars(self)) - set(saved):
            delattr(self, key)
        vars(self).update(saved)
        self._take_back(coordinates)
        self.alpha = alpha
        return True

    def exact_state(self) -> ExactState:
        """Method "network": w0 is the θ the stepper started from (network.py's layout), theta its own coordinates
        after c₀ (W1₀'s coefficient; on the Gram path W1 = c₀ W1₀ + C Xᵀ) and the optimizer's state, so a saved
        run goes on bit for bit. Its last number is the output unit's bias b, as a session's b."""
        coordinates, state = self._stepper.exact()
        return ExactState("network", self._descent_start.copy(), coordinates, self._divergence_base,
                          self.diverged_at, state, self._saved_past())

    def _saved_past(self) -> SavedPast:
        """The checkpoints in ``exact_state``'s form, after where the past starts when that is off the stride,
        thinned to SAVED_PAST_BYTES (a replay runs the same stepper from an earlier one: the same bits)."""
        with self._lock:
            path = self.trajectory
            rows = list(zip(path.iterations, path.states, strict=True))
            origin = not rows or rows[0][0] != self._origin[0]
            rows = [self._origin, *rows] if origin else rows
            exact = [self._stepper.exact_of(*kept) for _, kept in rows]
        return SavedPast(self.replay_from, path.stride, tuple(it for it, _ in rows), tuple(t for t, _ in exact),
                         tuple(s for _, s in exact), origin).thinned(SAVED_PAST_BYTES)

    def _take_past(self, past: SavedPast) -> None:
        """A saved run's checkpoints, so its iterations from ``past.start`` replay again as they ran."""
        size = self._stepper.exact()[0].size
        if not past.iterations or past.iterations[0] != past.start or any(
                t.shape != (size,) or any(a.shape != (size,) for a in s.arrays.values())
                for t, s in zip(past.thetas, past.states, strict=True)):
            raise ValueError(f"the saved path does not fit this network's {size - 1} coordinates")
        kept = [self._stepper.kept_of(t, s) for t, s in zip(past.thetas, past.states, strict=True)]
        rows = past.checkpoints()
        self.replay_from, self._origin = past.start, (past.start, kept[0])
        self.trajectory = Trajectory([past.iterations[k] for k in rows], [_NO_THETA] * len(rows), past.stride,
                                     [kept[k] for k in rows])

    def restore(self, w, b, iteration: int, history: History, exact: ExactState | None = None) -> None:
        """Carry on a saved run from its own coordinates (``exact``) and history; the replayable past is the saved
        one (``exact.past``), or in older files without one starts at its last iteration. ValueError when they do
        not fit this network on this data."""
        if exact is None or exact.method != "network" or exact.w0.size != self.net.size:
            raise ValueError(f"a saved network needs its start's {self.net.size} parameters")
        self._optimizer = self._checked(history.optimizer_changes[-1][1])
        self._alpha = history.alpha_changes[-1][1]
        self.net = Network(self.n_x, self.hidden, self.activation, self.loss.name, self._optimizer.lam)
        primal = exact.theta.size == self.net.size + 1  # the primal path's size (the Gram path's differs)
        if not self._optimizer.is_plain(self.m) or self._method == "auto":
            self._method = "primal" if primal else "gram"
        self._rebuild(self.param.X, exact.w0, OptimizerState(epoch=int(iteration)))
        size = self._stepper.exact()[0].size
        if exact.theta.size != size:
            raise ValueError(f"the saved network has {exact.theta.size - 1} coordinates, this data needs {size - 1}")
        self._stepper.take_exact(exact.theta, exact.optimizer_state)
        self.history, self.iteration = history, int(iteration)
        self._restart_path()
        if exact.past is not None:
            self._take_past(exact.past)
        self._divergence_base, self.diverged_at = exact.divergence_base, exact.diverged_at

    def simulate(self, theta: np.ndarray, alpha: float, n: int, every: int = 10,
                 state: OptimizerState | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(costs, θ every ``every`` iterations) of n iterations from ``theta`` at a fixed α, in a descent of its
        own: the run is left untouched (the old α's ghost). Stops early where J stops being finite."""
        fresh = self._stepper.method == "gram" or state is None  # moments on θ' are relative to the run's start
        d = self._new_stepper(self.param.X, theta, OptimizerState() if fresh else state, self._optimizer)
        d.set_alpha(alpha)
        thetas, costs, done = [], [], 0
        while done < n:
            thetas.append(d.theta)
            ran, halted, _ = d.advance(min(every, n - done))
            costs.append(ran)
            done += ran.size
            if halted or not ran.size:
                break
        return np.concatenate(costs), np.array(thetas).reshape(-1, self.net.size)

    def rewind(self, iteration: int) -> None:
        """Go back to ``iteration`` and forget what came after; the α and optimizer now in force stay in force."""
        alpha, optimizer = self._alpha, self._optimizer
        start, kept = self._nearest(iteration)
        if iteration != self.iteration:
            self._take_back(kept)
            self._replay(start, iteration)
            self._stepper.forget_undo()
        self.iteration = iteration
        self.history.truncate(iteration)
        self.trajectory.truncate(iteration + 1)
        self._moved()
        self._checkpoint()
        self._alpha = self.history.alpha_changes[-1][1]
        self._optimizer = self.history.optimizer_changes[-1][1]
        self._use(self._optimizer, self._alpha)
        if alpha != self._alpha:
            self.alpha = alpha
        if optimizer != self._optimizer:
            self.optimizer = optimizer
        if self.diverged_at is not None and self.diverged_at >= iteration:
            self.diverged_at = None
        self.overflow = None
