"""A network's θ in the coordinates where its first layer stays: W1 = c₀ W1₀ + C Xᵀ.

Every gradient of W1 is dZ1 X_Iᵀ / B (+ (λ/m) W1 under L2), so an optimizer whose step is a linear
combination of past gradients (gradient descent with mini-batches or decay, momentum, Nesterov: the
registry's ``span_preserving`` kinds) keeps W1 in W1₀ + span(xᵢ). In the coordinates
θ' = [c₀, C | b1, W2 | b2, ...] each such step is the same linear map as in θ:

* W1's gradient is c₀-part (λ/m) c₀ and C-part dZ1 / B in the batch's columns I plus (λ/m) C: what
  core/optim's ``add_weight_l2`` adds to θ' with c₀ and C marked as weights;
* Z1 of the batch = C K[:, I] + c₀ (W1₀X)[:, I] + b1 with K = XᵀX and W1₀X worked out once, so no
  product is n_x wide: m-wide ones instead (m < n_x on the cat images: 209 against 12288);
* ‖W1‖² = c₀² ‖W1₀‖² + 2 c₀ ⟨C, W1₀X⟩ + ⟨C, C K⟩ for the L2 penalty.

This is NetworkDescent's gram path (core/models/descent.py) for the optimizers' loop; the optimizers that
scale coordinates separately (RMSProp, Adam, AdaGrad) leave the span and never come here.
"""

from __future__ import annotations

import numpy as np

from visualizer.core.engine.losses import get_loss
from visualizer.core.engine.parametrization import cross_products
from visualizer.core.models.activations import get_activation
from visualizer.core.models.network import Network


class FirstLayerSpan:
    """θ ↔ θ' for one network and training set, and a batch's J and gradient in θ'."""

    def __init__(self, net: Network, X: np.ndarray, theta0: np.ndarray):
        self.net, self.X = net, X
        self.m, n1 = X.shape[1], net.sizes[1]
        W1_0 = net.split(theta0)[0][0]
        self.W1_0 = W1_0.copy()
        self.W1_0_square = float(np.vdot(W1_0, W1_0))
        self.K = cross_products(X, X)
        self.P0 = cross_products(W1_0.T, X)  # W1₀ X
        self._first = 1 + n1 * (self.m + 1)  # where layer 2 starts in θ'
        self._rest = net.offsets()[1]  # where it starts in θ
        cuts = [c - self._rest + self._first for c in net.offsets()[1:]]
        self._cuts = list(zip(cuts[:-1], cuts[1:], [shape for shape, _ in net.shapes()[1:]], strict=True))
        self._g = get_activation(net.activation)
        self._loss = get_loss(net.loss)

    def coordinates(self, theta0: np.ndarray) -> np.ndarray:
        """θ₀ in θ': c₀ = 1, C = 0, its b1 and every later layer as they are."""
        out = np.zeros(self._first + self.net.size - self._rest)
        out[0] = 1.0
        self._first_block(out)[:, -1] = self.net.split(theta0)[0][1][:, 0]
        out[self._first :] = theta0[self._rest :]
        return out

    def weight_mask(self) -> np.ndarray:
        """1 on c₀, C and every later W (L2 acts on them), 0 on the biases."""
        mask = np.ones(self._first + self.net.size - self._rest)
        self._first_block(mask)[:, -1] = 0.0
        mask[self._first :] = self.net.weight_mask()[self._rest :]
        return mask

    def theta(self, coords: np.ndarray) -> np.ndarray:
        """θ (network.py's layout) from θ': W1 = c₀ W1₀ + C Xᵀ, worked out n_x wide once."""
        theta = np.empty(self.net.size)
        first, block = self.net.blocks(theta)[0], self._first_block(coords)
        first[:, :-1] = cross_products(block[:, :-1].T, self.X.T) + coords[0] * self.W1_0
        first[:, -1] = block[:, -1]
        theta[self._rest :] = coords[self._first :]
        return theta

    def weights_square(self, coords: np.ndarray) -> float:
        """Σ_l ‖W_l‖² from θ'."""
        c0, C = coords[0], self._first_block(coords)[:, :-1]
        total = c0 * c0 * self.W1_0_square + 2.0 * c0 * float(np.vdot(C, self.P0)) + float(np.vdot(C, C @ self.K))
        return total + sum(float(np.vdot(W, W)) for W, _ in self._layers(coords))

    def gradient(self, coords: np.ndarray, I: np.ndarray | None, y: np.ndarray, cost_only: bool = False):
        """(the batch's mean loss, its gradient in θ' without L2) for the examples I (None: all m)."""
        g, loss = self._g, self._loss
        block = self._first_block(coords)
        K, P0 = (self.K, self.P0) if I is None else (self.K[:, I], self.P0[:, I])
        Zs = [block[:, :-1] @ K + coords[0] * P0 + block[:, -1:]]
        As = [None]
        layers = self._layers(coords)
        for W, b in layers:
            As.append(g.value(Zs[-1]))
            Zs.append(W @ As[-1] + b)
        J = float(loss.cost(Zs[-1].reshape(-1), y.reshape(-1)))
        if cost_only:
            return J, None
        B = y.size
        grad = np.zeros_like(coords)
        grads = self._layers(grad)
        dZ = loss.dz(Zs[-1], y)
        for l in range(len(layers), 0, -1):  # layers[l - 1] is W_(l+1)
            W, _ = layers[l - 1]
            dW, db = grads[l - 1]
            dW[:] = (1.0 / B) * (dZ @ As[l].T)
            db[:] = (1.0 / B) * np.sum(dZ, axis=1, keepdims=True)
            dZ = (W.T @ dZ) * g.slope(Zs[l - 1], As[l])
        first = self._first_block(grad)
        if I is None:
            first[:, :-1] = dZ / B
        else:
            first[:, I] = dZ / B
        first[:, -1] = dZ.sum(axis=1) / B
        return J, grad

    def _first_block(self, coords: np.ndarray) -> np.ndarray:
        return coords[1 : self._first].reshape(self.net.sizes[1], self.m + 1)

    def _layers(self, coords: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
        """Views (W_l, b_l) of layers 2..L in θ'."""
        blocks = [coords[a:b].reshape(n, p + 1) for a, b, (n, p) in self._cuts]
        return [(block[:, :-1], block[:, -1:]) for block in blocks]
