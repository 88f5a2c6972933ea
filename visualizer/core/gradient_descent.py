"""Batch gradient descent on one sigmoid neuron, one iteration or many at a time.

The hot loop allocates nothing and never evaluates a logarithm: it stores each
iteration's z and computes the costs of a whole chunk of iterations in one vectorized
call afterwards. The state is checked at every chunk boundary; the first iteration
whose z is not finite is rolled back, so history and state never hold NaN or inf.
"""

from __future__ import annotations

import math

import numpy as np

from .history import History
from .losses import CrossEntropy, Loss, get_loss
from .metrics import accuracy
from .parametrization import (
    GRAM_MAX_BYTES,
    Examples,
    GramParametrization,
    Parametrization,
    choose_parametrization,
)
from .replay import Replay
from .trajectory import ExactState, Trajectory

#: Iterations run between two checks (bounded so the z buffer stays small).
CHUNK = 256


def validate_alpha(alpha: float) -> float:
    alpha = float(alpha)
    if not math.isfinite(alpha) or alpha <= 0:
        raise ValueError(f"the learning rate must be a positive number, not {alpha!r}")
    return alpha


def initial_parameters(n_x: int, init: str = "zeros", seed: int = 0, scale: float = 0.01):
    """(w0, b0): zeros as in the course, or small Gaussian values from a seed."""
    if init == "zeros":
        return np.zeros(n_x), 0.0
    if init == "random":
        return np.random.default_rng(seed).standard_normal(n_x) * scale, 0.0
    raise ValueError(f"unknown initialization {init!r}; choose zeros or random")



class GradientDescent(Replay):
    """w <- w - alpha dw, b <- b - alpha db on (X, Y); alpha may change between iterations."""

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
    ):
        """``share_with``: another run on the same data and start, whose Gram matrix is reused.
        ``start``: an explicit (w0, b0), for runs that begin where the learner clicked."""
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
        w0, b0 = initial_parameters(self.n_x, init, seed) if start is None else (
            np.asarray(start[0], dtype=float).reshape(-1), float(start[1]))
        same_start = share_with is not None and share_with.param.X is X and np.array_equal(
            share_with.theta_start, share_with.param.initial_theta(w0, b0))
        if same_start:
            self.param: Parametrization = share_with.param
        else:
            self.param = choose_parametrization(X, w0, method)
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
        self.trajectory = Trajectory([], [])
        self.iteration = 0
        self.diverged_at: int | None = None
        self.halted = False
        self._alpha = validate_alpha(alpha)
        self.history.set_alpha(0, self._alpha)
        self._allocate()
        self.z = self.param.train.z(self.theta)
        if not np.all(np.isfinite(self.z)):
            raise ValueError("the starting point gives non-finite z")
        self.start_cost = self._divergence_base = float(self.loss.cost(self.z, self.y))

    # ----------------------------------------------------------------- state
    @property
    def alpha(self) -> float:
        return self._alpha

    @alpha.setter
    def alpha(self, value: float) -> None:
        value = validate_alpha(value)
        if value != self._alpha:  # a new alpha is watched afresh, from the cost where it starts
            self.diverged_at = None
            self._divergence_base = self.cost
        self._alpha = value
        self.history.set_alpha(self.iteration, self._alpha)
        self.halted = False

    @property
    def w(self) -> np.ndarray:
        return self.param.w(self.theta)

    @property
    def b(self) -> float:
        return float(self.theta[-1])

    @property
    def cost(self) -> float:
        """J at the current parameters."""
        return float(self.loss.cost(self.z, self.y))

    @property
    def method(self) -> str:
        return self.param.kind

    def a(self) -> np.ndarray:
        """y-hat for every training example at the current parameters."""
        return 0.5 + 0.5 * np.tanh(0.5 * self.z)

    def gradient(self, z: np.ndarray | None = None) -> np.ndarray:
        """(dw, db) in theta coordinates, at the current point or at the point whose z is given."""
        g = np.empty(self.param.dim)
        self.param.gradient_into(self.loss.dz(self.z if z is None else z, self.y), g)
        return g / self.m

    def metrics(self) -> dict[str, float | None]:
        """Train cost and accuracy, and test cost and accuracy when there is a test set."""
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

    def divergence_threshold(self) -> float:
        """Ten times the cost where the current alpha began: descent has been thrown out of the bowl.

        A transient rise is normal near the edge of stability (the course's own run at
        alpha = 0.005 climbs from 0.69 to 0.90 before it settles), so the bar is high.
        """
        return 10.0 * max(self._divergence_base, math.log(2.0))

    # ------------------------------------------------------------- iterating
    def step(self, n: int = 1, cancelled=None) -> int:
        """Run up to n iterations; returns how many ran.

        Fewer run when the next step would overflow, or when ``cancelled()``, asked
        before every iteration, returns True.
        """
        done = 0
        while done < n and not self.halted:
            if self.iteration % self.metric_stride == 0 and self.history.last_metric_iteration != self.iteration:
                self.history.record_metrics(self.iteration, self.metrics())
            boundary = (self.iteration // self.metric_stride + 1) * self.metric_stride
            want = min(n - done, CHUNK, boundary - self.iteration)
            ran = self._run_chunk(want, cancelled)
            done += ran
            if ran < want:
                break
        return done

    def _run_chunk(self, n: int, cancelled=None) -> int:
        start = self.theta.copy()
        with np.errstate(over="ignore", invalid="ignore"):
            if isinstance(self.loss, CrossEntropy) and self.param.kind == "gram":
                Z, n = self._chunk_in_z_space(n, cancelled)
            else:
                Z, n = self._chunk_in_theta_space(n, cancelled)
            z_next = self.param.train.z(self.theta)
            costs = self.loss.cost(Z, self.y)
        finite = np.isfinite(costs)
        if finite.all() and np.isfinite(z_next).all():
            self._accept(costs, z_next)
            return n
        # Roll back to the last state whose own z is finite, replaying from the chunk's start.
        bad = int(np.argmin(finite)) if not finite.all() else n
        self.halted = True
        self.diverged_at = self.diverged_at if self.diverged_at is not None else self.iteration + bad
        self.theta[:] = start
        self.trajectory.truncate(self.iteration + 1)
        if bad <= 1:
            return 0
        self._run_chunk(bad - 1)
        self.halted = True
        return bad - 1

    def _chunk_in_theta_space(self, n: int, cancelled) -> tuple[np.ndarray, int]:
        """Any loss, any parametrization: z = A theta, dz, gradient, step. Returns (z rows, iterations)."""
        Z = self._zbuf[:n]
        theta, dz, grad = self.theta, self._dz, self._grad
        scale = self._alpha / self.m
        z_into, dz_into, gradient_into = self.param.train.z_into, self._dz_writer, self.param.gradient_into
        marks = self.trajectory.marks(self.iteration, n)
        mark = marks.pop(0) if marks else -1
        Z[0] = self.z
        for i in range(n):
            if cancelled is not None and cancelled():
                return Z[:i], i
            if i:
                z_into(theta, Z[i])
            if i == mark:
                self.trajectory.offer(self.iteration + i, theta)
                mark = marks.pop(0) if marks else -1
            dz_into(Z[i], dz)
            gradient_into(dz, grad)
            grad *= scale
            theta -= grad
        return Z, n

    def _chunk_in_z_space(self, n: int, cancelled) -> tuple[np.ndarray, int]:
        """Cross-entropy on the Gram path, three numpy calls an iteration.

        With h = z/2 and K~ = K + 1 1^T, one step is h <- h - (s/4) K~ tanh(h) - (s/2) K~ (1/2 - y),
        s = alpha/m: the same descent, written where it is cheapest. theta follows afterwards from
        the running sums of sigma(z) - y, which is exactly what each step subtracts from it.
        """
        m = self.m
        H = self._hbuf[: n + 1]
        np.multiply(self.z, 0.5, out=H[0])
        N, T, u = self._z_step_matrix(), self._tbuf, self._dz
        Tm = T[:m]
        ran = n
        for i in range(n):
            if cancelled is not None and cancelled():
                ran = i
                break
            np.tanh(H[i], out=Tm)
            np.dot(N, T, out=u)
            np.subtract(H[i], u, out=H[i + 1])
        if ran:
            D = np.tanh(H[:ran])  # sigma(z_t) - y for every iteration of the chunk
            D *= 0.5
            D += 0.5 - self.y
            steps = np.cumsum(D, axis=0)
            steps *= self._alpha / m
            theta0 = self.theta.copy()
            for i in self.trajectory.marks(self.iteration, ran):
                theta = theta0.copy()
                if i:
                    theta[:m] -= steps[i - 1]
                    theta[-1] -= steps[i - 1].sum()
                self.trajectory.offer(self.iteration + i, theta)
            self.theta[:m] -= steps[-1]
            self.theta[-1] -= steps[-1].sum()
        return 2.0 * H[:ran], ran

    def _z_step_matrix(self) -> np.ndarray:
        """[(s/4) K~ | (s/2) K~ (1/2 - y)] for the alpha in force, rebuilt only when alpha or data change."""
        if self._z_step_key != self._alpha:
            m, s = self.m, self._alpha / self.m
            Kt = self.param.metric[:m, :m] + 1.0
            N = np.empty((m, m + 1))
            np.multiply(Kt, s / 4, out=N[:, :m])
            N[:, m] = (s / 2) * (Kt @ (0.5 - self.y))
            self._z_step, self._z_step_key = N, self._alpha
        return self._z_step

    # ------------------------------------------------------------ new data
    def add_examples(self, X_new: np.ndarray, Y_new: np.ndarray) -> None:
        """Train on from the same (w, b) with more examples; a Gram matrix is extended, not rebuilt."""
        X_new = np.asarray(X_new)
        y_new = np.asarray(Y_new, dtype=float).reshape(-1)
        if X_new.shape != (self.n_x, y_new.size):
            raise ValueError(f"new examples must have shape ({self.n_x}, {y_new.size}), not {X_new.shape}")
        if self.param.kind == "gram" and 8 * (self.m + y_new.size) ** 2 <= GRAM_MAX_BYTES:
            self.param, theta = self.param.extended(X_new, self.theta)
            self._data_changed(theta, np.concatenate([self.y, y_new]))
        else:
            self.replace_data(np.hstack([self.param.X, X_new]), np.concatenate([self.y, y_new]))

    def replace_data(self, X: np.ndarray, Y: np.ndarray, X_test=None, Y_test=None, keep_test: bool = True) -> None:
        """Train on from the same (w, b) with other examples (removed, relabelled or moved ones)."""
        y = np.asarray(Y, dtype=float).reshape(-1)
        w, b = self.w, self.b
        if X is not self.param.X:
            self.param = choose_parametrization(np.asarray(X), w)
            theta = self.param.initial_theta(w, b)
        else:
            theta = self.theta
        if not keep_test:
            self._set_test(X_test, Y_test)
        self._data_changed(theta, y)

    def exact_state(self) -> ExactState:
        w0 = self.param._w0.copy() if isinstance(self.param, GramParametrization) else np.zeros(0)
        return ExactState(self.param.kind, w0, self.theta.copy(), self._divergence_base, self.diverged_at)

    def restore(self, w: np.ndarray, b: float, iteration: int, history, exact: ExactState | None = None) -> None:
        """Carry on a saved run from its (w, b) and history; the path restarts at its last iteration.

        With ``exact`` it goes on in the saved run's own coordinates, so its next steps are the
        saved run's to the last bit; without (older files) from (w, b) re-expressed here.
        """
        if exact is not None:
            param = choose_parametrization(self.param.X, exact.w0 if exact.w0.size else np.zeros(self.n_x),
                                           exact.method)
            if param.dim != exact.theta.size:
                raise ValueError(f"the saved run has {exact.theta.size} coordinates, this data needs {param.dim}")
            self.param, theta = param, exact.theta.copy()
        else:
            self.param = choose_parametrization(self.param.X, np.asarray(w, dtype=float))
            theta = self.param.initial_theta(w, b)
        self.iteration = iteration
        self.history = history
        self._alpha = history.alpha_changes[-1][1]
        self.diverged_at = None
        self._data_changed(theta, self.y)
        if exact is not None:
            self._divergence_base, self.diverged_at = exact.divergence_base, exact.diverged_at

    def _allocate(self) -> None:
        """Buffers the hot loops write into, sized for the current data."""
        self._dz = np.empty(self.m)
        self._dz_writer = self.loss.dz_writer(self.y)
        self._grad = np.empty(self.param.dim)
        self._zbuf = np.empty((CHUNK, self.m))
        self._hbuf = np.empty((CHUNK + 1, self.m))
        self._tbuf = np.ones(self.m + 1)
        self._z_step_key = None

    def _data_changed(self, theta: np.ndarray, y: np.ndarray) -> None:
        """The path so far was in other coordinates: it restarts here, and the past can no longer be replayed."""
        self.theta = theta
        self.y = y
        self.m = y.size
        self._allocate()
        self.z = self.param.train.z(self.theta)
        if self.y_test is not None:
            self.test = self.param.examples(self._X_test)
        self.trajectory = Trajectory([], [])
        self.trajectory.offer(self.iteration, self.theta)
        self.replay_from = self.iteration
        self.start_cost = self._divergence_base = float(self.loss.cost(self.z, self.y))
        self.halted = False

    def _set_test(self, X_test, Y_test) -> None:
        self.test, self.y_test, self._X_test = None, None, None
        if X_test is None or Y_test is None:
            return
        X_test = np.asarray(X_test)
        if X_test.ndim != 2 or X_test.shape[0] != self.n_x:
            raise ValueError(f"the test set has {X_test.shape[0]} features per example, the training set {self.n_x}")
        self.y_test = np.asarray(Y_test, dtype=float).reshape(-1)
        if self.y_test.size != X_test.shape[1]:
            raise ValueError(f"the test set has {self.y_test.size} labels for {X_test.shape[1]} examples")
        self._X_test = X_test
        self.test = self.param.examples(X_test)

    def _accept(self, costs: np.ndarray, z_next: np.ndarray) -> None:
        if self.diverged_at is None:
            over = np.flatnonzero(costs > self.divergence_threshold())
            if over.size:
                self.diverged_at = self.iteration + int(over[0])
        self.history.costs.extend(costs)
        self.iteration += costs.size
        self.z = z_next
