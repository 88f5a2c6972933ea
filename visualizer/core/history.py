"""What a run remembers, stored compactly: a million iterations take about 8 MB."""

from __future__ import annotations

import numpy as np


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


METRICS = ("train_cost", "train_accuracy", "test_cost", "test_accuracy")


class History:
    """Cost per iteration, alpha as a list of changes, and metrics at a stride.

    ``costs[i]`` is J at the parameters of iteration i, before its update, as the
    course records it; alpha is kept as (iteration, alpha) change points, because it
    changes rarely and a per-iteration copy would triple the memory.
    """

    def __init__(self):
        self.costs = GrowingArray()
        self.alpha_changes: list[tuple[int, float]] = []
        #: Columns: "iteration" and each of METRICS (test columns stay empty without a test set).
        self.metrics = {name: GrowingArray(64) for name in ("iteration", *METRICS)}

    def __len__(self) -> int:
        return len(self.costs)

    def set_alpha(self, iteration: int, alpha: float) -> None:
        if self.alpha_changes and self.alpha_changes[-1][0] == iteration:
            self.alpha_changes[-1] = (iteration, alpha)
        elif not self.alpha_changes or self.alpha_changes[-1][1] != alpha:
            self.alpha_changes.append((iteration, alpha))

    def alpha_at(self, iteration: int) -> float:
        """The alpha used for the update of iteration ``iteration``."""
        current = self.alpha_changes[0][1]
        for start, alpha in self.alpha_changes:
            if start > iteration:
                break
            current = alpha
        return current

    def alphas(self) -> np.ndarray:
        """Alpha per recorded iteration, expanded on demand."""
        out = np.empty(len(self))
        for (start, alpha), nxt in zip(self.alpha_changes, self.alpha_changes[1:] + [(len(self), 0.0)], strict=False):
            out[start : nxt[0]] = alpha
        return out

    def record_metrics(self, iteration: int, metrics: dict[str, float | None]) -> None:
        self.metrics["iteration"].extend([iteration])
        for name in METRICS:
            if metrics[name] is not None:
                self.metrics[name].extend([metrics[name]])

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
        keep = int(np.searchsorted(self.metrics["iteration"].values, iteration, side="left"))
        for column in self.metrics.values():
            column.truncate(keep)

    @property
    def nbytes(self) -> int:
        return self.costs.nbytes + 64 * len(self.alpha_changes) + sum(c.nbytes for c in self.metrics.values())
