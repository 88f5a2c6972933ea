"""Where a run has been: its path at a doubling stride, and its exact state and replayable past for saving."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from visualizer.core.optim.optimizers import OptimizerState

#: Parameter vectors kept along the path for the principal-plane slice.
TRAJECTORY_POINTS = 256
#: A session's past at most (SavedPast.thinned): 250 points of Adam on the cat images' w, with its two moments,
#: would be 74 MB; thinned to one every 64 iterations, 9 MB, and a look back replays at most 63 steps.
SAVED_PAST_BYTES = 16 * 2**20


@dataclass(frozen=True)
class ExactState:
    """A run in its own coordinates (w = w0 + X c on the Gram path), so a saved run goes on bit for bit."""

    method: str
    w0: np.ndarray  # the Gram path's starting w (empty on the primal path)
    theta: np.ndarray
    divergence_base: float  # J where the current alpha began: a run ending above it diverged
    diverged_at: int | None
    optimizer_state: OptimizerState | None = None  # momentum, moments, epoch (None: fresh)
    past: SavedPast | None = None  # the checkpoints a replay starts from (older files: none)


@dataclass(frozen=True)
class SavedPast:
    """A run's replayable past as a session keeps it, so a reopened run replays from ``start`` bit for bit.

    ``iterations[k]``: a checkpoint, with the run's coordinates there in ExactState's form (``thetas[k]``, the
    size of ExactState.theta) and the optimizer's state (``states[k]``, its arrays that size too); ``stride``: the
    path's stride then. ``origin``: the first row is where the past starts (a network's, off the stride), not
    one of the path's checkpoints."""

    start: int
    stride: int
    iterations: tuple[int, ...]
    thetas: tuple[np.ndarray, ...]
    states: tuple[OptimizerState, ...]
    origin: bool = False

    def checkpoints(self) -> range:
        """The rows that are the path's own checkpoints."""
        return range(int(self.origin), len(self.iterations))

    @property
    def nbytes(self) -> int:
        return sum(t.nbytes + sum(a.nbytes for a in s.arrays.values()) for t, s in zip(self.thetas, self.states,
                                                                                       strict=True))

    def thinned(self, max_bytes: int) -> SavedPast:
        """At most ``max_bytes`` (or its first row alone), the stride doubled as the path's own thinning does; its
        first row stays, where replays start. A replay runs the same steps from an earlier point, so it gives the same
        bits (except batch descent on the Gram path, whose points are computed in z: it is small, kept whole)."""
        past = self
        while past.nbytes > max_bytes and len(past.iterations) > 1:
            stride = past.stride * 2
            keep = [k for k, it in enumerate(past.iterations) if k == 0 or it % stride == 0]
            past = SavedPast(past.start, stride, *(tuple(column[k] for k in keep) for column in
                                                   (past.iterations, past.thetas, past.states)), past.origin)
        return past


@dataclass
class Trajectory:
    """Parameter vectors along the path at a stride that doubles when full, with the optimizer's state
    there (None for plain batch descent, which has none) so a replay can start from any of them."""

    iterations: list[int]
    thetas: list[np.ndarray]
    stride: int = 1
    states: list[OptimizerState | int | None] = field(default_factory=list)  # int: batch descent's epoch

    def offer(self, iteration: int, theta: np.ndarray, state: OptimizerState | int | None = None) -> None:
        if iteration % self.stride or (self.iterations and self.iterations[-1] == iteration):
            return
        self.iterations.append(iteration)
        self.thetas.append(theta.copy())
        self.states.append(state)
        if len(self.iterations) > TRAJECTORY_POINTS:
            self.stride *= 2
            # the first point stays: where the replayable past starts (after a data edit, off the stride)
            keep = [i for i, it in enumerate(self.iterations) if it % self.stride == 0 or i == 0]
            self.iterations = [self.iterations[i] for i in keep]
            self.thetas = [self.thetas[i] for i in keep]
            self.states = [self.states[i] for i in keep]

    def truncate(self, iteration: int) -> None:
        """Forget points at or after ``iteration`` (before a replay or a new branch)."""
        while self.iterations and self.iterations[-1] >= iteration:
            self.iterations.pop()
            self.thetas.pop()
            self.states.pop()

    def marks(self, iteration: int, n: int) -> list[int]:
        """Offsets i in [0, n) where iteration + i falls on the stride."""
        first = -iteration % self.stride
        return list(range(first, n, self.stride))
