"""A network as the window trains it: GradientDescent's protocol over NetworkDescent's fast loop.

The training controller, the frame and the panels drive a run through one set of names (``step(n,
cancelled)``, ``history``, ``full_state_at(i)``, ``z``, ``cost``, ``metrics()``, ``halted``...). This
object gives them for a network by composition: NetworkDescent (core/models/descent.py) does the
steps; this keeps the history, the metrics at their stride, the checkpoints and the halts.

* **Replays are exact.** A checkpoint keeps the descent's own coordinates (on the Gram path
  W1 = c₀ W1₀ + C Xᵀ: its C and c₀), and a replay runs the same descent's prepared iteration from
  there with the recorded α's, so it reaches the very bits stepping reached.
* **Halts as the engine's.** When an iteration's Z_L is not finite, the run stops at the last
  iteration whose own z is finite (``overflow`` says why, ``halted`` is True) until α changes.
* **θ is network.py's layout** (each layer's rows [W_l | b_l]), as the frame sees it.

Full-batch gradient descent with or without L2 (``Optimizer.is_plain``); a new λ goes on from the
same θ in a new descent, where the replayable past restarts (as a data edit does).
"""

from __future__ import annotations

import threading

import numpy as np

from visualizer.core.engine.history import History
from visualizer.core.engine.losses import Loss, get_loss
from visualizer.core.engine.metrics import accuracy
from visualizer.core.engine.trajectory import Trajectory
from visualizer.core.models.descent import NetworkDescent
from visualizer.core.models.network import DEFAULT_SCALE, Network, initial_parameters, output_z, weights_square
from visualizer.core.models.network_keeping import NetworkKeeping, take_costs
from visualizer.core.models.network_path import PathThetas
from visualizer.core.optim.optimizers import Optimizer, OptimizerState
from visualizer.core.optim.overflow import explain

#: Iterations between two looks at ``cancelled``: a step asked to stop ends within this many.
CANCEL_EVERY = 32
#: The first checkpoints' spacing: a replay runs at most this many iterations (more once the path doubles it).
CHECKPOINT_EVERY = 16
#: The checkpoints' memory at most (the path thins, as it does past TRAJECTORY_POINTS): 256 of the deep model's
#: coordinates on the cat data's primal path would be half a gigabyte.
CHECKPOINT_BYTES = 64 * 2**20
_NO_THETA = np.zeros(0)


class NetworkExamples:
    """A set of examples as a network sees them: ``z(theta)``, the output unit's z of each (like engine Examples)."""

    def __init__(self, net: Network, X: np.ndarray):
        self.net, self.X, self.m = net, X, X.shape[1]

    def z(self, theta: np.ndarray) -> np.ndarray:
        return output_z(self.net, theta, self.X).reshape(-1)

    def z_into(self, theta: np.ndarray, out: np.ndarray) -> None:
        out[:] = self.z(theta)


class NetworkCoordinates:
    """What the app reads as ``run.param``: the training examples, θ's size and the descent's path."""

    def __init__(self, net: Network, X: np.ndarray, kind: str):
        self.X, self.kind, self.dim, self.train = X, kind, net.size, NetworkExamples(net, X)


def unsupported(optimizer: Optimizer, m: int) -> str | None:
    """Why a network cannot take ``optimizer`` here (yet), or None: it trains by full-batch descent, L2 allowed."""
    if optimizer.is_plain(m):
        return None
    return "a network trains by full-batch gradient descent at a fixed α (with L2 through λ), not " + (
        f"{optimizer.kind}" if optimizer.kind != "gd" else "mini-batches" if optimizer.batch(m) < m else "decay")


class NetworkRun(NetworkKeeping):
    """A network with ``hidden`` layers of ``activation`` trained on (X, Y) from a seeded start."""

    def __init__(self, X: np.ndarray, Y: np.ndarray, *, hidden: tuple[int, ...], activation: str = "relu",
                 init_scale: float | str = DEFAULT_SCALE, alpha: float = 0.005, loss: str | Loss = "cross-entropy",
                 init: str = "random", seed: int = 0, X_test: np.ndarray | None = None,
                 Y_test: np.ndarray | None = None, metric_stride: int = 100, optimizer: Optimizer | None = None,
                 method: str = "auto", share_with=None, start=None):
        """``share_with`` and ``start`` are GradientDescent's (a shared Gram matrix, a clicked start): a network
        has neither, and takes them only so both models are built alike."""
        X = np.asarray(X)
        if X.ndim != 2:
            raise ValueError(f"X must have shape (n_x, m), not {X.shape}")
        self._lock = threading.RLock()  # the descent's state, stepped on one thread and read on another
        self.n_x, self.m = X.shape
        self.y = np.asarray(Y, dtype=float).reshape(-1)
        if self.y.size != self.m:
            raise ValueError(f"Y has {self.y.size} labels but X has {self.m} examples")
        self.loss = get_loss(loss)
        self.init, self.seed, self.hidden = init, seed, tuple(hidden)
        self.activation, self.init_scale, self._method = activation, init_scale, method
        self._optimizer = self._checked(optimizer or Optimizer())
        self.net = Network(self.n_x, self.hidden, activation, self.loss.name, self._optimizer.lam)
        self.theta_start = initial_parameters(self.net, init, seed, init_scale)
        self._alpha = float(alpha)
        self._rebuild(X, self.theta_start)
        self._set_test(X_test, Y_test)
        self.metric_stride = int(metric_stride)
        #: Extra figures recorded with the metrics: ``probe(run) -> {name: value}``.
        self.probe = None
        #: θ along the path up to an iteration, thinned, for the surface: ``surface_path(until)``.
        self.surface_path = PathThetas(self)
        self.history = History()
        self.history.set_alpha(0, self._alpha)
        self.history.set_optimizer(0, self._optimizer)
        self.opt_state = OptimizerState()
        self.iteration = self.replay_from = 0
        self.diverged_at: int | None = None
        #: Why the run stopped, when its next step overflowed: one sentence naming the setting at fault.
        self.overflow: str | None = None
        self._restart_path()
        if not np.all(np.isfinite(self.z)):
            raise ValueError("the starting point gives non-finite z")
        self.start_cost = self._divergence_base = self.cost

    # ------------------------------------------------------------------ set-up
    def _new_descent(self, X: np.ndarray, theta: np.ndarray) -> NetworkDescent:
        return NetworkDescent(self.net, X, self.y, theta, alpha=self._alpha, method=self._method)

    def _rebuild(self, X: np.ndarray, theta: np.ndarray) -> None:
        """A new descent on X from θ (network.py's layout) for ``self.net``: the test set is seen by it too."""
        self._descent = self._new_descent(X, theta)
        self._descent_start = np.array(theta, dtype=float)  # its own start: its coordinates are relative to it
        self.param = NetworkCoordinates(self.net, X, self._descent.method)
        if getattr(self, "test", None) is not None:
            self.test = NetworkExamples(self.net, self.test.X)

    def _checked(self, optimizer: Optimizer) -> Optimizer:
        if not isinstance(optimizer, Optimizer):
            raise TypeError(f"optimizer must be an Optimizer, not {type(optimizer).__name__}")
        if problem := unsupported(optimizer, self.m):
            raise ValueError(problem)
        return optimizer

    def _set_test(self, X_test, Y_test) -> None:
        self.test, self.y_test = None, None
        if X_test is None or Y_test is None:
            return
        X_test = np.asarray(X_test)
        if X_test.ndim != 2 or X_test.shape[0] != self.n_x:
            raise ValueError(f"the test set has {X_test.shape[0]} features per example, the training set {self.n_x}")
        self.y_test = np.asarray(Y_test, dtype=float).reshape(-1)
        if self.y_test.size != X_test.shape[1]:
            raise ValueError(f"the test set has {self.y_test.size} labels for {X_test.shape[1]} examples")
        self.test = NetworkExamples(self.net, X_test)

    def _restart_path(self) -> None:
        """The replayable past starts at the current iteration (a new descent: a new λ, new data, a session)."""
        self._moved()
        self.replay_from = self.iteration
        self._origin = (self.iteration, self._coordinates())
        self.trajectory = Trajectory([], [], stride=CHECKPOINT_EVERY)
        self._checkpoint()

    def _checkpoint(self) -> None:
        """The descent's own coordinates (for exact replays) where the path's stride falls, in at most
        CHECKPOINT_BYTES: its θ is not kept (W1 alone is n_1·n_x numbers; the surface builds θ at a few of them,
        network_path.py)."""
        path = self.trajectory
        if self.iteration % path.stride:
            return
        path.offer(self.iteration, _NO_THETA, coordinates := self._coordinates())
        while len(path.iterations) > 2 and 8 * coordinates[0].size * len(path.iterations) > CHECKPOINT_BYTES:
            path.stride *= 2
            keep = [i for i, it in enumerate(path.iterations) if it % path.stride == 0]
            path.iterations, path.thetas, path.states = ([column[i] for i in keep] for column in
                                                         (path.iterations, path.thetas, path.states))

    def _coordinates(self) -> tuple[np.ndarray, np.ndarray]:
        d = self._descent
        return d._theta.copy(), d._c0.copy()  # the descent's own coordinates, for exact replays

    def _set_coordinates(self, saved: tuple[np.ndarray, np.ndarray]) -> None:
        d = self._descent
        d._theta[:], d._c0[:] = saved  # in place: the descent's buffers are views of them
        self._moved()

    # ------------------------------------------------------------------ state
    def _moved(self) -> None:
        """The descent's state changed: θ and z are built again when asked."""
        self._now = self._z = None

    @property
    def theta(self) -> np.ndarray:
        """θ now, in network.py's layout (built once per state; do not write into it). Under the run's lock: a
        reader on another thread never builds it from a state half stepped."""
        with self._lock:
            if self._now is None:
                self._now = self._descent.theta
            return self._now

    @property
    def z(self) -> np.ndarray:
        """The output unit's z for every training example at θ now."""
        with self._lock:
            if self._z is None:
                self._z = self.param.train.z(self.theta)
            return self._z

    @property
    def method(self) -> str:
        return self._descent.method

    @property
    def path_reason(self) -> str:
        return ("gram: W1 stays in W1₀ + span(xᵢ) and m < n_x, so Z1 comes from K = XᵀX" if self.method == "gram"
                else "primal: W1 is stepped as it is")

    @property
    def alpha(self) -> float:
        return self._alpha

    @alpha.setter
    def alpha(self, value: float) -> None:
        self._descent.alpha = value  # checks it
        value = float(value)
        if value != self._alpha:  # a new α is watched afresh, from the cost where it starts
            self.diverged_at, self._divergence_base = None, self.cost
        self._alpha = value
        self.history.set_alpha(self.iteration, value)
        self.overflow = None

    @property
    def optimizer(self) -> Optimizer:
        return self._optimizer

    @optimizer.setter
    def optimizer(self, value: Optimizer) -> None:
        """Full-batch descent only (``unsupported`` says why not); a new λ goes on from θ in a new descent."""
        value = self._checked(value)
        old, self._optimizer = self._optimizer, value
        self.history.set_optimizer(self.iteration, value)
        self.overflow = None
        if value.lam != old.lam:
            theta = self.theta
            self.net = Network(self.n_x, self.hidden, self.activation, self.loss.name, value.lam)
            self._rebuild(self.param.X, theta)
            self._restart_path()
        if value != old:
            self.diverged_at, self._divergence_base = None, self.cost

    @property
    def halted(self) -> bool:
        """Whether the next step would overflow (``overflow`` says why); a new α or optimizer clears it."""
        return self.overflow is not None

    @property
    def cost(self) -> float:
        """J at θ now, with (λ/2m) Σ‖W_l‖² under L2: the J the descent minimizes."""
        return float(self.loss.cost(self.z, self.y)) + self.penalty()

    @property
    def stretch_start_cost(self) -> float:
        """J where the current α and optimizer took over: ending above it is diverging."""
        return self._divergence_base

    def penalty(self, theta: np.ndarray | None = None, optimizer: Optimizer | None = None) -> float:
        """(λ/2m) Σ‖W_l‖² of ``optimizer`` (default: the run's) at θ (default: now); 0 without L2."""
        lam = (self.optimizer if optimizer is None else optimizer).lam
        return lam / (2 * self.m) * weights_square(self.net, self.theta if theta is None else theta) if lam else 0.0

    def a(self) -> np.ndarray:
        """ŷ for every training example at θ now."""
        return 0.5 + 0.5 * np.tanh(0.5 * self.z)

    def batch_rows(self, state: OptimizerState | None = None, optimizer: Optimizer | None = None) -> None:
        """Every step uses all m examples."""
        return None

    def metrics(self) -> dict[str, float | None]:
        """Train J (with L2) and accuracy; test J and accuracy when there is a test set; the probe's figures."""
        out: dict[str, float | None] = {"train_cost": self.cost, "train_accuracy": accuracy(self.z, self.y),
                                        "test_cost": None, "test_accuracy": None}
        if self.test is not None:
            zt = self.test.z(self.theta)
            out["test_cost"] = float(self.loss.cost(zt, self.y_test))
            out["test_accuracy"] = accuracy(zt, self.y_test)
        if self.probe is not None:
            out.update(self.probe(self))
        return out

    # ------------------------------------------------------------------ iterating
    def step(self, n: int = 1, cancelled=None) -> int:
        """Run up to n iterations; returns how many ran. Fewer run when the next step would overflow, or when
        ``cancelled()`` (asked every CANCEL_EVERY iterations) returns True. ``step(0)`` records due metrics."""
        done = 0
        while done < n and not self.halted:
            self._record_metrics_if_due()
            if cancelled is not None and cancelled():
                break
            it = self.iteration
            boundary = (it // self.metric_stride + 1) * self.metric_stride
            mark = (it // self.trajectory.stride + 1) * self.trajectory.stride
            want = min(n - done, CANCEL_EVERY, boundary - it, mark - it)
            ran = self._advance(want)
            done += ran
            self._checkpoint()
            if ran < want:
                break
        if not self.halted:
            self._record_metrics_if_due()
        return done

    def _record_metrics_if_due(self) -> None:
        if self.iteration % self.metric_stride == 0 and self.history.last_metric_iteration != self.iteration:
            self.history.record_metrics(self.iteration, self.metrics())

    def _advance(self, k: int) -> int:
        """k steps of the descent; on a step whose z is not finite, back to the last state whose own z is."""
        with self._lock:
            return self._advance_locked(k)

    def _advance_locked(self, k: int) -> int:
        d = self._descent
        saved = self._coordinates() if k else None
        ran = d.step(k)
        costs = take_costs(d)
        if not d.diverged:
            self._accept(costs)
            return ran
        # the descent stopped at a state whose z is not finite (its J is missing): one step less is the last good one
        self._set_coordinates(saved)
        d.diverged = False
        good = max(ran - 1, 0)
        if good:
            d.step(good)
            self._accept(take_costs(d))
        self.overflow = (f"the step overflowed at iteration {self.iteration}: "
                         f"{explain(self._optimizer, self._alpha, self.m, 0, None, {})}")
        self.diverged_at = self.diverged_at if self.diverged_at is not None else self.iteration + 1
        return good

    def _accept(self, costs: np.ndarray) -> None:
        self.history.costs.extend(costs)
        self.iteration += costs.size
        self.opt_state.epoch += costs.size  # full batch: one iteration, one epoch
        self._moved()

    # ------------------------------------------------------------------ the past
    def full_state_at(self, iteration: int) -> tuple[np.ndarray, OptimizerState]:
        """(θ, the optimizer's state) at an earlier iteration: from the nearest checkpoint, the same descent
        replayed with the recorded α's, so θ is the one stepping reached, to the bit."""
        if not self.replay_from <= iteration <= self.iteration:
            raise ValueError(f"iteration {iteration} is outside {self.replay_from}..{self.iteration}")
        if iteration == self.iteration:
            return self.theta.copy(), self.opt_state.copy()
        with self._lock:  # the live descent replays, and is given back as it was
            start, coordinates = self._nearest(iteration)
            d, now, alpha = self._descent, self._coordinates(), self._alpha
            try:
                self._set_coordinates(coordinates)
                self._replay(start, iteration)
                theta = d.theta
            finally:
                self._set_coordinates(now)
                d.alpha, d.diverged = alpha, False
                take_costs(d)
        return theta, OptimizerState(epoch=iteration)

    def state_at(self, iteration: int) -> np.ndarray:
        return self.full_state_at(iteration)[0]

    def _nearest(self, iteration: int) -> tuple[int, tuple[np.ndarray, np.ndarray]]:
        path = self.trajectory
        k = max((i for i, it in enumerate(path.iterations) if it <= iteration), default=None)
        return self._origin if k is None or path.iterations[k] < self._origin[0] else (path.iterations[k],
                                                                                        path.states[k])

    def _replay(self, start: int, end: int) -> None:
        """The descent's steps from ``start`` to ``end``, each stretch at the α recorded for it."""
        d, it = self._descent, start
        while it < end:
            alpha = self.history.alpha_at(it)
            later = [s for s, _ in self.history.alpha_changes if it < s < end]
            stop = min(later, default=end)
            if d.alpha != alpha:
                d.alpha = alpha
            d.step(stop - it)
            it = stop
