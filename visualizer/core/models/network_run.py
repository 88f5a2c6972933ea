"""A network as the window trains it: GradientDescent's protocol over NetworkDescent's fast loop, or core/optim's
chain for every other optimizer, batch size and decay (core/models/network_steppers.py).

The training controller, the frame and the panels drive a run through one set of names (``step(n,
cancelled)``, ``history``, ``full_state_at(i)``, ``z``, ``cost``, ``metrics()``, ``halted``...). This
object gives them for a network by composition: a stepper (NetworkDescent or NetworkOptimized) does the
steps; this keeps the history, the metrics at their stride, the checkpoints and the halts.

* **Replays are exact.** A checkpoint keeps the stepper's own coordinates (on the Gram path
  W1 = c₀ W1₀ + C Xᵀ: its C and c₀) and the optimizer's state (moments, step count, epoch, position),
  and a replay runs the same stepper from there with the recorded α's and optimizers, so it reaches the
  very bits stepping reached.
* **Halts as the engine's.** When an iteration's Z_L is not finite, the run stops at the last
  iteration whose own z is finite (``overflow`` says why, ``halted`` is True) until α changes.
* **θ is network.py's layout** (each layer's rows [W_l | b_l]), as the frame sees it.

A new optimizer its coordinates can follow (another kind on θ itself, a span-preserving one on the
Gram path, a new β, B, decay or λ) goes on in the same stepper, its moments kept as ``transition`` says.
Otherwise (plain descent to or from another optimizer, a Gram path to RMSProp/Adam/AdaGrad, a new λ on
plain descent) it goes on from the same θ in a new stepper, where the replayable past restarts (as a
data edit does); ``restart_why`` says why.
"""

from __future__ import annotations

import threading

import numpy as np

from visualizer.core.engine.data_changes import checked_test
from visualizer.core.engine.history import History
from visualizer.core.engine.losses import Loss, get_loss
from visualizer.core.engine.metrics import accuracy
from visualizer.core.engine.run_readings import RunReadings
from visualizer.core.engine.trajectory import Trajectory
from visualizer.core.models.network import DEFAULT_SCALE, Network, initial_parameters, output_z, weights_square
from visualizer.core.models.network_keeping import NetworkKeeping
from visualizer.core.models.network_path import PathThetas
from visualizer.core.models.network_steppers import new_stepper
from visualizer.core.optim.optimizers import Optimizer, OptimizerState, epoch_order, transition
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


class NetworkRun(NetworkKeeping, RunReadings):
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
        self._lock = threading.RLock()  # the stepper's state, stepped on one thread and read on another
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
        self._rebuild(X, self.theta_start, OptimizerState())
        self._set_test(X_test, Y_test)
        self.metric_stride = int(metric_stride)
        #: Extra figures recorded with the metrics: ``probe(run) -> {name: value}``.
        self.probe = None
        #: θ along the path up to an iteration, thinned, for the surface: ``surface_path(until)``.
        self.surface_path = PathThetas(self)
        self.history = History()
        self.history.set_alpha(0, self._alpha)
        self.history.set_optimizer(0, self._optimizer)
        self.iteration = self.replay_from = 0
        self.diverged_at: int | None = None
        #: Why the run stopped, when its next step overflowed: one sentence naming the setting at fault.
        self.overflow: str | None = None
        #: Why the replayable past last restarted in a new stepper (None: it never did).
        self.restart_why: str | None = None
        self._switch_base: tuple | None = None
        self._restart_path()
        if not np.all(np.isfinite(self.z)):
            raise ValueError("the starting point gives non-finite z")
        self.start_cost = self._divergence_base = self.cost

    # ------------------------------------------------------------------ set-up
    def _new_stepper(self, X: np.ndarray, theta: np.ndarray, state: OptimizerState, optimizer: Optimizer):
        method = self._method if optimizer.is_plain(X.shape[1]) or self._method != "gram" else "auto"
        return new_stepper(self.net, X, self.y, theta, alpha=self._alpha, optimizer=optimizer, seed=self.seed,
                           method=method, state=state)

    def _rebuild(self, X: np.ndarray, theta: np.ndarray, state: OptimizerState) -> None:
        """A new stepper on X from θ (network.py's layout) for ``self.net``: the test set is seen by it too."""
        self._stepper = self._new_stepper(X, theta, state, self._optimizer)
        self._descent_start = np.array(theta, dtype=float)  # its own start: its coordinates are relative to it
        self.param = NetworkCoordinates(self.net, X, self._stepper.method)
        if getattr(self, "test", None) is not None:
            self.test = NetworkExamples(self.net, self.test.X)

    @staticmethod
    def _checked(optimizer: Optimizer) -> Optimizer:
        if not isinstance(optimizer, Optimizer):
            raise TypeError(f"optimizer must be an Optimizer, not {type(optimizer).__name__}")
        return optimizer

    def _set_test(self, X_test, Y_test) -> None:
        self.test, self.y_test = None, None
        if X_test is None or Y_test is None:
            return
        X_test, self.y_test = checked_test(X_test, Y_test, self.n_x)
        self.test = NetworkExamples(self.net, X_test)

    def _restart_path(self) -> None:
        """The replayable past starts at the current iteration (a new stepper: new data, a session...)."""
        self._moved()
        self.replay_from = self.iteration
        self._origin = (self.iteration, self._kept())
        self.trajectory = Trajectory([], [], stride=CHECKPOINT_EVERY)
        self._checkpoint()

    def _checkpoint(self) -> None:
        """The stepper's own coordinates and the optimizer's state (for exact replays) where the path's stride
        falls, in at most CHECKPOINT_BYTES: its θ is not kept (W1 alone is n_1·n_x numbers; the surface builds
        θ at a few of them, network_path.py)."""
        path = self.trajectory
        if self.iteration % path.stride:
            return
        path.offer(self.iteration, _NO_THETA, kept := self._kept())
        size = sum(a.size for a in kept[0]) + sum(a.size for a in kept[1].arrays.values())
        while len(path.iterations) > 2 and 8 * size * len(path.iterations) > CHECKPOINT_BYTES:
            path.stride *= 2
            keep = [i for i, it in enumerate(path.iterations) if it % path.stride == 0]
            path.iterations, path.thetas, path.states = ([column[i] for i in keep] for column in
                                                         (path.iterations, path.thetas, path.states))

    def _kept(self) -> tuple[tuple[np.ndarray, ...], OptimizerState]:
        """What a replay starts from: the stepper's own coordinates and the optimizer's state."""
        return self._stepper.coordinates(), self._stepper.state.copy()

    def _take_back(self, kept: tuple[tuple[np.ndarray, ...], OptimizerState]) -> None:
        self._stepper.set_coordinates(kept[0])
        self._stepper.state = kept[1].copy()
        self._moved()

    @property
    def opt_state(self) -> OptimizerState:
        """The optimizer's state now (its moments in the stepper's coordinates)."""
        return self._stepper.state

    @opt_state.setter
    def opt_state(self, value: OptimizerState) -> None:
        self._stepper.state = value

    # ------------------------------------------------------------------ state
    def _moved(self) -> None:
        """The stepper's state changed: θ and z are built again when asked."""
        self._now = self._z = None

    @property
    def theta(self) -> np.ndarray:
        """θ now, in network.py's layout (built once per state; do not write into it). Under the run's lock: a
        reader on another thread never builds it from a state half stepped."""
        with self._lock:
            if self._now is None:
                self._now = self._stepper.theta
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
        return self._stepper.method

    @property
    def path_reason(self) -> str:
        via = "" if self._stepper.plain else f" ({self._optimizer.kind} through core/optim's chain)"
        return ("gram: W1 stays in W1₀ + span(xᵢ) and m < n_x, so Z1 comes from K = XᵀX" if self.method == "gram"
                else "primal: W1 is stepped as it is") + via

    @property
    def alpha(self) -> float:
        return self._alpha

    @alpha.setter
    def alpha(self, value: float) -> None:
        self._stepper.set_alpha(self._take_alpha(value))

    @property
    def optimizer(self) -> Optimizer:
        return self._optimizer

    @optimizer.setter
    def optimizer(self, value: Optimizer) -> None:
        """Takes effect on the next iteration: in the same stepper when its coordinates can follow (a new kind
        starts its moments from zero, a new batch size a new epoch), else from θ in a new one."""
        value = self._checked(value)
        old, self._optimizer = self._optimizer, value
        self.history.set_optimizer(self.iteration, value)
        self.overflow = None
        if value == old:
            return
        with self._lock:
            if self._switch_base is None or self._switch_base[0] != self.iteration:  # the state before any switch
                self._switch_base = (self.iteration, self.history.optimizer_at(self.iteration - 1)
                                     if self.iteration > self.replay_from else old, self.opt_state.copy())
            _, before, state = self._switch_base
            state = state.copy()
            transition(state, before, value, self.m)
            self.net = Network(self.n_x, self.hidden, self.activation, self.loss.name, value.lam)
            stepper = self._stepper
            if not stepper.plain and stepper.follows(value):
                stepper.set_optimizer(value, self.net)
                stepper.state = state
            elif stepper.plain and value.is_plain(self.m) and value.lam == old.lam:
                pass
            else:
                self._rebuild(self.param.X, self.theta.copy(), state)
                self.restart_why = self._why_restart(old, value)
                self._restart_path()
            self._moved()
        self.diverged_at, self._divergence_base = None, self.cost

    def _why_restart(self, old: Optimizer, new: Optimizer) -> str:
        if old.is_plain(self.m) and new.is_plain(self.m):
            return "the network's descent started again with the new λ"
        if new.is_plain(self.m):
            return "the network went back to full-batch descent's own loop"
        return f"the network's {new.kind} started again from θ in new coordinates ({self.method})"

    def penalty(self, theta: np.ndarray | None = None, optimizer: Optimizer | None = None) -> float:
        """(λ/2m) Σ‖W_l‖² of ``optimizer`` (default: the run's) at θ (default: now); 0 without L2."""
        lam = (self.optimizer if optimizer is None else optimizer).lam
        return lam / (2 * self.m) * weights_square(self.net, self.theta if theta is None else theta) if lam else 0.0

    def a(self) -> np.ndarray:
        """ŷ for every training example at θ now."""
        return 0.5 + 0.5 * np.tanh(0.5 * self.z)

    def batch_rows(self, state: OptimizerState | None = None, optimizer: Optimizer | None = None):
        """The examples of the next step (None: all m), from ``state`` (default: now) under ``optimizer``."""
        optimizer, state = optimizer or self._optimizer, state or self.opt_state
        size = optimizer.batch(self.m)
        if size >= self.m:
            return None
        order = state.order if state.order is not None else epoch_order(self.m, self.seed, state.epoch)
        return order[state.position : state.position + size].copy()

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
        return max(done, 0)  # a step taken back is not counted against the caller's

    def _record_metrics_if_due(self) -> None:
        if self.iteration % self.metric_stride == 0 and self.history.last_metric_iteration != self.iteration:
            self.history.record_metrics(self.iteration, self.metrics())

    def _advance(self, k: int) -> int:
        """k steps of the stepper; where the next step would overflow, the run halts at the last good state."""
        with self._lock:
            costs, halted, undone = self._stepper.advance(k)
            if undone:  # the step before this call took θ where J is not finite: it is taken back
                self.iteration -= undone
                self._forget_after(self.iteration)
            self.history.costs.extend(costs)
            self.iteration += costs.size
            self._moved()
            if halted:
                self.overflow = (f"the step overflowed at iteration {self.iteration}: " + explain(
                    self._optimizer, self._alpha, self.m, self.opt_state.t, None, self.opt_state.arrays))
                self.diverged_at = self.diverged_at if self.diverged_at is not None else self.iteration + 1
            return costs.size - undone
