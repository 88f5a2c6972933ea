"""Why mini-batches are noisy: each batch's gradient around the full gradient, and the spread against B.

Example i's gradient is g_i = dz_i (x_i, 1), so every inner product a lesson needs comes from
z-like products: <g_i, d> = dz_i (x_i . d_w + d_b) = dz_i z_i(d). The spread of a batch's mean
gradient around the full one, E|g_B - g|^2, is exact per batch; drawn without replacement (an
epoch cuts one shuffle into batches) its expectation is sigma^2 (m - B) / (B (m - 1)), with
sigma^2 = (1/m) sum |g_i - g|^2: it falls as 1/B, and is 0 at B = m. L2 adds the same
(lambda/m) w to every batch's gradient, so it moves the arrows but not their spread.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from visualizer.core.optim.optimizers import epoch_order

#: X^T X for the plane of the arrows is formed only below this many numbers in X (the Gram path has it).
PAIRS_LIMIT = 20_000_000
#: Arrows drawn at most (B = 1 on a large set would be thousands).
MAX_ARROWS = 256


@dataclass(frozen=True)
class BatchArrows:
    """Descent directions -g on a plane: axis 1 along the full -g, axis 2 where the batches scatter most."""

    full: tuple[float, float]
    batches: np.ndarray  # (k, 2): each batch's -g_B, for the batches of one epoch
    spread: float  # mean |g_B - g|^2 over those batches (the whole space, not just the plane)


@dataclass(frozen=True)
class SpreadCurve:
    sizes: np.ndarray
    measured: np.ndarray  # mean |g_B - g|^2 over shuffled epochs' batches
    expected: np.ndarray  # sigma^2 (m - B) / (B (m - 1))
    sigma2: float


class BatchNoise:
    """Per-example gradient pieces at one point of a run (``gd``: a GradientDescent; ``theta`` in its coordinates)."""

    def __init__(self, gd, theta: np.ndarray):
        self.gd, self.theta = gd, theta
        param, m = gd.param, gd.m
        z = param.train.z(theta)
        self.dz = gd.loss.dz(z, gd.y)
        self.m = m
        self.gradient = gd.gradient(z, theta)  # the full g of J_reg, in theta coordinates
        # |x_i|^2 + 1 for |g_i|^2, and <g_i, g> = dz_i z_i(g) for the spread
        if param.kind == "gram":
            self._K = param.metric[:m, :m]
            sq = np.diag(self._K).astype(float)
        else:
            self._K = None
            X = param.X
            sq = np.einsum("ij,ij->j", X, X, dtype=float)
        self._grad_sq = self.dz**2 * (sq + 1.0)
        g_data = self.gradient.copy()
        gd.optimizer.l2(m).add_gradient(g_data, theta, -1.0)
        self._z_g = param.train.z(g_data)  # x_i . g_w + g_b of the data part of g
        self._g_data_sq = float(param.squared_norms(g_data[None])[0])
        self.sigma2 = max(float(self._grad_sq.mean()) - self._g_data_sq, 0.0)

    def _batch_sq(self, rows: np.ndarray) -> float:
        """|mean over rows of g_i|^2, exactly."""
        d = self.dz[rows]
        if self._K is not None:
            gram = float(d @ (self._K[np.ix_(rows, rows)] @ d))
        else:
            u = np.asarray(self.gd.param.X[:, rows] @ d.astype(self.gd.param.X.dtype), dtype=float)
            gram = float(u @ u)
        return (gram + float(d.sum()) ** 2) / rows.size**2

    def deviation(self, rows: np.ndarray) -> float:
        """|g_B - g|^2 for the batch ``rows`` (L2 cancels out)."""
        cross = float(np.mean(self.dz[rows] * self._z_g[rows]))
        return max(self._batch_sq(rows) - 2 * cross + self._g_data_sq, 0.0)

    def batches(self, size: int, seed: int, epoch: int) -> list[np.ndarray]:
        order = epoch_order(self.m, seed, epoch)
        return [order[k : k + size] for k in range(0, self.m, size)]

    def _gram(self) -> np.ndarray | None:
        """K = X^T X, where it is affordable: <g_i, g_j> = dz_i dz_j (K_ij + 1)."""
        if self._K is None:
            X = self.gd.param.X
            if X.shape[0] * X.shape[1] > PAIRS_LIMIT:
                return None
            self._K = np.asarray(X.T @ X, dtype=float)
        return self._K

    def arrows(self, size: int, seed: int = 0, epoch: int = 0) -> BatchArrows:
        """Each batch's -g_B on the plane that shows their scatter best: axis 1 along the full -g, axis 2 the
        direction (orthogonal to it) in which the batches' gradients spread most."""
        rows = self.batches(size, seed, epoch)[:MAX_ARROWS]
        norm = float(np.sqrt(max(float(self.gd.param.squared_norms(self.gradient[None])[0]), 0.0)))
        # <g_B, g> = <g_B data part, g> + <L2 part, g>, and the L2 part is |g|^2 - <g data part, g>
        z_full = self.gd.param.train.z(self.gradient)
        l2_dot = norm**2 - float(np.mean(self.dz * z_full))
        g_dot = np.array([float(np.mean(self.dz[r] * z_full[r])) for r in rows]) + l2_dot
        along = g_dot / norm if norm > 0 else np.zeros(len(rows))  # <-g_B, -g/|g|>
        across = np.zeros(len(rows))
        K = self._gram()
        if K is not None and len(rows) > 1:
            D = np.zeros((len(rows), self.m))  # batch-mean weights on each example's gradient
            for k, r in enumerate(rows):
                D[k, r] = self.dz[r] / r.size
            ones = D.sum(axis=1)
            G = (D @ K) @ D.T + np.outer(ones, ones)  # <g_Bk, g_Bl> of the data parts
            c = np.array([float(np.mean(self.dz[r] * self._z_g[r])) for r in rows])  # <g_Bk, g_data>
            dev = G - c[:, None] - c[None, :] + self._g_data_sq  # <delta_k, delta_l>
            d_along = (g_dot - norm**2) / norm if norm > 0 else np.zeros(len(rows))  # <g_B - g, g/|g|>
            perp = dev - np.outer(d_along, d_along)  # with the component along g removed
            vals, vecs = np.linalg.eigh(perp)
            if vals[-1] > 1e-300:
                across = -(perp @ vecs[:, -1]) / np.sqrt(vals[-1])
        spread = float(np.mean([self.deviation(r) for r in rows]))
        return BatchArrows((norm, 0.0), np.column_stack([along, across]), spread)

    def spread(self, sizes, seed: int = 0, min_batches: int = 32, max_epochs: int = 8) -> SpreadCurve:
        """Measured over shuffled epochs (enough of them for ``min_batches`` batches) against the formula."""
        sizes = np.array(sorted({int(min(max(s, 1), self.m)) for s in sizes}))
        measured = []
        for size in sizes:
            devs: list[float] = []
            for epoch in range(max_epochs):
                devs += [self.deviation(r) for r in self.batches(int(size), seed, epoch)]
                if len(devs) >= min_batches:
                    break
            measured.append(float(np.mean(devs)))
        m = self.m
        expected = self.sigma2 * (m - sizes) / (sizes * max(m - 1, 1))
        return SpreadCurve(sizes, np.array(measured), expected, self.sigma2)
