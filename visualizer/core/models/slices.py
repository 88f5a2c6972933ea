"""Exact slices of a network's J: J(θ + a·d1 + b·d2) on a grid of (a, b), nothing interpolated.

The directions (Li et al., "Visualizing the loss landscape of neural nets", 2018):

* ``random_plane``: two seeded Gaussian directions, normalized per filter: each row of each
  W_l (one unit's incoming weights) scaled to the norm of the same row in θ, the biases'
  part zero (their ``--xignore biasbn``) or θ's own biases (``biases="copy"``). Scaled so,
  the same (a, b) range means the same relative change on any network, and on logistic
  regression (``Network(n_x, ())``, θ = [w | b]): a bowl and a landscape compare directly.
* ``path_plane``: the first two principal directions of θ_t − θ over the path.
* ``weights_plane``: two chosen parameters (unit vectors), e.g. W1[0, 3] and b2[1, 0].

Speed: every parameter is affine in (a, b), so layer l's block for a point is
[1, a, b] · [θ_l; d1_l; d2_l]. The first layer's product with X is linear too:
Z1 = (W1 X + b1) + a (D1 X + d1_b) + b (D2 X + d2_b), so the n_x-wide products run three
times per plane (one product of the stacked rows), never once per point; the later layers
are small and run for a chunk of points at once (batched matrix products).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from visualizer.core.engine.losses import get_loss
from visualizer.core.models.activations import get_activation
from visualizer.core.models.network import Network

#: About this many numbers per layer per chunk of points (1 MB): few calls, and each layer's values stay in the
#: cache (2**19 took about twice as long as 2**17 on the deep model's grid here).
CHUNK_NUMBERS = 1 << 17
#: Path points projected at a time.
PATH_ROWS = 8
BIASES = ("zero", "copy")


@dataclass(frozen=True)
class NetworkPlane:
    """origin + a·d1 + b·d2 in θ's layout (network.py), with what the axes are called."""

    origin: np.ndarray
    d1: np.ndarray
    d2: np.ndarray
    kind: str  # "random", "principal" or "weights"
    s_label: str
    t_label: str


def random_direction(net: Network, theta: np.ndarray, rng: np.random.Generator, biases: str = "zero") -> np.ndarray:
    """A Gaussian direction with each W_l row scaled to θ's row norm (Li et al.'s filter normalization)."""
    if biases not in BIASES:
        raise ValueError(f"biases must be {' or '.join(BIASES)}, not {biases!r}")
    d = rng.standard_normal(net.size)
    for block, own in zip(net.blocks(d), net.blocks(np.asarray(theta, dtype=float)), strict=True):
        V, W = block[:, :-1], own[:, :-1]  # row norms by einsum: no copy of these strided views
        V *= np.sqrt(np.einsum("ij,ij->i", W, W) / np.maximum(np.einsum("ij,ij->i", V, V), 1e-300))[:, None]
        block[:, -1] = own[:, -1] if biases == "copy" else 0.0
    return d


def random_plane(net: Network, theta: np.ndarray, seed: int = 0, biases: str = "zero") -> NetworkPlane:
    """Two filter-normalized random directions through θ, drawn from ``seed``."""
    theta = np.array(theta, dtype=float)
    if not np.any(theta * net.weight_mask()):
        raise ValueError("every weight is zero here: a direction normalized to the weights' size would be zero; "
                         "slice along the path or two chosen weights instead")
    rng = np.random.default_rng(seed)
    d1, d2 = random_direction(net, theta, rng, biases), random_direction(net, theta, rng, biases)
    # per-unit norms: the Slice combo's tooltip says so; the seed once, on the wider axis (the upright one was cut)
    return NetworkPlane(theta, d1, d2, "random", f"random direction 1 (seed {seed})", "random direction 2")


def path_plane(net: Network, path: np.ndarray, theta: np.ndarray) -> NetworkPlane:
    """The plane through θ spanned by the path's two principal directions (PCA of θ_t − θ).

    Done on the T × T Gram matrix of the path: it never forms a θ-sized covariance.
    """
    theta = np.array(theta, dtype=float)
    D = np.atleast_2d(np.asarray(path, dtype=float)).reshape(-1, net.size) - theta
    values, vectors = np.linalg.eigh(D @ D.T)
    order = np.argsort(values)[::-1][:2]
    if order.size < 2 or values[order[1]] <= 1e-12 * max(values[order[0]], 1e-300):
        raise ValueError("the path spans fewer than two directions: slice at random or along two weights instead")
    d1, d2 = (vectors[:, k] @ D / np.sqrt(values[k]) for k in order)
    shares = values[order] / max(float(np.sum(np.clip(values, 0.0, None))), 1e-300)
    return NetworkPlane(theta, d1, d2, "principal", f"path direction 1 ({100 * shares[0]:.0f} % of the path's spread)",
                        f"path direction 2 ({100 * shares[1]:.0f} %)")


def parameter_name(net: Network, index: int) -> str:
    """θ[index]'s name, as W1[0, 3] or b2[1]."""
    cuts = net.offsets()
    layer = int(np.searchsorted(cuts, index, side="right")) - 1
    (n, p), _ = net.shapes()[layer]
    row, col = divmod(index - cuts[layer], p + 1)
    return f"b{layer + 1}[{row}]" if col == p else f"W{layer + 1}[{row}, {col}]"


def parameter_index(net: Network, name: str, row: int, col: int = 0) -> int:
    """Where ``W{l}[row, col]`` or ``b{l}[row]`` lives in θ (the registry's names: W1, b1, W2, ...)."""
    kind, layer = name[:1], name[1:]
    if kind not in ("W", "b") or not layer.isdigit() or not 1 <= int(layer) <= net.depth:
        raise ValueError(f"no parameter {name!r}: use W1..W{net.depth} or b1..b{net.depth}")
    (n, p), _ = net.shapes()[int(layer) - 1]
    if not (0 <= row < n and (kind == "b" or 0 <= col < p)):
        raise ValueError(f"{name} has no entry [{row}, {col}]: it is {n} × {1 if kind == 'b' else p}")
    return net.offsets()[int(layer) - 1] + row * (p + 1) + (p if kind == "b" else col)


def weights_plane(net: Network, theta: np.ndarray, first: int, second: int) -> NetworkPlane:
    """The plane moving θ[first] by a and θ[second] by b, every other parameter held."""
    if first == second or not all(0 <= i < net.size for i in (first, second)):
        raise ValueError(f"choose two different parameters among θ's {net.size}, not {first} and {second}")
    d1, d2 = np.zeros(net.size), np.zeros(net.size)
    d1[first] = d2[second] = 1.0
    return NetworkPlane(np.array(theta, dtype=float), d1, d2, "weights", f"change in {parameter_name(net, first)}",
                        f"change in {parameter_name(net, second)}")


class NetworkSlice:
    """J(origin + a·d1 + b·d2) for many (a, b) at once, exact in float64 (L2 included)."""

    def __init__(self, net: Network, X: np.ndarray, Y: np.ndarray, plane: NetworkPlane):
        self.net, self.plane = net, plane
        self.y = np.asarray(Y, dtype=float).reshape(-1)
        self.m = m = self.y.size
        if np.ndim(X) != 2 or np.shape(X) != (net.n_x, m):
            raise ValueError(f"X must have shape ({net.n_x}, {m}) for this network and these labels, not {np.shape(X)}")
        self._g, self._loss = get_activation(net.activation), get_loss(net.loss)
        vectors = [np.asarray(v, dtype=float) for v in (plane.origin, plane.d1, plane.d2)]
        first = [net.split(v)[0] for v in vectors]
        n1 = first[0][0].shape[0]
        rows = np.empty((3 * n1, net.n_x))
        for k, (W, _) in enumerate(first):
            rows[k * n1:(k + 1) * n1] = W
        products = (rows @ X).reshape(3, n1, m)  # the three n_x-wide products, as one
        products += np.stack([b for _, b in first])
        self._first = products.reshape(3, n1 * m)
        # The later layers' [W_l | b_l] for origin, d1, d2, stacked: (3, n_l, n_{l-1} + 1).
        self._stacks = [np.stack(blocks) for blocks in zip(*(net.blocks(v)[1:] for v in vectors), strict=True)]
        self._l2 = None  # with L2, (λ/2m)‖W(a, b)‖² = (λ/2m) cᵀ G c, c = [1, a, b], G the weights' Gram matrix
        if net.lam:
            weights = np.stack(vectors) * net.weight_mask()
            self._l2 = net.lam / (2 * m) * (weights @ weights.T)

    def costs_at(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """J at the points (a[k], b[k])."""
        a, b = np.asarray(a, dtype=float).reshape(-1), np.asarray(b, dtype=float).reshape(-1)
        coefficients = np.stack([np.ones_like(a), a, b], axis=1)  # (k, 3): θ_k = [1, a_k, b_k] · [θ; d1; d2]
        out = np.empty(a.size)
        widest = max(self.net.sizes[1:])
        chunk = max(1, CHUNK_NUMBERS // (widest * self.m))
        with np.errstate(over="ignore", invalid="ignore"):
            for start in range(0, a.size, chunk):
                c = coefficients[start:start + chunk]
                out[start:start + chunk] = self._costs(c)
            if self._l2 is not None:
                out += np.einsum("ki,ij,kj->k", coefficients, self._l2, coefficients)
        return out

    def _costs(self, c: np.ndarray) -> np.ndarray:
        k, m = c.shape[0], self.m
        Z = (c @ self._first).reshape(k, -1, m)
        for stack in self._stacks:
            A = self._g.value(Z)
            block = (c @ stack.reshape(3, -1)).reshape(k, *stack.shape[1:])  # each point's [W_l | b_l]
            Z = np.matmul(block[:, :, :-1], A)
            Z += block[:, :, -1:]
        return np.asarray(self._loss.cost(Z[:, 0, :], self.y), dtype=float)

    def grid(self, a_values: np.ndarray, b_values: np.ndarray) -> np.ndarray:
        """J[i, j] at (a_values[i], b_values[j])."""
        a, b = np.meshgrid(np.asarray(a_values, dtype=float), np.asarray(b_values, dtype=float), indexing="ij")
        return self.costs_at(a.reshape(-1), b.reshape(-1)).reshape(a.shape)

    def coordinates(self, thetas: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(a, b, distance): each θ's closest point on the plane (least squares; d1, d2 need not be orthogonal)
        and how far θ lies off it. A few rows at a time: a path of the deep model is 246,000 numbers a point."""
        thetas = np.atleast_2d(np.asarray(thetas, dtype=float)).reshape(-1, self.net.size)
        D = np.stack([self.plane.d1, self.plane.d2])
        gram = D @ D.T
        ab, distance = np.empty((2, len(thetas))), np.empty(len(thetas))
        for start in range(0, len(thetas), PATH_ROWS):
            rows = slice(start, start + PATH_ROWS)
            T = thetas[rows] - self.plane.origin
            ab[:, rows] = np.linalg.solve(gram, D @ T.T)
            T -= ab[:, rows].T @ D
            distance[rows] = np.sqrt(np.einsum("ij,ij->i", T, T))
        return ab[0], ab[1], distance
