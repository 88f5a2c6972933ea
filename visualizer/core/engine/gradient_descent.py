"""Gradient descent on one sigmoid neuron, one iteration or many at a time.

``GradientDescent(X, Y, alpha=..., optimizer=Optimizer(...))``: the optimizer (core/optim/optimizers.py)
says how each iteration steps: batch or mini-batches, the registry's optimizers, L2, α decay.
The default is the course's batch descent, run by the fast path below (any loss, with or without L2); any
other optimizer runs one batch an iteration (core/engine/minibatch.py). ``gd.method`` and ``gd.path_reason`` say
which coordinates the run moves in and why.

For batch descent at a fixed α, the hot loop allocates nothing and never evaluates a logarithm: it stores each
iteration's z and computes the costs of a whole chunk of iterations in one vectorized
call afterwards. The state is checked at every chunk boundary; the first iteration
whose z is not finite is rolled back, so history and state never hold NaN or inf.

Every iteration is the same arithmetic, z from theta then one step, wherever a chunk or a call ends: the command
line, the race, the lesson checker and the window split a run's iterations differently (256 at a time, a few
at a time, sized by the clock) and must get the same run, bit for bit, and so must a replay of it. Far above the
edge of stability rounding differences grow to whole percents, so "the same maths" has to mean the same order
of operations. (A loop in z, h <- h - (s/4) K~ tanh(h) - ..., ran here for cross-entropy on the Gram path: no
faster, and its z, rebuilt from theta at each chunk's end, made the figures depend on the chunks.)
"""

from __future__ import annotations

import numpy as np

from visualizer.core.engine.data_changes import DataChanges
from visualizer.core.engine.history import History
from visualizer.core.engine.losses import Loss, get_loss
from visualizer.core.engine.metrics import accuracy
from visualizer.core.engine.minibatch import MiniBatchSteps
from visualizer.core.engine.parametrization import GRAM_MAX_BYTES, Examples, Parametrization, choose_parametrization
from visualizer.core.engine.replay import Replay
from visualizer.core.engine.run_readings import RunReadings, validate_alpha
from visualizer.core.engine.trajectory import Trajectory
from visualizer.core.optim.optimizers import SPAN_PRESERVING, Optimizer, OptimizerState, choose_path, transition
from visualizer.core.optim.overflow import explain
from visualizer.core.optim.transforms import L2

#: Iterations run between two checks (bounded so the z buffer stays small).
CHUNK = 256


def initial_parameters(n_x: int, init: str = "zeros", seed: int = 0, scale: float = 0.01):
    """(w0, b0): zeros as in the course, or small Gaussian values from a seed."""
    if init == "zeros":
        return np.zeros(n_x), 0.0
    if init == "random":
        return np.random.default_rng(seed).standard_normal(n_x) * scale, 0.0
    raise ValueError(f"unknown initialization {init!r}; choose zeros or random")


class GradientDescent(Replay, MiniBatchSteps, DataChanges, RunReadings):
    """w <- w - alpha dw, b <- b - alpha db on (X, Y), or what ``optimizer`` says; both may change
    between iterations (``gd.alpha = ...``, ``gd.optimizer = ...``), and the history records when."""

    def __init__(
        self,
        X: np.ndarray,
        Y: np.ndarray,
        *,
        alpha: float = 0.005,
        loss: str | Loss = "cross-entropy",
        init: str = "zeros",
        seed: int = 0,
        X_test: np.ndarray | None = None,
        Y_test: np.ndarray | None = None,
        metric_stride: int = 100,
        method: str = "auto",
        share_with: GradientDescent | None = None,
        start: tuple[np.ndarray, float] | None = None,
        optimizer: Optimizer | None = None,
    ):
        """``share_with``: another run on the same data and start, whose Gram matrix is reused.
        ``start``: an explicit (w0, b0), for runs that begin where the learner clicked.
        ``optimizer``: how each iteration steps (default: batch gradient descent)."""
        X = np.asarray(X)
        if X.ndim != 2:
            raise ValueError(f"X must have shape (n_x, m), not {X.shape}")
        if X.dtype not in (np.float32, np.float64):
            X = X.astype(np.float64)
        self.y = np.asarray(Y, dtype=float).reshape(-1)
        if self.y.size != X.shape[1]:
            raise ValueError(f"Y has {self.y.size} labels but X has {X.shape[1]} examples")
        self.n_x, self.m = X.shape
        self.loss = get_loss(loss)
        self.init, self.seed = init, seed
        self._optimizer = self._checked_optimizer(optimizer or Optimizer())
        w0, b0 = initial_parameters(self.n_x, init, seed) if start is None else (
            np.asarray(start[0], dtype=float).reshape(-1), float(start[1]))
        self.param: Parametrization = self._parametrization(X, w0, method, self.m, share_with, b0)
        self.theta = self.param.initial_theta(w0, b0)
        self.theta_start = self.theta.copy()
        self.test: Examples | None = None
        self.y_test: np.ndarray | None = None
        if share_with is not None and share_with.param is self.param and share_with._X_test is X_test:
            self.test, self.y_test, self._X_test = share_with.test, share_with.y_test, X_test
        else:
            self._set_test(X_test, Y_test)
        #: The earliest iteration whose state can be replayed (data edits restart the path).
        self.replay_from = 0
        self.metric_stride = int(metric_stride)
        #: Extra figures recorded with the metrics: ``probe(gd) -> {name: value}`` (e.g. the edge of stability).
        self.probe = None
        self.history = History()
        self.history.set_optimizer(0, self._optimizer)
        self.opt_state = OptimizerState()
        self.trajectory = Trajectory([], [])
        self.iteration = 0
        self.diverged_at: int | None = None
        #: Why the run stopped, when its next step overflowed: one sentence naming the setting at fault.
        self.overflow: str | None = None
        self._alpha = validate_alpha(alpha)
        self.history.set_alpha(0, self._alpha)
        self._allocate()
        self.z = self.param.train.z(self.theta)
        if not np.all(np.isfinite(self.z)):
            raise ValueError("the starting point gives non-finite z")
        self.start_cost = self._divergence_base = self.cost

    def _parametrization(self, X, w0, method: str, m: int, share_with=None, b0: float = 0.0) -> Parametrization:
        """The coordinates for this run's optimizer (sets ``path_reason``); a sharing run's when they fit."""
        n_x = X.shape[0]
        kind, why = choose_path(self._optimizer, n_x, m, method, 8 * m * m <= GRAM_MAX_BYTES)
        self.path_reason = f"{'batch gradient descent' if self._optimizer.is_plain(m) else self._optimizer.kind}: {why}"
        if (share_with is not None and share_with.param.X is X and share_with.param.kind == kind
                and np.array_equal(share_with.theta_start, share_with.param.initial_theta(w0, b0))):
            return share_with.param
        return choose_parametrization(X, w0, kind)

    @staticmethod
    def _checked_optimizer(optimizer: Optimizer) -> Optimizer:
        """B > m is batch descent here (Optimizer.batch); refusing it is the settings' rule, at the boundary."""
        if not isinstance(optimizer, Optimizer):
            raise TypeError(f"optimizer must be an Optimizer, not {type(optimizer).__name__}")
        return optimizer

    # ----------------------------------------------------------------- state
    @property
    def optimizer(self) -> Optimizer:
        return self._optimizer

    @optimizer.setter
    def optimizer(self, value: Optimizer) -> None:
        """Takes effect on the next iteration. A new kind starts its moments from zero; a new batch size
        starts a new epoch; a kind the current coordinates cannot follow moves the run to the primal path."""
        value = self._checked_optimizer(value)
        old, self._optimizer = self._optimizer, value
        self.history.set_optimizer(self.iteration, value)
        self.overflow = None
        if value == old:
            return
        self.diverged_at, self._divergence_base = None, self.cost
        transition(self.opt_state, old, value, self.m)
        if self.param.kind == "gram" and value.kind not in SPAN_PRESERVING:  # (a new kind's state is empty)
            w, b, state = self.w, self.b, self.opt_state
            self.param = self._parametrization(self.param.X, w, "auto", self.m)
            self._data_changed(self.param.initial_theta(w, b), self.y)
            self.opt_state = state
        elif value.is_plain(self.m) != old.is_plain(self.m) or value.kind != old.kind:
            self.path_reason = (self.path_reason.split(": ", 1)[-1] if value.is_plain(self.m)
                                else f"{value.kind}: {self.path_reason.split(': ', 1)[-1]}")

    @property
    def z(self) -> np.ndarray:
        """z = w^T x + b for every training example at the current parameters."""
        if self._z is None:
            self._z = self.param.train.z(self.theta)
        return self._z

    @z.setter
    def z(self, value: np.ndarray) -> None:
        self._z = value

    @property
    def alpha(self) -> float:
        return self._alpha

    @alpha.setter
    def alpha(self, value: float) -> None:
        self._take_alpha(value)

    @property
    def w(self) -> np.ndarray:
        return self.param.w(self.theta)

    @property
    def b(self) -> float:
        return float(self.theta[-1])

    @property
    def method(self) -> str:
        return self.param.kind

    def a(self) -> np.ndarray:
        """y-hat for every training example at the current parameters."""
        return 0.5 + 0.5 * np.tanh(0.5 * self.z)

    def gradient(self, z: np.ndarray | None = None, theta: np.ndarray | None = None) -> np.ndarray:
        """(dw, db) of J_reg in theta coordinates, at the current point or at the point whose z (and,
        with L2, theta) is given."""
        g = np.empty(self.param.dim)
        self.param.gradient_into(self.loss.dz(self.z if z is None else z, self.y), g)
        g /= self.m
        self._optimizer.l2(self.m).add_gradient(g, self.theta if theta is None else theta)
        return g

    def metrics(self) -> dict[str, float | None]:
        """Train cost (J_reg with L2) and accuracy, and test cost (J) and accuracy when there is a test set."""
        out: dict[str, float | None] = {"train_cost": self.cost, "train_accuracy": accuracy(self.z, self.y)}
        if self.test is not None:
            zt = self.test.z(self.theta)
            out["test_cost"] = float(self.loss.cost(zt, self.y_test))
            out["test_accuracy"] = accuracy(zt, self.y_test)
        else:
            out["test_cost"] = out["test_accuracy"] = None
        if self.probe is not None:
            out.update(self.probe(self))
        return out

    # ------------------------------------------------------------- iterating
    def step(self, n: int = 1, cancelled=None) -> int:
        """Run up to n iterations; returns how many ran. Fewer run when the next step would overflow, or
        when ``cancelled()``, asked before every iteration, returns True. ``step(0)`` records due metrics."""
        done = 0
        while done < n and not self.halted:
            self._record_metrics_if_due()
            boundary = (self.iteration // self.metric_stride + 1) * self.metric_stride
            want = min(n - done, CHUNK, boundary - self.iteration)
            ran = self._run_chunk(want, cancelled)
            done += ran
            if ran < want:
                break
        if not self.halted:
            self._record_metrics_if_due()  # now, not at the next step: a run resting here shows its test J here
        return done

    def _record_metrics_if_due(self) -> None:
        if self.iteration % self.metric_stride == 0 and self.history.last_metric_iteration != self.iteration:
            self._record_metrics()

    def _record_metrics(self) -> None:
        self.history.record_metrics(self.iteration, self.metrics())

    def _run_chunk(self, n: int, cancelled=None) -> int:
        if not self._optimizer.is_plain(self.m):
            return self._optimized_chunk(n, cancelled)
        start = self.theta.copy()
        l2 = self._optimizer.l2(self.m)
        with np.errstate(over="ignore", invalid="ignore"):
            Z, n = self._chunk_in_theta_space(n, cancelled, l2)
            z_next = self.param.train.z(self.theta)
            costs = self.loss.cost(Z, self.y) + (l2.penalty(self._squares[:n]) if l2 else 0.0)
        finite = np.isfinite(costs)
        if finite.all() and np.isfinite(z_next).all():
            self._accept(costs, z_next)
            return n
        # Roll back to the last state whose own z is finite, replaying from the chunk's start.
        bad = int(np.argmin(finite)) if not finite.all() else n
        cause = explain(self._optimizer, self._alpha, self.m, 0, None, {})
        overflow = f"the step overflowed at iteration {self.iteration + max(bad - 1, 0)}: {cause}"
        self.overflow = overflow
        self.diverged_at = self.diverged_at if self.diverged_at is not None else self.iteration + bad
        self.theta[:] = start
        self.trajectory.truncate(self.iteration + 1)
        if bad <= 1:
            return 0
        self._run_chunk(bad - 1)
        self.overflow = overflow
        return bad - 1

    def _chunk_in_theta_space(self, n: int, cancelled, l2: L2) -> tuple[np.ndarray, int]:
        """Any loss, any parametrization, with or without L2: z = A theta, dz, gradient, step.
        Returns (z rows, iterations); with L2 each iteration's |w|^2 is left in ``_squares``."""
        Z = self._zbuf[:n]
        theta, dz, grad, alpha = self.theta, self._dz, self._grad, self._alpha
        z_into, squares = self.param.train.z_into, self._squares
        marks = self.trajectory.marks(self.iteration, n)
        mark = marks.pop(0) if marks else -1
        Z[0] = self.z
        for i in range(n):
            if cancelled is not None and cancelled():
                return Z[:i], i
            if i:
                z_into(theta, Z[i])
            if i == mark:
                self.trajectory.offer(self.iteration + i, theta, self._plain_state(i))
                mark = marks.pop(0) if marks else -1
            if l2:
                squares[i] = self.param.squared_w_at(theta, Z[i])
            self._plain_step(theta, Z[i], alpha, l2, dz, grad)
        return Z, n

    def _plain_step(self, theta: np.ndarray, z: np.ndarray, alpha: float, l2: L2, dz: np.ndarray,
                    grad: np.ndarray) -> None:
        """One step of batch descent on theta in place, from its training z (dz and grad: buffers)."""
        self._dz_writer(z, dz)
        self.param.gradient_into(dz, grad)
        grad *= alpha / self.m
        l2.add_gradient(grad, theta, alpha)
        theta -= grad

    def _plain_state(self, i: int) -> int:
        """The state i iterations into a chunk of batch descent, for replays: just its epoch (one an iteration)."""
        return self.opt_state.epoch + i

    def _allocate(self) -> None:
        """Buffers the hot loops write into, sized for the current data."""
        self._rows = self._batch_buffer = None
        self._dz = np.empty(self.m)
        self._dz_writer = self.loss.dz_writer(self.y)
        self._grad = np.empty(self.param.dim)
        self._zbuf = np.empty((CHUNK, self.m))
        self._squares = np.empty(CHUNK)

    def _accept(self, costs: np.ndarray, z_next: np.ndarray) -> None:
        self.history.costs.extend(costs)
        self.iteration += costs.size
        self.opt_state.epoch += costs.size  # batch descent: one iteration, one epoch
        self.z = z_next
