"""θ along a network run's path, for the surface: thinned to a memory budget, each point built once.

NetworkRun's checkpoints keep the descent's own coordinates, not θ (the deep model's θ is 246,000
numbers). The surface projects θ itself, so this builds θ at a thinned subset of the checkpoints
(every ``every`` iterations, a power-of-two multiple of the checkpoints' stride, so the chosen
iterations stay the same as the run grows) and keeps them while they are still chosen.
"""

from __future__ import annotations

import threading

import numpy as np

#: The path's θ rows at most: 32 MB (16 points of the deep model, PATH_POINTS of a small one).
PATH_BYTES = 32 * 2**20
#: Points at most, however small θ is.
PATH_POINTS = 64


def path_budget(size: int) -> int:
    """How many θ of ``size`` numbers the surface's path keeps: at least 2, at most PATH_POINTS."""
    return max(2, min(PATH_POINTS, PATH_BYTES // (8 * max(size, 1))))


class PathThetas:
    """``run_path(until)`` -> (iterations, θ rows, every): the run's path up to ``until`` for the surface."""

    def __init__(self, run):
        self.run = run
        self._built: dict[int, tuple[object, np.ndarray]] = {}  # iteration -> (its checkpoint, θ there)
        self._lock = threading.Lock()  # the surface is drawn on a worker, and at once when forced
        self._memo: tuple | None = None  # (key, θ, what was made there): ``remembered``

    def __call__(self, until: int) -> tuple[np.ndarray, np.ndarray, int]:
        run = self.run
        path = run.trajectory
        # copies, paired as far as both go: the training thread may be appending a checkpoint meanwhile
        kept = [(it, state) for it, state in zip(list(path.iterations), list(path.states), strict=False)
                if run.replay_from <= it <= until]
        every, budget = path.stride, path_budget(run.net.size)
        while sum(it % every == 0 for it, _ in kept) > budget:
            every *= 2
        chosen = [(it, state) for it, state in kept if it % every == 0]
        with self._lock:
            built = {}
            for it, state in chosen:
                old = self._built.get(it)
                # a checkpoint replaced (a rewind, then other steps) is built again: the same object is the same θ
                built[it] = old if old is not None and old[0] is state else (state, run.full_state_at(it)[0])
            self._built = built
        rows = [built[it][1] for it, _ in chosen]
        return (np.array([it for it, _ in chosen], dtype=int),
                np.array(rows) if rows else np.zeros((0, run.net.size)), every)

    def remembered(self, key: tuple, theta: np.ndarray, make):
        """``make()``, made again only when ``key`` or θ changed: the window redraws the surface at the same
        iteration for many reasons (a tab switched, the threshold moved), and a deep model's slice takes 0.5 s."""
        memo = self._memo
        if memo is not None and memo[0] == key and np.array_equal(memo[1], theta):
            return memo[2]
        value = make()
        self._memo = (key, np.array(theta), value)
        return value

