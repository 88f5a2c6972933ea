"""The coordinates gradient descent moves in: w = B c, with B = X (Gram) or B = I (primal).

Because dw = X dz^T / m, every step adds a combination of the training examples to w.
So when m << n_x, w stays in w0 + span(x_i) and one iteration needs only the m x m
Gram matrix K = X^T X: O(m^2) work instead of O(n_x m). When m >= n_x the plain
(primal) coordinates are cheaper. Both present the same small interface, used by the
engine, the cost-surface slices and the metrics without knowing which one it is.

A parameter vector theta is always [c..., b]: the coordinates of w, then the bias.
"""

from __future__ import annotations

import numpy as np

#: Largest Gram matrix (m x m float64) we are willing to hold.
GRAM_MAX_BYTES = 512 * 2**20


def cross_products(A: np.ndarray, B: np.ndarray, chunk: int = 4096) -> np.ndarray:
    """A^T B in float64; float32 inputs are widened a chunk of rows at a time."""
    if A.dtype == np.float64 and B.dtype == np.float64:
        return A.T @ B
    out = np.zeros((A.shape[1], B.shape[1]))
    for start in range(0, A.shape[0], chunk):
        a = np.asarray(A[start : start + chunk], dtype=np.float64)
        b = a if B is A else np.asarray(B[start : start + chunk], dtype=np.float64)
        out += a.T @ b
    return out


class Examples:
    """A set of examples seen in a parametrization's coordinates: z = examples.z(theta)."""

    def __init__(self, matrix: np.ndarray, transposed_x: bool):
        # Gram: (m_set, k) = X_set^T B, stored with a column of ones so that one product
        # gives z including b. Primal: X_set (n_x, m_set) itself, never copied.
        self._transposed_x = transposed_x
        if transposed_x:
            self._matrix = matrix
            self.m = matrix.shape[1]
        else:
            self._matrix = np.empty((matrix.shape[0], matrix.shape[1] + 1))
            self._matrix[:, :-1] = matrix
            self._matrix[:, -1] = 1.0
            self.m = matrix.shape[0]

    def z_into(self, theta: np.ndarray, out: np.ndarray) -> None:
        M = self._matrix
        if not self._transposed_x:
            np.dot(M, theta, out=out)
            return
        if M.dtype == np.float64:
            np.dot(theta[:-1], M, out=out)
        else:
            out[:] = theta[:-1].astype(M.dtype) @ M
        out += theta[-1]

    @property
    def reach(self) -> float:
        """The largest |entry| multiplying a coefficient of theta: |z_i| <= reach * sum|c_j| + |b| (computed once)."""
        if getattr(self, "_reach", None) is None:
            M = self._matrix if self._transposed_x else self._matrix[:, :-1]
            self._reach = float(max(abs(float(M.max(initial=0.0))), abs(float(M.min(initial=0.0)))))
        return self._reach

    @property
    def matrix(self) -> np.ndarray:
        """Gram: the (m_set, dim) rows with z = rows @ theta; primal: X_set itself."""
        return self._matrix

    def z(self, theta: np.ndarray) -> np.ndarray:
        out = np.empty(self.m)
        self.z_into(theta, out)
        return out


class Parametrization:
    """w = B c, with the inner product of (w, b) space expressed in theta coordinates."""

    kind: str
    train: Examples

    def __init__(self, X: np.ndarray):
        self.X = X
        self.n_x, self.m = X.shape

    @property
    def dim(self) -> int:
        """Length of theta."""
        raise NotImplementedError

    def initial_theta(self, w0: np.ndarray, b0: float) -> np.ndarray:
        raise NotImplementedError

    def gradient_into(self, dz: np.ndarray, out: np.ndarray) -> None:
        """out = m * dJ/dtheta given dL/dz per example (the step supplies the 1/m)."""
        raise NotImplementedError

    def w(self, theta: np.ndarray) -> np.ndarray:
        """The explicit weight vector (n_x,), built only when someone needs it."""
        raise NotImplementedError

    def examples(self, X_other: np.ndarray) -> Examples:
        raise NotImplementedError

    def squared_w_at(self, theta: np.ndarray, z: np.ndarray) -> float:
        """|w|^2 at theta, whose training z is given (batch descent with L2 has it at hand)."""
        raise NotImplementedError

    def inner(self, U: np.ndarray, V: np.ndarray) -> np.ndarray:
        """Euclidean inner products in (w, b) space between the rows of U and V."""
        raise NotImplementedError

    def squared_norms(self, U: np.ndarray) -> np.ndarray:
        """|u|^2 in (w, b) space for each row of U."""
        raise NotImplementedError

    def project(self, U: np.ndarray, basis: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(inner(U, basis), squared_norms(U)) in one pass over the metric."""
        return self.inner(U, basis), self.squared_norms(U)

    def norm(self, theta: np.ndarray) -> float:
        return float(np.sqrt(max(self.squared_norms(theta[None])[0], 0.0)))


class GramParametrization(Parametrization):
    """B = X, plus w0 as one more column when the start is not zero."""

    kind = "gram"

    def __init__(self, X: np.ndarray, w0: np.ndarray):
        super().__init__(X)
        self._w0 = np.asarray(w0, dtype=float).reshape(-1)
        self._has_w0 = bool(np.any(self._w0))
        self._basis_extra = self._w0.reshape(-1, 1).astype(X.dtype) if self._has_w0 else None
        K = cross_products(X, X)
        if self._has_w0:
            xw0 = cross_products(X, self._basis_extra)
            K = np.block([[K, xw0], [xw0.T, np.array([[self._w0 @ self._w0]])]])
        self.train = Examples(K[: self.m], transposed_x=False)
        self.metric = K

    @property
    def dim(self):
        return self.m + self._has_w0 + 1

    def extended(self, X_new: np.ndarray, theta: np.ndarray) -> tuple[GramParametrization, np.ndarray]:
        """The same w with p more examples: K grows by X^T X_new and X_new^T X_new, O(n_x m p).

        The new examples' coefficients start at zero, so w and b are unchanged.
        """
        grown = object.__new__(GramParametrization)
        Parametrization.__init__(grown, np.hstack([self.X, X_new.astype(self.X.dtype, copy=False)]))
        grown._w0, grown._has_w0, grown._basis_extra = self._w0, self._has_w0, self._basis_extra
        m, p = self.m, X_new.shape[1]
        cross, new = cross_products(self.X, X_new), cross_products(X_new, X_new)
        K = np.block([[self.metric[:m, :m], cross], [cross.T, new]])
        if self._has_w0:
            col = np.concatenate([self.metric[:m, m], cross_products(X_new, self._basis_extra)[:, 0]])
            K = np.block([[K, col[:, None]], [col[None, :], self.metric[m:, m:]]])
        grown.metric = K
        grown.train = Examples(K[: m + p], transposed_x=False)
        grown_theta = np.concatenate([theta[:m], np.zeros(p), theta[m:]])
        return grown, grown_theta

    def initial_theta(self, w0, b0):
        theta = np.zeros(self.dim)
        if self._has_w0:
            theta[self.m] = 1.0
        theta[-1] = b0
        return theta

    def gradient_into(self, dz, out):
        out[: self.m] = dz
        if self._has_w0:
            out[self.m] = 0.0
        out[-1] = dz.sum()

    def w(self, theta):
        w = self.X @ theta[: self.m]
        if self._has_w0:
            w = w + theta[self.m] * self._w0
        return np.asarray(w, dtype=float)

    def squared_w_at(self, theta, z):
        """c^T K c in O(m): the first m rows of K c are z - b, so only w0's row (if any) is a product."""
        m, c = self.m, theta[:-1]
        out = float(c[:m] @ (z - theta[-1]))
        return out + float(c[m] * (self.metric[m] @ c)) if self._has_w0 else out

    def examples(self, X_other):
        F = cross_products(X_other, self.X)
        if self._has_w0:
            F = np.hstack([F, cross_products(X_other, self._basis_extra)])
        return Examples(F, transposed_x=False)

    def inner(self, U, V):
        return U[:, :-1] @ self.metric @ V[:, :-1].T + np.multiply.outer(U[:, -1], V[:, -1])

    def squared_norms(self, U):
        C = U[:, :-1]
        return np.einsum("ij,ij->i", C @ self.metric, C) + U[:, -1] ** 2

    def project(self, U, basis):
        C = U[:, :-1]
        CM = C @ self.metric  # the one O(k m^2) product, shared by both answers
        inner = CM @ basis[:, :-1].T + np.multiply.outer(U[:, -1], basis[:, -1])
        return inner, np.einsum("ij,ij->i", CM, C) + U[:, -1] ** 2


class PrimalParametrization(Parametrization):
    """B = I: theta is [w, b] itself."""

    kind = "primal"

    def __init__(self, X: np.ndarray):
        super().__init__(X)
        self.train = self.examples(X)

    @property
    def dim(self):
        return self.n_x + 1

    def initial_theta(self, w0, b0):
        return np.append(np.asarray(w0, dtype=float).reshape(-1), b0)

    def gradient_into(self, dz, out):
        if self.X.dtype == np.float64:
            np.dot(self.X, dz, out=out[:-1])
        else:
            out[:-1] = self.X @ dz.astype(self.X.dtype)
        out[-1] = dz.sum()

    def w(self, theta):
        return theta[:-1].copy()

    def squared_w_at(self, theta, z):
        return float(theta[:-1] @ theta[:-1])

    def examples(self, X_other):
        return Examples(X_other, transposed_x=True)

    def inner(self, U, V):
        return U @ V.T

    def squared_norms(self, U):
        return np.einsum("ij,ij->i", U, U)


def choose_parametrization(X: np.ndarray, w0: np.ndarray, method: str = "auto") -> Parametrization:
    """Gram when it is cheaper (m < n_x) and its m x m matrix fits; primal otherwise."""
    n_x, m = X.shape
    if method == "auto":
        method = "gram" if m < n_x and 8 * m * m <= GRAM_MAX_BYTES else "primal"
    if method == "gram":
        return GramParametrization(X, w0)
    if method == "primal":
        return PrimalParametrization(X)
    raise ValueError(f"unknown method {method!r}; choose auto, gram or primal")
