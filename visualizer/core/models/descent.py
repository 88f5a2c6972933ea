"""Full-batch gradient descent on a Network, fast: network.py's maths, with three savings.

* **The first layer in W1₀ + span(xᵢ).** W1's gradient is dZ1 Xᵀ / m, so every step adds
  combinations of the examples: W1 = c₀ W1₀ + C Xᵀ (c₀ = 1, or shrinking under L2). With
  m < n_x, Z1 = W1 X = c₀ W1₀X + C K with K = XᵀX computed once, and the step on C is
  −(α/m) dZ1 itself: m-wide products instead of n_x-wide ones ("gram"). Otherwise W1 is
  stepped as it is ("primal").
* **One product per layer and one update.** Each layer's block [W_l | b_l] multiplies
  [A_{l-1}; 1], so one product gives Z_l with its bias and one gives dW_l with db_l; α/m
  is folded into dZ_L, so θ ← θ − G is one operation. Each iteration is a prepared list of
  calls on buffers made once (core/models/kernels.py): no look-ups, no new arrays (but for
  the L2 penalty's small sums).
* **Costs by the chunk.** Z_L of each iteration is kept and J computed for a chunk of
  iterations at once (the engine's way), so no logarithm runs in the loop.

After each chunk, an iteration whose Z_L is not finite is rolled back with all after it:
the run stops there (``diverged``) and history and state never hold NaN or inf.
"""

from __future__ import annotations

from functools import partial

import numpy as np

from visualizer.core.engine.gradient_descent import validate_alpha
from visualizer.core.engine.losses import CrossEntropy, get_loss
from visualizer.core.engine.parametrization import GRAM_MAX_BYTES, cross_products
from visualizer.core.models.kernels import Op, backward_ops, forward_ops
from visualizer.core.models.network import Network, network_accuracy
from visualizer.core.models.network import cost as network_cost

#: Iterations run between two checks and two batched cost computations.
CHUNK = 256
METHODS = ("auto", "gram", "primal")


def choose_method(n_x: int, m: int, method: str = "auto") -> str:
    """gram when the examples are fewer than the inputs and K = XᵀX fits, primal otherwise."""
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; choose one of {', '.join(METHODS)}")
    if method != "auto":
        return method
    return "gram" if m < n_x and m * m * 8 <= GRAM_MAX_BYTES else "primal"


class NetworkDescent:
    """θ ← θ − α ∇J(θ) from θ₀ on (X, Y); ``costs`` holds J before every step, as the course's list."""

    def __init__(self, net: Network, X: np.ndarray, Y: np.ndarray, theta0: np.ndarray, *, alpha: float,
                 method: str = "auto"):
        X = np.asarray(X)
        if X.ndim != 2 or X.shape[0] != net.n_x:
            raise ValueError(f"X must have shape ({net.n_x}, m), not {X.shape}")
        self.net, self.X = net, X
        self.m = m = X.shape[1]
        self.y = np.asarray(Y, dtype=float).reshape(1, m)
        self.method = choose_method(net.n_x, m, method)
        self.iteration, self.diverged = 0, False
        self._costs: list[np.ndarray] = []
        self._loss = get_loss(net.loss)
        self._init_first_layer(np.array(theta0, dtype=float))
        self._init_buffers()
        self.alpha = alpha

    # -- set-up ---------------------------------------------------------------------------
    def _init_first_layer(self, theta0: np.ndarray) -> None:
        net, X, m = self.net, self.X, self.m
        n1 = net.sizes[1]
        W1_0 = net.split(theta0)[0][0]
        self._c0 = np.ones(1)  # W1₀'s coefficient, shrunk in place by L2
        if self.method == "gram":
            self._W1_0 = W1_0.copy()
            self._W1_0_square = float(np.vdot(W1_0, W1_0))
            self._P0 = cross_products(W1_0.T, X) if self._W1_0_square else None  # W1₀ X, once
            self._P0_scaled = None if self._P0 is None else np.empty_like(self._P0)
            self._source = np.ones((m + 1, m))
            self._source[:-1] = cross_products(X, X)
            first = np.zeros((n1, m + 1))
            first[:, -1] = net.split(theta0)[0][1][:, 0]
        else:
            self._P0 = None
            self._source = np.ones((net.n_x + 1, m))
            self._source[:-1] = X
            first = net.blocks(theta0)[0]
        rest = theta0[net.offsets()[1]:]
        self._theta = np.concatenate([first.reshape(-1), rest])
        self._cuts = [0, first.size] + [first.size + c - net.offsets()[1] for c in net.offsets()[2:]]

    def _blocks(self, flat: np.ndarray) -> list[np.ndarray]:
        rows = self.net.sizes[1:]
        return [flat[a:b].reshape(n, -1) for a, b, n in zip(self._cuts[:-1], self._cuts[1:], rows, strict=True)]

    def _init_buffers(self) -> None:
        net, m = self.net, self.m
        self._grad = np.zeros_like(self._theta)
        self._B, self._G = self._blocks(self._theta), self._blocks(self._grad)
        hidden = net.sizes[1:-1]
        self._A = [np.ones((n + 1, m)) for n in hidden]  # [A_l; 1], the ones row written once
        self._Z = [np.empty((n, m)) for n in hidden] + [np.empty((1, m))]
        self._dZ = [np.empty((n, m)) for n in hidden] + [np.empty((1, m))]
        self._dA = [np.empty((n, m)) for n in hidden]
        if self.method == "gram":  # dZ1 is C's step itself: write it there
            self._dZ[0] = self._G[0][:, :-1]
        self._zbuf = np.empty((CHUNK, m))
        self._wsq, self._wsq_now = np.empty(CHUNK), np.zeros(1)
        mask = np.ones_like(self._theta)
        for block in self._blocks(mask):
            block[:, -1] = 0.0
        self._weight_mask = mask

    @property
    def alpha(self) -> float:
        return self._alpha

    @alpha.setter
    def alpha(self, alpha: float) -> None:
        alpha = validate_alpha(alpha)
        self._alpha = alpha
        self._plan = self._build_plan(alpha / self.m)

    # -- the loop -------------------------------------------------------------------------
    def _build_plan(self, s: float) -> list[Op]:
        """One iteration as a list of calls on fixed buffers, with s = α/m folded into dZ_L."""
        net, B, G, A, Z, dZ, dA = self.net, self._B, self._G, self._A, self._Z, self._dZ, self._dA
        L, act = len(B), net.activation
        plan: list[Op] = [partial(np.dot, B[0], self._source, out=Z[0])]
        if self._P0 is not None:  # + c₀ W1₀X
            if net.lam:
                plan += [partial(np.multiply, self._P0, self._c0, out=self._P0_scaled),
                         partial(np.add, Z[0], self._P0_scaled, out=Z[0])]
            else:
                plan.append(partial(np.add, Z[0], self._P0, out=Z[0]))
        for l in range(1, L):
            plan += forward_ops(act, Z[l - 1], A[l - 1][:-1])
            plan.append(partial(np.dot, B[l], A[l - 1], out=Z[l]))
        if net.lam:
            plan.append(partial(self._weights_square, Z[0]))
        z, out = Z[-1], dZ[-1]
        if isinstance(self._loss, CrossEntropy):  # s (a − y) = s tanh(z/2)/2 + s (1/2 − y)
            plan += [partial(np.multiply, z, 0.5, out=out), partial(np.tanh, out, out=out),
                     partial(np.multiply, out, 0.5 * s, out=out), partial(np.add, out, (0.5 - self.y) * s, out=out)]
        else:
            plan += [partial(self._loss.dz_writer(self.y), z, out), partial(np.multiply, out, s, out=out)]
        for l in range(L - 1, 0, -1):
            Wt = B[l][:, :-1].T  # dA = W_lᵀ dZ_l: an outer product from the output unit
            plan += [partial(np.dot, dZ[l], A[l - 1].T, out=G[l]),
                     partial(np.multiply if l == L - 1 else np.dot, Wt, dZ[l], out=dA[l - 1])]
            plan += backward_ops(act, dA[l - 1], Z[l - 1], A[l - 1][:-1], dZ[l - 1])
        if self.method == "gram":  # dZ1 was written into C's step; db1 is its sum
            plan.append(partial(np.sum, dZ[0], axis=1, out=G[0][:, -1]))
        else:
            plan.append(partial(np.dot, dZ[0], self._source.T, out=G[0]))
        if net.lam:  # W ← (1 − αλ/m) W − α dW; W1₀'s coefficient shrinks alike
            shrink = 1.0 - s * net.lam
            plan += [partial(np.multiply, self._theta, np.where(self._weight_mask > 0, shrink, 1.0),
                             out=self._theta), partial(np.multiply, self._c0, shrink, out=self._c0)]
        plan.append(partial(np.subtract, self._theta, self._grad, out=self._theta))
        return plan

    def step(self, iterations: int) -> int:
        """Run up to ``iterations`` steps (fewer if J stops being finite); returns how many ran."""
        with np.errstate(over="ignore", invalid="ignore"):  # a diverging run is caught below, not warned about
            return self._step(iterations)

    def _step(self, iterations: int) -> int:
        done = 0
        while done < iterations and not self.diverged:
            k = min(CHUNK, iterations - done)
            saved, c0 = self._theta.copy(), self._c0.copy()
            self._run(k)
            finite = np.isfinite(self._zbuf[:k]).all(axis=1)
            if not finite.all():
                k = int(np.argmin(finite))
                self._theta[:], self._c0[:] = saved, c0
                self._run(k)
                self.diverged = True
            J = self._loss.cost(self._zbuf[:k], self.y)
            if self.net.lam:
                J = J + self.net.lam / (2 * self.m) * self._wsq[:k]
            self._costs.append(np.asarray(J, dtype=float))
            self.iteration += k
            done += k
        return done

    def _run(self, k: int) -> None:
        plan, z, zbuf, wsq, now = self._plan, self._Z[-1], self._zbuf, self._wsq, self._wsq_now
        for i in range(k):
            for op in plan:
                op()
            zbuf[i] = z
            if self.net.lam:
                wsq[i] = now[0]

    def _weights_square(self, Z1: np.ndarray) -> None:
        """Σ ‖W_l‖² before this step, into ``_wsq_now``; on the gram path ‖W1‖² = ‖c₀ W1₀ + C Xᵀ‖²
        comes from C K = Z1 − b1 − c₀ W1₀X, without n_x-wide work."""
        self._wsq_now[0] = self._square(Z1)

    def _square(self, Z1: np.ndarray) -> float:
        total = sum(float(np.vdot(b[:, :-1], b[:, :-1])) for b in self._B[1:])
        if self.method == "primal":
            W1 = self._B[0][:, :-1]
            return total + float(np.vdot(W1, W1))
        C, b1 = self._B[0][:, :-1], self._B[0][:, -1:]
        CK = Z1 - b1  # = C K + c₀ W1₀X
        if self._P0 is not None:
            c0 = float(self._c0[0])
            CK -= c0 * self._P0
            total += c0 * (2.0 * float(np.vdot(C, self._P0)) + c0 * self._W1_0_square)
        return total + float(np.vdot(C, CK))

    # -- results --------------------------------------------------------------------------
    @property
    def costs(self) -> np.ndarray:
        """J before each step taken so far (J at iteration 0, 1, ...)."""
        return np.concatenate(self._costs) if self._costs else np.empty(0)

    @property
    def theta(self) -> np.ndarray:
        """The network's θ now (network.py's layout); W1 = c₀ W1₀ + C Xᵀ is built on the gram path."""
        net = self.net
        theta = np.empty(net.size)
        first = net.blocks(theta)[0]
        theta[net.offsets()[1]:] = self._theta[self._cuts[1]:]
        if self.method == "primal":
            first[:] = self._B[0]
        else:
            C = self._B[0][:, :-1]
            first[:, :-1] = C @ self.X.T if self.X.dtype == np.float64 else cross_products(C.T, self.X.T)
            if self._P0 is not None:
                first[:, :-1] += float(self._c0[0]) * self._W1_0
            first[:, -1] = self._B[0][:, -1]
        return theta

    def cost(self) -> float:
        """J at the current θ (after the last step)."""
        return network_cost(self.net, self.theta, self.X, self.y)

    def accuracy(self, X: np.ndarray | None = None, Y: np.ndarray | None = None) -> float:
        """Accuracy in % on (X, Y), the training set by default."""
        return network_accuracy(self.net, self.theta, self.X if X is None else X, self.y if Y is None else Y)
