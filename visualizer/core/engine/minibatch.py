"""The engine's iterations for every Optimizer other than plain batch descent (see core/optim/optimizers.py).

One iteration: take the next batch of the epoch's shuffled order, compute its z in the run's
coordinates (rows of K = X^T X on the Gram path, rows of X^T on the primal path), record the
batch's J_reg (the cost this iteration minimizes), form the batch's mean gradient at the point
the optimizer names (θ, or Nesterov's look-ahead), and let the optimizer's chain step (it adds
L2's (λ/m)·w). Nothing non-finite is ever accepted: an iteration whose z, cost or step is not
finite, or after which some example's z or the L2 penalty could be (``in_range``), halts the run before it
changes anything, and ``overflow`` says which setting made the step overflow (core/optim/overflow.py).

The full J_reg of all m examples is what the metrics record at their stride (``metric_stride``):
for a mini-batch run that is the course's "cost after iteration i" line.
Mixed into GradientDescent.
"""

from __future__ import annotations

import numpy as np

from visualizer.core.optim.optimizers import Optimizer, OptimizerState, apply_step, epoch_order
from visualizer.core.optim.overflow import explain

#: The largest |z| and L2 penalty a state may reach: every cost is then a number (at most about this).
LIMIT = 1e300


class MiniBatchSteps:
    """Needs from the engine: param, loss, y, m, seed, theta, optimizer, opt_state, _alpha, history, trajectory."""

    def _batch_rows(self) -> np.ndarray:
        """The examples as rows, contiguous, for gathering a batch (X^T on the primal path: no copy when
        X is Fortran-ordered, as the data package makes it)."""
        if self._rows is None:
            if self.param.kind == "gram":
                self._rows = self.param.train.matrix
            else:
                self._rows = np.ascontiguousarray(self.param.X.T)
        return self._rows

    def batch_rows(self, state: OptimizerState | None = None, optimizer: Optimizer | None = None
                   ) -> np.ndarray | None:
        """The examples the step from ``state`` (default: the next step) uses; None when it uses all m."""
        state = self.opt_state if state is None else state
        size = (self.optimizer if optimizer is None else optimizer).batch(self.m)
        if size >= self.m:
            return None
        order = state.order if state.order is not None else epoch_order(self.m, self.seed, state.epoch)
        return order[state.position : state.position + size].copy()

    def squared_w(self, theta: np.ndarray | None = None) -> float:
        """|w|^2 at theta (default: the current point), in the run's coordinates."""
        theta = self.theta if theta is None else theta
        c = theta[:-1]
        if self.param.kind == "gram":
            return float(c @ (self.param.metric @ c))
        return float(c @ c)

    def penalty(self, theta: np.ndarray | None = None, optimizer: Optimizer | None = None) -> float:
        """(λ / 2m)·|w|^2 of ``optimizer`` (default: the run's): what L2 adds to J (0 without L2)."""
        l2 = (self.optimizer if optimizer is None else optimizer).l2(self.m)
        return l2.penalty(self.squared_w(theta)) if l2 else 0.0

    def in_range(self, theta: np.ndarray, l2) -> bool:
        """Whether every example's z (training and test) and the penalty of ``l2`` at theta are surely at most
        LIMIT: |z_i| <= max|A|·Σ|c_j| + |b| (A the examples in the run's coordinates), and on the Gram path
        |w|² <= (Σ|c_j|)²·max K_jj. O(dim): cheap beside any step."""
        coef = float(np.abs(theta[:-1]).sum())
        reach = self.param.train.reach if self.test is None else max(self.param.train.reach, self.test.reach)
        if not coef * reach + abs(float(theta[-1])) <= LIMIT:
            return False
        if not l2:
            return True
        if self.param.kind == "gram":
            squared = coef * coef * float(np.diagonal(self.param.metric).max(initial=0.0))
        else:
            squared = float(theta[:-1] @ theta[:-1])
        return bool(l2.penalty(squared) <= LIMIT)

    def _batch_z(self, rows: np.ndarray | None, params: np.ndarray) -> np.ndarray:
        """z of the batch's examples (``rows`` of the run's coordinates; None: all m) at ``params``."""
        if rows is None:
            return self.param.train.z(params)
        # numpy's own loops, not BLAS: a batch is too small to gain from BLAS threads, and on a busy
        # machine their hand-offs made each product 10x slower (bench_scale).
        if self.param.kind == "gram":
            return np.einsum("ij,j->i", rows, params)
        w = params[:-1] if rows.dtype == np.float64 else params[:-1].astype(rows.dtype)
        return np.asarray(np.einsum("ij,j->i", rows, w), dtype=float) + params[-1]

    def _iterate(self, theta: np.ndarray, state: OptimizerState, opt: Optimizer, alpha0: float) -> float | None:
        """One iteration in place on (theta, state); its batch J_reg, or None (nothing changed) if not finite.

        Callers wrap their loop in ``np.errstate(over="ignore", invalid="ignore")`` (once, not per iteration)."""
        m, size = self.m, opt.batch(self.m)
        steps = opt.chain(m)
        alpha = steps.alpha(alpha0, state.epoch)
        point = steps.lookahead(theta, state, alpha)  # where the gradient is taken: theta, or Nesterov's look-ahead
        rows = None
        if size < m:
            if state.order is None:
                state.order = epoch_order(m, self.seed, state.epoch)
            I = state.order[state.position : state.position + size]
            source = self._batch_rows()
            if self._batch_buffer is None or self._batch_buffer.shape[0] < size:
                self._batch_buffer = np.empty((size, source.shape[1]), dtype=source.dtype)
            rows = np.take(source, I, axis=0, out=self._batch_buffer[: I.size], mode="wrap")  # unbuffered, no new pages
            y = self.y[I]
        else:
            I, y = None, self.y
        z = self._batch_z(rows, theta)
        cost = float(self.loss.cost(z, y))
        if steps.l2:
            cost += steps.l2.penalty(self.squared_w(theta))
        z_grad = z if point is theta else self._batch_z(rows, point)
        if not np.isfinite(cost) or not np.isfinite(z).all() or not np.isfinite(z_grad).all():
            self._cause = explain(opt, alpha, m, state.t, None, state.arrays)
            return None
        dz = self.loss.dz(z_grad, y)
        g = np.zeros(self.param.dim) if I is not None and self.param.kind == "gram" else np.empty(self.param.dim)
        if I is None:
            self.param.gradient_into(dz, g)
        elif self.param.kind == "gram":
            g[I] = dz
            g[-1] = dz.sum()
        else:
            g[:-1] = np.einsum("i,ij->j", dz.astype(rows.dtype), rows)
            g[-1] = dz.sum()
        g /= y.size  # the lecture's order, (X dz) / B: RMSProp and Adam magnify rounding in tiny gradients by 1/ε
        taken, update, new = apply_step(steps, state, theta, g, point, alpha, lambda t: self.in_range(t, steps.l2))
        if not taken:
            self._cause = explain(opt, alpha, m, state.t + 1, update, new)
            return None
        state.position += size
        if state.position >= m:
            state.position, state.order = 0, None
            state.epoch += 1
        return cost

    def _optimized_chunk(self, n: int, cancelled=None) -> int:
        """n iterations of the optimizer in force; returns how many ran (fewer: cancelled or halted)."""
        opt, state, theta = self.optimizer, self.opt_state, self.theta
        costs = np.empty(n)
        marks = set(self.trajectory.marks(self.iteration, n))
        ran = 0
        with np.errstate(over="ignore", invalid="ignore"):
            for i in range(n):
                if cancelled is not None and cancelled():
                    break
                if i in marks:
                    self.trajectory.offer(self.iteration + i, theta, state.copy())
                cost = self._iterate(theta, state, opt, self._alpha)
                if cost is None:
                    self.overflow = f"the step overflowed at iteration {self.iteration + i}: {self._cause}"
                    if self.diverged_at is None:
                        self.diverged_at = self.iteration + i
                    break
                costs[i] = cost
                ran += 1
        if ran:
            self.history.costs.extend(costs[:ran])
            self.iteration += ran
            self._z = None  # the full z is computed when someone asks for it
        return ran

    def _replay_optimized(self, theta: np.ndarray, state: OptimizerState, start: int, stop: int) -> None:
        """From (theta, state) at ``start`` to ``stop``, with the recorded alphas and optimizers."""
        with np.errstate(over="ignore", invalid="ignore"):
            for it in range(start, stop):
                if self._iterate(theta, state, self.history.optimizer_at(it), self.history.alpha_at(it)) is None:
                    raise ValueError(f"iteration {it} cannot be replayed: its step is not finite")
