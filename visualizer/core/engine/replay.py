"""The past of a run: replaying it to any earlier iteration, rewinding to branch from there,
and the path another alpha would have taken (the ghost). Mixed into GradientDescent."""

from __future__ import annotations

import numpy as np

from visualizer.core.optim.optimizers import OptimizerState, transition


class Replay:
    def simulate(self, theta: np.ndarray, alpha: float, n: int, every: int = 10,
                 state: OptimizerState | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(costs, thetas every ``every`` iterations) of n iterations from ``theta`` at a fixed alpha.

        This run is left untouched: it draws the 'ghost' of the path an old alpha would have
        taken. Stops early on overflow. With an optimizer other than batch descent, the ghost
        runs that optimizer from ``state`` (``full_state_at(i)[1]``; default: fresh moments).
        """
        theta = theta.copy()
        if not self._optimizer.is_plain(self.m):
            state = OptimizerState() if state is None else state.copy()
            costs, thetas = [], []
            with np.errstate(over="ignore", invalid="ignore"):
                for i in range(n):
                    if i % every == 0:
                        thetas.append(theta.copy())
                    cost = self._iterate(theta, state, self._optimizer, alpha)
                    if cost is None:
                        thetas = thetas[:-1] if i % every == 0 else thetas
                        break
                    costs.append(cost)
            return np.array(costs), np.array(thetas).reshape(-1, self.param.dim)
        z, dz, grad = np.empty(self.m), np.empty(self.m), np.empty(self.param.dim)
        costs, thetas, l2 = [], [], self._optimizer.l2(self.m)
        with np.errstate(over="ignore", invalid="ignore"):
            for i in range(n):
                self.param.train.z_into(theta, z)
                cost = float(self.loss.cost(z, self.y)) + (l2.penalty(self.squared_w(theta)) if l2 else 0.0)
                if not np.isfinite(cost):
                    break
                costs.append(cost)
                if i % every == 0:
                    thetas.append(theta.copy())
                self._plain_step(theta, z, alpha, l2, dz, grad)
        return np.array(costs), np.array(thetas).reshape(-1, self.param.dim)

    def state_at(self, iteration: int) -> np.ndarray:
        """theta at an earlier iteration: the nearest stored point, then a replay with the recorded alphas."""
        return self.full_state_at(iteration)[0]

    def full_state_at(self, iteration: int) -> tuple[np.ndarray, OptimizerState]:
        """(theta, the optimizer's state) at an earlier iteration, replayed with the recorded alphas and
        optimizers from the nearest stored point."""
        if not self.replay_from <= iteration <= self.iteration:
            raise ValueError(f"iteration {iteration} is outside {self.replay_from}..{self.iteration}")
        if iteration == self.iteration:
            return self.theta.copy(), self.opt_state.copy()
        k = max(i for i, it in enumerate(self.trajectory.iterations) if it <= iteration)
        start = self.trajectory.iterations[k]
        theta = self.trajectory.thetas[k].copy()
        stored = self.trajectory.states[k] if k < len(self.trajectory.states) else None
        if isinstance(stored, int):  # a point of batch descent: no moments, only its epoch
            state = OptimizerState(epoch=stored)
        else:
            state = OptimizerState() if stored is None else stored.copy()
        z, dz, grad = np.empty(self.m), np.empty(self.m), np.empty(self.param.dim)
        previous = self.history.optimizer_at(start)
        for it in range(start, iteration):
            opt = self.history.optimizer_at(it)
            if opt != previous:
                transition(state, previous, opt, self.m)
                previous = opt
            if not opt.is_plain(self.m):
                self._replay_optimized(theta, state, it, it + 1)
                continue
            self.param.train.z_into(theta, z)
            self._plain_step(theta, z, self.history.alpha_at(it), opt.l2(self.m), dz, grad)
            state.epoch += 1
        return theta, state

    def rewind(self, iteration: int) -> None:
        """Go back to ``iteration`` and forget what came after: training on starts a new branch.

        The alpha and optimizer now in force stay in force: they are what the learner has chosen to go on with.
        """
        alpha, optimizer = self._alpha, self._optimizer
        theta, state = self.full_state_at(iteration)
        self.theta[:] = theta
        self.opt_state = state
        self.z = self.param.train.z(theta)
        self.iteration = iteration
        self.history.truncate(iteration)
        self._alpha = self.history.alpha_changes[-1][1]
        self._optimizer = self.history.optimizer_changes[-1][1]
        if alpha != self._alpha:
            self.alpha = alpha
        if optimizer != self._optimizer:
            self.optimizer = optimizer
        self.trajectory.truncate(iteration + 1)
        self.trajectory.offer(iteration, theta, state.copy())
        if self.diverged_at is not None and self.diverged_at >= iteration:
            self.diverged_at = None
        self.overflow = None
