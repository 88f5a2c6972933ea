"""What a run remembers, in bounded memory: a million iterations take about 8 MB, and no run more.

Past a limit the per-iteration costs are thinned into a coarser level (every 2nd, then
every 4th... iteration is kept, each still the exact J of its iteration), and so are the
metric rows, so a run of any length fits and draws in the same time.
"""

from __future__ import annotations

import numpy as np

from visualizer.core.optim.optimizers import Optimizer


class GrowingArray:
    """An append-only float64 column that doubles its buffer, so appends are O(1)."""

    def __init__(self, capacity: int = 1024):
        self._data = np.empty(capacity)
        self._n = 0

    def __len__(self) -> int:
        return self._n

    def extend(self, values: np.ndarray) -> None:
        values = np.asarray(values, dtype=float).reshape(-1)
        need = self._n + values.size
        if need > self._data.size:
            grown = np.empty(max(need, 2 * self._data.size))
            grown[: self._n] = self._data[: self._n]
            self._data = grown
        self._data[self._n : need] = values
        self._n = need

    def truncate(self, n: int) -> None:
        self._n = min(self._n, n)

    @property
    def values(self) -> np.ndarray:
        """A read-only view of the filled part (no copy)."""
        view = self._data[: self._n]
        view.flags.writeable = False
        return view

    @property
    def nbytes(self) -> int:
        return self._data.nbytes

    def thin(self) -> None:
        """Keep every other value, in a new buffer: a reader on another thread keeps its view intact."""
        kept = self._data[: self._n : 2].copy()
        self._data = np.empty(max(2 * kept.size, 1024))
        self._data[: kept.size] = kept
        self._n = kept.size


class ThinningArray:
    """One value per iteration, kept exactly for the first ``capacity`` iterations.

    Then the stride doubles whenever the buffer is full: ``values[k]`` is the value at
    iteration ``k * stride``. ``len()`` counts iterations, not stored values.
    """

    def __init__(self, capacity: int = 1 << 20):
        self.capacity = capacity
        self.stride = 1
        self._kept = GrowingArray()
        self._n = 0
        #: Changes whenever stored values move (thinning, truncation): cached drawings start again.
        self.version = 0

    def __len__(self) -> int:
        return self._n

    def extend(self, values: np.ndarray) -> None:
        values = np.asarray(values, dtype=float).reshape(-1)
        while values.size:  # in pieces, so even one huge extend never holds more than 2 x capacity
            first = -self._n % self.stride  # the first new iteration that falls on the stride
            piece = values[: first + self.stride * (self.capacity + 1 - len(self._kept))]
            self._kept.extend(piece[first :: self.stride])
            self._n += piece.size
            values = values[piece.size :]
            while len(self._kept) > self.capacity:
                self._kept.thin()
                self.stride *= 2
                self.version += 1

    def truncate(self, n: int) -> None:
        if n < self._n:
            self._n = n
            self._kept.truncate(-(-n // self.stride))
            self.version += 1

    def restore(self, kept: np.ndarray, stride: int, n: int) -> None:
        """Take back what a saved run kept: ``kept[k]`` is the value at iteration ``k * stride``, of ``n``."""
        if kept.size != -(-n // stride):
            raise ValueError(f"{kept.size} values cannot be every {stride}th of {n} iterations")
        self.stride, self._n, self._kept = stride, n, GrowingArray(max(kept.size, 1024))
        self._kept.extend(kept)
        self.version += 1
        while len(self._kept) > self.capacity:
            self._kept.thin()
            self.stride *= 2

    @property
    def values(self) -> np.ndarray:
        """The stored values (read-only view), one every ``stride`` iterations."""
        return self._kept.values

    def iterations(self, upto: int | None = None) -> np.ndarray:
        """The iteration of each stored value (the first ``upto`` of them)."""
        n = len(self._kept) if upto is None else min(upto, len(self._kept))
        return np.arange(n, dtype=float) * self.stride

    def stored_until(self, iteration: int) -> int:
        """How many stored values belong to iterations before ``iteration``."""
        return min(len(self._kept), -(-max(iteration, 0) // self.stride))

    def at(self, iteration: int) -> tuple[int, float]:
        """(the stored iteration at or before ``iteration``, its value): exact when it falls on the stride."""
        k = min(iteration // self.stride, len(self._kept) - 1)
        return k * self.stride, float(self._kept.values[k])

    @property
    def nbytes(self) -> int:
        return self._kept.nbytes


#: Metric rows kept before they are thinned to every other row.
METRIC_ROWS = 1 << 12

METRICS = ("train_cost", "train_accuracy", "test_cost", "test_accuracy")
#: 2 / lambda_max where a probe records it (NaN where there is no single number: see core.stability).
EDGE = "edge"


class History:
    """Cost per iteration, alpha and the optimizer as lists of changes, and metrics at a stride.

    ``costs[i]`` is the cost iteration i minimizes, at its parameters before its update, as the
    course records it: J (J_reg with L2) of all m examples for batch descent, of iteration i's
    batch for mini-batches, whose full J_reg is the metrics' ``train_cost`` at their stride.
    alpha (α₀ when it decays: the α used is ``optimizer_at(i).alpha(α₀, epoch)``) is kept as
    (iteration, alpha) change points, the optimizer as (iteration, Optimizer) change points,
    because they change rarely and a per-iteration copy would triple the memory.
    """

    def __init__(self, capacity: int = 1 << 20):
        self.costs = ThinningArray(capacity)
        self.alpha_changes: list[tuple[int, float]] = []
        self.optimizer_changes: list[tuple[int, Optimizer]] = [(0, Optimizer())]
        #: Columns: "iteration" and each of METRICS (test columns stay empty without a test set).
        self.metrics = {name: GrowingArray(64) for name in ("iteration", *METRICS, EDGE)}

    def __len__(self) -> int:
        return len(self.costs)

    def set_alpha(self, iteration: int, alpha: float) -> None:
        if self.alpha_changes and self.alpha_changes[-1][0] == iteration:
            self.alpha_changes[-1] = (iteration, alpha)
        elif not self.alpha_changes or self.alpha_changes[-1][1] != alpha:
            self.alpha_changes.append((iteration, alpha))

    def set_optimizer(self, iteration: int, optimizer: Optimizer) -> None:
        changes = self.optimizer_changes
        if changes and changes[-1][0] == iteration:
            changes[-1] = (iteration, optimizer)
            if len(changes) > 1 and changes[-2][1] == optimizer:
                changes.pop()
        elif not changes or changes[-1][1] != optimizer:
            changes.append((iteration, optimizer))

    def optimizer_at(self, iteration: int) -> Optimizer:
        """The optimizer used for the update of iteration ``iteration``."""
        current = self.optimizer_changes[0][1]
        for start, optimizer in self.optimizer_changes:
            if start > iteration:
                break
            current = optimizer
        return current

    def alpha_at(self, iteration: int) -> float:
        """The alpha used for the update of iteration ``iteration``."""
        current = self.alpha_changes[0][1]
        for start, alpha in self.alpha_changes:
            if start > iteration:
                break
            current = alpha
        return current

    def alphas(self) -> np.ndarray:
        """Alpha at each stored cost's iteration (every iteration until the history is thinned)."""
        starts = np.array([start for start, _ in self.alpha_changes])
        values = np.array([alpha for _, alpha in self.alpha_changes])
        return values[np.maximum(np.searchsorted(starts, self.costs.iterations(), side="right") - 1, 0)]

    def record_metrics(self, iteration: int, metrics: dict[str, float | None]) -> None:
        self.metrics["iteration"].extend([iteration])
        for name in (*METRICS, EDGE):
            if metrics.get(name) is not None:
                self.metrics[name].extend([metrics[name]])
        if len(self.metrics["iteration"]) > METRIC_ROWS:
            for column in self.metrics.values():
                column.thin()

    @property
    def last_metric_iteration(self) -> int | None:
        its = self.metrics["iteration"]
        return int(its.values[-1]) if len(its) else None

    def metric(self, name: str, until: int | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(iterations, values) of one metric, up to and including iteration ``until``."""
        its, values = self.metrics["iteration"].values, self.metrics[name].values
        n = len(values) if until is None else min(len(values), int(np.searchsorted(its, until, side="right")))
        return its[:n], values[:n]

    def truncate(self, iteration: int) -> None:
        """Forget everything recorded for iterations at or after ``iteration``."""
        self.costs.truncate(iteration)
        self.alpha_changes = [c for c in self.alpha_changes if c[0] < iteration] or self.alpha_changes[:1]
        self.optimizer_changes = ([c for c in self.optimizer_changes if c[0] < iteration]
                                  or self.optimizer_changes[:1])
        keep = int(np.searchsorted(self.metrics["iteration"].values, iteration, side="left"))
        for column in self.metrics.values():
            column.truncate(keep)

    @property
    def thinned(self) -> bool:
        return self.costs.stride > 1

    @property
    def nbytes(self) -> int:
        return (self.costs.nbytes + 64 * len(self.alpha_changes) + 200 * len(self.optimizer_changes)
                + sum(c.nbytes for c in self.metrics.values()))
