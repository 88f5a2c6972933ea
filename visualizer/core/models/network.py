"""A fully connected network with one σ output unit: the maths as the course writes it.

``Network(n_x, hidden=(4,), activation="tanh")``: no hidden layer is logistic regression,
``(4,)`` the course's week 3, ``(20, 7, 5)`` its week-4 deep model. Layer l computes
Z_l = W_l A_{l-1} + b_l and A_l = g(Z_l), with A_0 = X and the output A_L = σ(Z_L). The
cost is the mean loss (cross-entropy, or squared error (a - y)²/2) over the m examples plus
(λ/2m) Σ_l ‖W_l‖², L2 on every W and on no b, as the course's week 5 and the optimizer lab.

All parameters live in one flat vector θ, layer after layer, each layer's rows as
[W_l | b_l]: the fast loop (core/models/descent.py) steps θ in one operation, and
Hessian-vector products, power iteration and finite differences see plain vectors.

This file is the reference: ``descend`` is a plain numpy loop of these formulas, which the
fast loop must match to 1e-10 (the course's own code, core/reference/course_network.py,
is the other oracle, and the loop the benchmark times).
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np

from visualizer.core.engine.losses import get_loss, sigmoid
from visualizer.core.engine.metrics import accuracy
from visualizer.core.models.activations import get_activation

#: Named scales of the random start: W_l = randn(n_l, n_{l-1}) / √n_{l-1} or · √(2 / n_{l-1}).
NAMED_SCALES = ("lecun", "he")
INITS = ("zeros", "random")
#: The course's scale for its shallow models (week 3 and the week-4 two-layer model).
DEFAULT_SCALE = 0.01


@dataclass(frozen=True)
class Network:
    """n_x inputs, the hidden layers' sizes, their activation, the loss and λ."""

    n_x: int
    hidden: tuple[int, ...] = ()
    activation: str = "relu"
    loss: str = "cross-entropy"
    lam: float = 0.0

    def __post_init__(self):
        object.__setattr__(self, "hidden", tuple(self.hidden))
        for n in (self.n_x, *self.hidden):
            if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
                raise ValueError(f"layer sizes must be whole numbers of at least 1, not {n!r}")
        get_activation(self.activation)
        get_loss(self.loss)
        if not (math.isfinite(self.lam) and self.lam >= 0):
            raise ValueError(f"λ must be a number at least 0, not {self.lam!r}")

    @property
    def sizes(self) -> tuple[int, ...]:
        """(n_x, n_1, ..., 1): the course's ``layer_dims``."""
        return (self.n_x, *self.hidden, 1)

    @property
    def depth(self) -> int:
        """L, the number of layers with parameters."""
        return len(self.sizes) - 1

    def shapes(self) -> list[tuple[tuple[int, int], tuple[int, int]]]:
        """The shapes of (W_l, b_l) for l = 1..L."""
        return list(_layout(self.sizes)[0])

    @property
    def size(self) -> int:
        """How many numbers θ holds."""
        return sum(n * (p + 1) for (n, p), _ in self.shapes())

    def offsets(self) -> list[int]:
        """Where each layer's block [W_l | b_l] starts in θ, and where θ ends."""
        return list(_layout(self.sizes)[1])

    def blocks(self, theta: np.ndarray) -> list[np.ndarray]:
        """Views of θ as each layer's (n_l, n_{l-1} + 1) block [W_l | b_l]."""
        cuts = self.offsets()
        return [theta[a:b].reshape(n, p + 1) for (a, b), ((n, p), _) in
                zip(zip(cuts[:-1], cuts[1:], strict=True), self.shapes(), strict=True)]

    def split(self, theta: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
        """Views (W_l, b_l) into θ, for l = 1..L."""
        return [(block[:, :-1], block[:, -1:]) for block in self.blocks(theta)]

    def join(self, params) -> np.ndarray:
        """θ from a list of (W_l, b_l)."""
        theta = np.empty(self.size)
        for block, (W, b) in zip(self.blocks(theta), params, strict=True):
            block[:, :-1] = W
            block[:, -1:] = np.reshape(b, (-1, 1))
        return theta

    def weight_mask(self) -> np.ndarray:
        """1 where θ holds a weight, 0 where it holds a bias: what L2 acts on."""
        mask = np.ones(self.size)
        for block in self.blocks(mask):
            block[:, -1] = 0.0
        return mask


@functools.lru_cache(maxsize=64)
def _layout(sizes: tuple[int, ...]) -> tuple[tuple, tuple[int, ...]]:
    """(shapes, offsets) of a network with these layer sizes, worked out once: every split of θ (each step of
    the optimizers' loop, each gradient) reads them."""
    shapes = tuple(((n, p), (n, 1)) for p, n in zip(sizes[:-1], sizes[1:], strict=True))
    ends = np.cumsum([0] + [n * (p + 1) for (n, p), _ in shapes])
    return shapes, tuple(int(e) for e in ends)


def initial_parameters(net: Network, init: str = "random", seed: int = 1, scale: float | str = DEFAULT_SCALE):
    """θ₀: zeros, or W_l drawn as the course draws them, biases zero.

    The course calls ``np.random.seed(seed)`` then ``np.random.randn(n_l, n_{l-1})`` for
    W1, W2, ... in order; ``RandomState(seed)`` gives those very numbers without touching
    numpy's global generator. ``scale`` multiplies them (0.01 by default), or is ``"lecun"``
    (divided by √n_{l-1}, the course's deep model, written as it writes it) or ``"he"``.
    """
    if init not in INITS:
        raise ValueError(f"unknown initialization {init!r}; choose {' or '.join(INITS)}")
    check_scale(scale)
    theta = np.zeros(net.size)
    if init == "zeros":
        return theta
    rng = np.random.RandomState(seed)
    for block, ((n, p), _) in zip(net.blocks(theta), net.shapes(), strict=True):
        W = rng.randn(n, p)
        if scale == "lecun":
            W = W / np.sqrt(p)
        elif scale == "he":
            W = W * np.sqrt(2.0 / p)
        else:
            W = W * float(scale)
        block[:, :-1] = W
    return theta


def check_scale(scale: float | str) -> None:
    if isinstance(scale, str):
        if scale not in NAMED_SCALES:
            raise ValueError(f"unknown scale {scale!r}; use a positive number, {' or '.join(NAMED_SCALES)}")
        return
    if isinstance(scale, bool) or not isinstance(scale, (int, float)) or not (math.isfinite(scale) and scale > 0):
        raise ValueError(f"the scale must be a positive number, lecun or he, not {scale!r}")


def forward(net: Network, theta: np.ndarray, X: np.ndarray) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """(Z_1..Z_L, A_0..A_L): what each layer computed, A_0 = X and A_L = σ(Z_L)."""
    g = get_activation(net.activation)
    Zs, As = [], [X]
    layers = net.split(theta)
    for l, (W, b) in enumerate(layers, start=1):
        Z = W @ As[-1] + b
        Zs.append(Z)
        As.append(sigmoid(Z) if l == len(layers) else g.value(Z))
    return Zs, As


def output_z(net: Network, theta: np.ndarray, X: np.ndarray) -> np.ndarray:
    """Z_L, one value per example: ŷ = σ(Z_L), and the prediction is 1 where Z_L > 0."""
    return forward(net, theta, X)[0][-1]


def weights_square(net: Network, theta: np.ndarray) -> float:
    """Σ_l ‖W_l‖², what L2 penalizes."""
    return float(sum(np.vdot(W, W) for W, _ in net.split(theta)))


def cost(net: Network, theta: np.ndarray, X: np.ndarray, Y: np.ndarray) -> float:
    """J = mean loss + (λ/2m) Σ ‖W_l‖²."""
    y = np.asarray(Y, dtype=float).reshape(-1)
    J = float(get_loss(net.loss).cost(output_z(net, theta, X).reshape(-1), y))
    return J + net.lam / (2 * y.size) * weights_square(net, theta) if net.lam else J


def gradient(net: Network, theta: np.ndarray, X: np.ndarray, Y: np.ndarray) -> tuple[float, np.ndarray]:
    """(J, dJ/dθ), backward as the course writes it.

    dZ_L = dL/dz (a - y for cross-entropy); then for l = L..1: dW_l = dZ_l A_{l-1}ᵀ / m
    + (λ/m) W_l, db_l = Σ_i dZ_l / m, dA_{l-1} = W_lᵀ dZ_l, dZ_{l-1} = dA_{l-1} * g'(Z_{l-1}).
    """
    g, loss = get_activation(net.activation), get_loss(net.loss)
    y = np.asarray(Y, dtype=float).reshape(1, -1)
    m = y.shape[1]
    Zs, As = forward(net, theta, X)
    J = float(loss.cost(Zs[-1].reshape(-1), y.reshape(-1)))
    if net.lam:
        J += net.lam / (2 * m) * weights_square(net, theta)
    grad = np.empty_like(theta)
    layers, grads = net.split(theta), net.split(grad)
    dZ = loss.dz(Zs[-1], y)
    for l in range(len(layers), 0, -1):
        W, _ = layers[l - 1]
        dW, db = grads[l - 1]
        dW[:] = (1.0 / m) * (dZ @ As[l - 1].T) + (net.lam / m) * W
        db[:] = (1.0 / m) * np.sum(dZ, axis=1, keepdims=True)
        if l > 1:
            dZ = (W.T @ dZ) * g.slope(Zs[l - 2], As[l - 1])
    return J, grad


def descend(net: Network, theta: np.ndarray, X: np.ndarray, Y: np.ndarray, alpha: float, iterations: int):
    """Plain full-batch gradient descent: (θ after, J before each of the ``iterations`` steps)."""
    costs = np.empty(iterations)
    for i in range(iterations):
        costs[i], grad = gradient(net, theta, X, Y)
        theta = theta - alpha * grad
    return theta, costs


def network_accuracy(net: Network, theta: np.ndarray, X: np.ndarray, Y: np.ndarray) -> float:
    """Percentage of examples with ŷ > 0.5 on the right side, as the course counts it."""
    return accuracy(output_z(net, theta, X), Y)
