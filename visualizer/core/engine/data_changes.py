"""A run's data changing under it (examples added, removed, relabelled), and a saved run taken up again.
Mixed into GradientDescent."""

from __future__ import annotations

import numpy as np

from visualizer.core.engine.parametrization import GRAM_MAX_BYTES, GramParametrization
from visualizer.core.engine.trajectory import SAVED_PAST_BYTES, ExactState, SavedPast, Trajectory
from visualizer.core.optim.optimizers import OptimizerState


def checked_test(X_test, Y_test, n_x: int) -> tuple[np.ndarray, np.ndarray]:
    """(X_test, y_test as a flat float array), or ValueError when they do not fit a training set of n_x features."""
    X_test = np.asarray(X_test)
    if X_test.ndim != 2 or X_test.shape[0] != n_x:
        raise ValueError(f"the test set has {X_test.shape[0]} features per example, the training set {n_x}")
    y_test = np.asarray(Y_test, dtype=float).reshape(-1)
    if y_test.size != X_test.shape[1]:
        raise ValueError(f"the test set has {y_test.size} labels for {X_test.shape[1]} examples")
    return X_test, y_test

class DataChanges:
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
            self.param = self._parametrization(np.asarray(X), w, "auto", y.size)
            theta = self.param.initial_theta(w, b)
        else:
            theta = self.theta
        if not keep_test:
            self._set_test(X_test, Y_test)
        self._data_changed(theta, y)

    def before_edit(self) -> dict:
        """The run as it stands, for ``undo_edit``: an edit of the data replaces the coordinates, the path and
        the buffers (it never changes them in place), so a shallow copy keeps them."""
        saved = dict(vars(self))
        saved["theta"], saved["opt_state"] = self.theta.copy(), self.opt_state.copy()
        return saved

    def undo_edit(self, saved: dict) -> bool:
        """Take back the run ``before_edit`` saved, path and all, so the iterations before the edit can be
        replayed again; only when no step was taken since with the same optimizer (the α in force stays).
        False, and nothing changed, otherwise."""
        if (saved["iteration"] != self.iteration or saved["history"] is not self.history
                or saved["_optimizer"] != self._optimizer):
            return False
        alpha = self._alpha
        for key in set(vars(self)) - set(saved):  # made since, for the edited data
            delattr(self, key)
        vars(self).update(saved)
        self._alpha = alpha
        return True

    def exact_state(self) -> ExactState:
        w0 = self.param._w0.copy() if isinstance(self.param, GramParametrization) else np.zeros(0)
        return ExactState(self.param.kind, w0, self.theta.copy(), self._divergence_base, self.diverged_at,
                          self.opt_state.copy(), self._saved_past())

    def _saved_past(self) -> SavedPast:
        """The path's points (a point of batch descent keeps only its epoch: its state is that), thinned to
        SAVED_PAST_BYTES except batch descent's on the Gram path: its points are computed in z, so a replay from an
        earlier one differs in the last bits (and they are small: m + 2 numbers each)."""
        path = self.trajectory
        states = tuple(OptimizerState(epoch=s) if isinstance(s, int) else OptimizerState() if s is None else s
                       for s in path.states)
        past = SavedPast(self.replay_from, path.stride, tuple(path.iterations), tuple(path.thetas), states)
        in_z = self.param.kind == "gram" and any(isinstance(s, int) for s in path.states)
        return past if in_z else past.thinned(SAVED_PAST_BYTES)

    def _take_past(self, past: SavedPast) -> None:
        """A saved run's path, so its iterations from ``past.start`` can be replayed again as they were."""
        dim = self.param.dim
        if not past.iterations or past.origin or any(t.shape != (dim,) or any(
                a.shape != (dim,) for a in s.arrays.values()) for t, s in zip(past.thetas, past.states, strict=True)):
            raise ValueError(f"the saved path does not fit this run's {dim} coordinates")
        self.trajectory = Trajectory(list(past.iterations), [t.copy() for t in past.thetas], past.stride,
                                     [s.copy() for s in past.states])
        self.replay_from = past.start

    def restore(self, w: np.ndarray, b: float, iteration: int, history, exact: ExactState | None = None) -> None:
        """Carry on a saved run from its (w, b) and history; its path is the saved one (``exact.past``), or older
        files' without one restarts at its last iteration.

        With ``exact`` it goes on in the saved run's own coordinates, so its next steps are the
        saved run's to the last bit; without (older files) from (w, b) re-expressed here.
        The optimizer in force is the history's last (``history.optimizer_changes``).
        """
        self._optimizer = history.optimizer_changes[-1][1]
        if exact is not None:
            param = self._parametrization(self.param.X, exact.w0 if exact.w0.size else np.zeros(self.n_x),
                                          exact.method, self.m)
            if param.dim != exact.theta.size:
                raise ValueError(f"the saved run has {exact.theta.size} coordinates, this data needs {param.dim}")
            self.param, theta = param, exact.theta.copy()
        else:
            self.param = self._parametrization(self.param.X, np.asarray(w, dtype=float), "auto", self.m)
            theta = self.param.initial_theta(w, b)
        self.iteration = iteration
        self.history = history
        self._alpha = history.alpha_changes[-1][1]
        self.diverged_at = None
        self._data_changed(theta, self.y)
        if exact is not None:
            self._divergence_base = exact.divergence_base
            # Where its next step was not finite; older files also marked a rise past 10x J, before the end.
            self.diverged_at = exact.diverged_at if (exact.diverged_at or -1) > iteration else None
            if exact.optimizer_state is not None:
                self.opt_state = exact.optimizer_state.copy()
            if exact.past is not None:
                self._take_past(exact.past)

    def _data_changed(self, theta: np.ndarray, y: np.ndarray) -> None:
        """The path so far was in other coordinates: it restarts here, and the past can no longer be replayed.

        The optimizer's moments (in the old coordinates) start again from zero, and so does the epoch's order.
        """
        self.theta = theta
        self.y = y
        self.m = y.size
        self._allocate()
        self.z = self.param.train.z(self.theta)
        if self.y_test is not None:
            self.test = self.param.examples(self._X_test)
        self.opt_state = OptimizerState(epoch=self.opt_state.epoch + (self.opt_state.position > 0))
        self.trajectory = Trajectory([], [])
        self.trajectory.offer(self.iteration, self.theta, self.opt_state.copy())
        self.replay_from = self.iteration
        self.start_cost = self._divergence_base = self.cost
        self.overflow = None

    def _set_test(self, X_test, Y_test) -> None:
        self.test, self.y_test, self._X_test = None, None, None
        if X_test is None or Y_test is None:
            return
        X_test, self.y_test = checked_test(X_test, Y_test, self.n_x)
        self._X_test = X_test
        self.test = self.param.examples(X_test)
